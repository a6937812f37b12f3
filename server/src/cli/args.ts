// Shared argument parsing for the jhcell subcommands.
import { parseSize } from '../generate/sizes';

export class UsageError extends Error {
  // Each command is bundled on its own with a copy of this class: the dispatcher recognises
  // the error by name, not by instanceof.
  override readonly name = 'UsageError';
}

export function isUsageError(e: unknown): e is Error {
  return e instanceof Error && e.name === 'UsageError';
}

export const USAGE = `usage: jhcell <command> [options]

commands:
  dump [--json] [-D NAME[=VALUE]]... [-I DIR]... FILE
        print the evaluated configuration of a .c source or a compiled .cell image
  check [--format text|json|sarif] [--severity ID=LEVEL]... [--declaration FILE | --no-declaration]
        [--board ID|FILE] [-D NAME[=VALUE]]... [-I DIR]... PATH...
        check systems (root + cells) in files and folders; LEVEL: error|warning|information|hint|off;
        cell sets come from the nearest jailhouse-cells.json; one system file named with cells forms
        one system; a note per cell says which root it was checked with and why; --board adds the
        board diagnostics (board-partial-device, board-device-uncovered, board-mismatch) for a
        bundled board id, a board JSON or a device tree (-I also serves its #includes); a conflict
        between two places is printed once; exit 0 = no errors, 1 = errors, 2 = usage
  explain [--format text|json] [--board ID|FILE] [-D NAME[=VALUE]]... [-I DIR]... LOGFILE|- PATH...
        explain the hypervisor's and the driver's lines of a console log (- reads standard input)
        for the systems in PATH (as for check): the cell, the regions and the board device at the
        address, what is wrong, and the edits that fix it (json: 0-based lines and LSP ranges);
        exit 0 = explained, 1 = no hypervisor or driver line in the log, 2 = usage
  build [-q] [--check] [--force] [-D NAME[=VALUE]]... [-I DIR]... FILE.c... [-o FILE.cell | --out-dir DIR]
        write the .cell image upstream's build (gcc + objcopy -O binary) makes of each source,
        without a toolchain: FILE.c → FILE.cell beside it (or in DIR); refused, with the
        diagnostic that refuses it, when that build would fail; --check also runs the system
        checks and refuses on errors; --force writes despite warnings and --check errors;
        exit 0 = written, 1 = refused or not writable, 2 = usage or unreadable FILE
  diff [--format text|json] [-D NAME[=VALUE]]... [-I DIR]... A B
        what changed from A to B in resources (memory regions, CPUs, interrupts, ports, PCI devices,
        ivshmem links, stream IDs, header and platform fields); A and B are each a .c source, a .cell
        image or REV:path (a file as a git revision holds it, its #includes from that revision);
        exit 0 = no differences in resources, 1 = differences, 2 = usage or unreadable input
  lsp [--stdio]
        run the language server over stdio (for Neovim, Emacs, Helix, …)
  map [--format svg|html|text] [-o FILE] [-D NAME[=VALUE]]... [-I DIR]... PATH
        draw the memory map (owners, shared memory, conflicts, CPUs, interrupts) of the
        system PATH belongs to (a system .c file, one of its cells, or a folder)
  board import [-I DIR]... [--id ID] [--arch arm|arm64] [--json | -o FILE] FILE.dts
        read a device tree (.dts/.dtsi with #include) into a board description (JSON with --json)
  board list [--json]
        list the bundled boards
  board show [--json] ID|FILE
        print a bundled board, a board JSON file or an imported device tree
  new system --board ID|FILE [-I DIR]... [-o FILE.c [--force]] [--name N] [--hypervisor-size SIZE]
        [--cell-ram SIZE] [--console DEVICE] [--ivshmem-links N]
        write a root cell config for an ARM/arm64 board (bundled id, board JSON or device tree):
        hypervisor, cells' RAM and ivshmem links carved from the top of RAM below 4 GiB, a region
        per enabled device, the GIC, the devices' SPIs, the console chosen/stdout-path names;
        SIZE: 0x…, decimal or with K/M/G (64M); the config goes to FILE.c or stdout, the notes
        (reserved-memory node or mem= for Linux, the choices made) to stderr; exit 0 = written,
        1 = the board cannot be read or turned into a root cell (x86 is refused), 2 = usage
  new cell --system ROOT.c --name NAME [--cpus LIST] [--ram SIZE] [--ram-start ADDR] [--device NAME]...
        [--linux] [--board ID|FILE] [-o FILE.c] [--force] [-D NAME[=VALUE]]... [-I DIR]...
        a non-root cell for the system ROOT.c (its cells in ROOT.c's folder count as taken): CPUs
        (LIST like 2-3,5; default the highest free one), RAM (SIZE 0x…, decimal, K/M/G; default
        16M, 128M with --linux) from the root's RAM region named for cells (else --ram-start), the
        named devices (board device names, labels or paths, else the root's region names; --board
        or the bundled board the root matches) with their interrupts, the first free ivshmem link;
        ARM only; the C goes to FILE.c or stdout, notes to stderr; exit 0 = written, 1 = the root
        has errors or FILE.c exists, 2 = usage or what the system cannot give (CPU, RAM, device)

options common to all commands:
  -D NAME[=VALUE]   predefine a macro (CONFIG_* switches); VALUE defaults to 1
  -I DIR            add an include directory
  -h, --help        show this help

environment:
  JHCELL_CODE_CACHE=off|debug   off: no V8 code cache (dist/*.code-cache, else ~/.cache/jhcell);
                    debug: say on stderr which cache served the run, or why none did
`;

export interface ParsedArgs {
  flags: Set<string>;
  /** Options with values, in order (`-D`, `-I`, `--format`, …). */
  values: Map<string, string[]>;
  positional: string[];
}

/**
 * Parses `args` given the option names that take a value. Accepts `-DNAME`, `-D NAME`,
 * `--opt=value` and `--opt value`; `--` ends the options.
 */
export function parseArgs(args: string[], valued: string[], boolean: string[]): ParsedArgs {
  const out: ParsedArgs = { flags: new Set(), values: new Map(), positional: [] };
  const push = (k: string, v: string) => {
    const list = out.values.get(k) ?? [];
    list.push(v);
    out.values.set(k, list);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(0, eq) : a;
      if (valued.includes(name)) {
        const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) throw new UsageError(`${name} needs a value`);
        push(name, v);
      } else if (boolean.includes(name) && eq < 0) {
        out.flags.add(name);
      } else {
        throw new UsageError(`unknown option ${a}`);
      }
      continue;
    }
    if (a.length > 1 && a[0] === '-') {
      const name = a.slice(0, 2);
      if (valued.includes(name)) {
        const v = a.length > 2 ? a.slice(2) : args[++i];
        if (v === undefined) throw new UsageError(`${name} needs a value`);
        push(name, v);
      } else if (boolean.includes(a)) {
        out.flags.add(a);
      } else {
        throw new UsageError(`unknown option ${a}`);
      }
      continue;
    }
    out.positional.push(a);
  }
  return out;
}

/** `-D` values as a macro table (`NAME` alone means 1, as with cc). */
export function definesOf(parsed: ParsedArgs): Record<string, string> {
  const defs: Record<string, string> = {};
  for (const d of parsed.values.get('-D') ?? []) {
    const eq = d.indexOf('=');
    const name = eq >= 0 ? d.slice(0, eq) : d;
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new UsageError(`bad macro name in -D ${d}`);
    defs[name] = eq >= 0 ? d.slice(eq + 1) : '1';
  }
  return defs;
}

/** A size or address option (`0x4000000`, `64M`, `64MiB`, `1G`, decimal) in bytes. */
export function sizeArg(text: string, option: string): bigint {
  const v = parseSize(text);
  if (v === undefined) throw new UsageError(`${option} ${text}: not a size (0x…, a decimal number, or with K, M or G: 4M, 64MiB)`);
  return v;
}

/** Notes for standard error: `note: ` before the first line of each, its further lines indented. */
export function noteText(notes: string[]): string {
  return notes.map((n) => `note: ${n.split('\n').map((l, i) => (i && l ? `      ${l}` : l)).join('\n')}\n`).join('');
}
