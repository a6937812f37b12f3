// The log reader: the lines the hypervisor (serial console / `jailhouse console`) and the driver
// (dmesg, the `jailhouse` tool's perror) print when a cell fails, turned into LogEvents. Pure: no
// configs, no board — explain.ts places the events. The formats are those of the hypervisor's and
// the driver's own printk/perror calls, matched anywhere in a line so that whatever a terminal,
// dmesg or syslog puts around them (timestamps, colours, CR, prefixes) does not matter.
//
// A fault is printed as a block on the faulting CPU: the access line (arm `Unhandled data …`,
// x86 `FATAL: Invalid MMIO/RAM …`), on arm the `FATAL: unhandled trap (exception class …)` line,
// the register dump, then `Parking CPU n (Cell: "…")`. Only the parking line names the CPU and
// the cell, so faults stay open until one arrives; when several cells fail at once their blocks
// interleave, and each parking line closes the oldest open fault (the CPU that faulted first
// parks first; the hypervisor prints no CPU on the fault lines themselves). A fault that is never
// parked (its parking line cut off, a FATAL line of the hypervisor failing to start) is given up
// after a block's length of silence or when the hypervisor prints its normal work again, so its
// CPU and cell stay unknown rather than being taken from a later fault. Lines cut short are
// reported `incomplete`, with only the fields they still hold.
import type { EventKind, LogEvent } from './types';

// CSI (colours, cursor), OSC (titles) and two-character escapes, as terminals and `dmesg --color` emit.
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
// dmesg `[  123.456789] ` (possibly several, and with a leading syslog prefix handled by the unanchored formats).
const TIMESTAMP = /^(?:\s*\[\s*\d+(?:\.\d+)?\]\s?)+/;

// glibc's strerror texts as perror prints them after the ioctl name, → the errno name.
const ERRNO_BY_TEXT: Record<string, string> = {
  'Operation not permitted': 'EPERM',
  'No such file or directory': 'ENOENT',
  'No such process': 'ESRCH',
  'Interrupted system call': 'EINTR',
  'Input/output error': 'EIO',
  'No such device or address': 'ENXIO',
  'Argument list too long': 'E2BIG',
  'Bad file descriptor': 'EBADF',
  'Resource temporarily unavailable': 'EAGAIN',
  'Cannot allocate memory': 'ENOMEM',
  'Permission denied': 'EACCES',
  'Bad address': 'EFAULT',
  'Device or resource busy': 'EBUSY',
  'File exists': 'EEXIST',
  'No such device': 'ENODEV',
  'Invalid argument': 'EINVAL',
  'No space left on device': 'ENOSPC',
  'Numerical result out of range': 'ERANGE',
  'Function not implemented': 'ENOSYS',
  'Value too large for defined data type': 'EOVERFLOW',
  'Inappropriate ioctl for device': 'ENOTTY',
  'Operation not supported': 'EOPNOTSUPP',
};

// The ioctls the `jailhouse` tool names in its perror calls.
const IOCTL = '(JAILHOUSE_(?:ENABLE|DISABLE|CELL_CREATE|CELL_LOAD|CELL_START|CELL_DESTROY))';

type Fields = Omit<LogEvent, 'line' | 'endLine' | 'text' | 'kind'>;

interface Format {
  kind: EventKind;
  /** The whole format; its match start is where `text` begins. */
  re: RegExp;
  fields: (m: RegExpExecArray) => Fields;
  /** The format's fixed opening: seen without a full match, the line was cut or garbled. */
  head?: RegExp;
  /** arm faults: the `FATAL: … (exception class …)` line that follows belongs to them. */
  armFault?: boolean;
  /** Starts a fault block (stays open until a parking line names its CPU and cell). */
  fault?: boolean;
  /** Tried after every other format and every head: the catch-alls. */
  fallback?: boolean;
  /** The match lacks an optional tail the format always prints: the line was cut there. */
  cut?: (m: RegExpExecArray) => boolean;
  /** Closes the oldest open fault with its CPU and cell. */
  parks?: boolean;
  /** Printed by the hypervisor in normal operation: no fault block is still being printed. */
  resumes?: boolean;
}

const hex = (s: string): bigint => BigInt(`0x${s}`);
const rw = (s: string): 'read' | 'write' => (s === 'write' ? 'write' : 'read');

// Order matters only where one format's text contains another's (the generic `Invalid MMIO `
// vs x86 `Invalid MMIO/RAM`, the specific FATAL lines before the catch-all).
const FORMATS: Format[] = [
  // arm, arm64: mmio.c `Unhandled data %s at 0x%lx(%d)`.
  {
    kind: 'mmio', fault: true, armFault: true,
    re: /Unhandled data (read|write) at 0x([0-9a-fA-F]+)\((\d+)\)/,
    head: /Unhandled data /,
    fields: (m) => ({ access: rw(m[1]), address: hex(m[2]), size: Number(m[3]) }),
  },
  // x86: vcpu.c `FATAL: Invalid MMIO/RAM %s, addr: 0x%016llx size: %d`.
  {
    kind: 'mmio', fault: true,
    re: /FATAL: Invalid MMIO\/RAM (read|write), addr: 0x([0-9a-fA-F]+) size: (\d+)\b/,
    head: /FATAL: Invalid MMIO\/RAM/,
    fields: (m) => ({ access: rw(m[1]), address: hex(m[2]), size: Number(m[3]) }),
  },
  // every arch: mmio.c (sub-page regions) `FATAL: Invalid MMIO %s, address: %lx, size: %x`.
  {
    kind: 'mmio', fault: true, armFault: true,
    re: /FATAL: Invalid MMIO (read|write), address: ([0-9a-fA-F]+), size: ([0-9a-fA-F]+)\b/,
    head: /FATAL: Invalid MMIO (?!\/)/,
    fields: (m) => ({ access: rw(m[1]), address: hex(m[2]), size: Number(hex(m[3])) }),
  },
  // x86: vcpu.c `FATAL: Invalid PIO %s, port: %x size: %d`.
  {
    kind: 'pio', fault: true,
    re: /FATAL: Invalid PIO (read|write), port: ([0-9a-fA-F]+) size: (\d+)\b/,
    head: /FATAL: Invalid PIO/,
    fields: (m) => ({ access: rw(m[1]), address: hex(m[2]), size: Number(m[3]) }),
  },
  // x86: vcpu.c `FATAL: Unhandled MSR read: %lx` / `… write: %lx`.
  {
    kind: 'msr', fault: true,
    re: /FATAL: Unhandled MSR (read|write): ([0-9a-fA-F]+)\b/,
    head: /FATAL: Unhandled MSR/,
    fields: (m) => ({ access: rw(m[1]), address: hex(m[2]) }),
  },
  // arm, arm64: traps.c `FATAL: instruction abort at 0x%lx`.
  {
    kind: 'instruction', fault: true, armFault: true,
    re: /FATAL: instruction abort at 0x([0-9a-fA-F]+)\b/,
    head: /FATAL: instruction abort/,
    fields: (m) => ({ address: hex(m[1]) }),
  },
  // arm, arm64: smccc.c `Unhandled SMC arch trap %lx` (the SMCCC function id).
  {
    kind: 'smc', fault: true, armFault: true,
    re: /Unhandled SMC arch trap ([0-9a-fA-F]+)\b/,
    head: /Unhandled SMC/,
    fields: (m) => ({ address: hex(m[1]) }),
  },
  // x86: ioapic.c `FATAL: Invalid IOAPIC %s, reg: %lx, index: %x` (reg is an offset in the IOAPIC window).
  {
    kind: 'trap', fault: true,
    re: /FATAL: Invalid IOAPIC (read|write), reg: ([0-9a-fA-F]+), index: ([0-9a-fA-F]+)\b/,
    head: /FATAL: Invalid IOAPIC/,
    fields: (m) => ({ access: rw(m[1]) }),
  },
  // x86: i8042.c — the keyboard controller's reset/A20 commands on its command port 0x64.
  {
    kind: 'trap', fault: true,
    re: /FATAL: Invalid write to i8042 controller port/,
    fields: () => ({ access: 'write', address: 0x64n }),
  },
  // arm, arm64: traps.c `FATAL: unhandled trap|forbidden access (exception class 0x%02x)`.
  {
    kind: 'trap', fault: true,
    re: /FATAL: (?:unhandled trap|forbidden access) \(exception class 0x([0-9a-fA-F]+)\)/,
    head: /FATAL: (?:unhandled trap|forbidden access)/,
    fields: (m) => ({ exceptionClass: Number(hex(m[1])) }),
  },
  // x86: vmx.c `FATAL: Unhandled VM-Exit, reason %d` / `FATAL: VM-Entry failure, reason %d`.
  {
    kind: 'trap', fault: true,
    re: /FATAL: (?:Unhandled VM-Exit|VM-Entry failure), reason (\d+)\b/,
    fields: (m) => ({ exceptionClass: Number(m[1]) }),
  },
  // x86: svm.c `FATAL: Unexpected #VMEXIT, exitcode %llx, …`.
  {
    kind: 'trap', fault: true,
    re: /FATAL: Unexpected #VMEXIT, exitcode ([0-9a-fA-F]+)/,
    fields: (m) => ({ exceptionClass: Number(hex(m[1])) }),
  },
  // Any other fatal line of the hypervisor (PCI config, APIC, CR access, hypervisor exceptions, …):
  // named, not placed — never dropped.
  { kind: 'trap', fault: true, fallback: true, re: /FATAL: \S.*/, fields: () => ({}) },
  // arm: traps.c `Unhandled HYP %s exit at 0x%lx` (the hypervisor itself, then it stops).
  { kind: 'trap', fault: true, re: /Unhandled HYP \S+ exit at 0x[0-9a-fA-F]+/, fields: () => ({}) },
  // control.c `Parking CPU %d (Cell: "%s")` / `Stopping CPU %d (Cell: "%s")`.
  {
    kind: 'info',
    re: /(?:Parking|Stopping) CPU (\d+)(?: \(Cell: "([^"]*)"\))?/,
    fields: (m) => ({ cpu: Number(m[1]), cellName: m[2] === undefined || m[2] === '<UNSET>' ? undefined : m[2] }),
    head: /(?:Parking|Stopping) CPU/,
    // Cut before the cell name, the line still names the CPU.
    cut: (m) => m[2] === undefined,
    parks: true,
  },
  // control.c `Created cell "%s"` (the hypervisor).
  {
    kind: 'info', resumes: true,
    re: /Created cell "([^"]*)"/,
    head: /Created cell "/,
    fields: (m) => ({ cellName: m[1] }),
  },
  // The driver's dmesg `Created Jailhouse cell "%s"` (merged logs put it anywhere: it closes nothing).
  {
    kind: 'info',
    re: /Created Jailhouse cell "([^"]*)"/,
    head: /Created Jailhouse cell "/,
    fields: (m) => ({ cellName: m[1] }),
  },
  // paging.c `Page pool usage %s: mem %ld/%ld, remap %ld/%ld`.
  {
    kind: 'info', resumes: true,
    re: /Page pool usage [^:]*: mem (\d+)\/(\d+), remap (\d+)\/(\d+)/,
    head: /Page pool usage/,
    fields: (m) => ({ pool: { memUsed: Number(m[1]), memTotal: Number(m[2]), remapUsed: Number(m[3]), remapTotal: Number(m[4]) } }),
  },
  // tools/jailhouse.c perror("JAILHOUSE_CELL_CREATE") → `JAILHOUSE_CELL_CREATE: Invalid argument`.
  {
    kind: 'driver',
    re: new RegExp(`${IOCTL}: (\\S.*)$`), // the line is trimmed: no trailing blanks to skip
    fields: (m) => ({ ioctl: m[1], errno: ERRNO_BY_TEXT[m[2]] }),
  },
  // pyjailhouse (`jailhouse cell linux`): the ioctl's IOError ends a Python traceback, `OSError: [Errno 16] …`.
  // Only with the traceback's `fcntl.ioctl(…, JAILHOUSE_…)` line before it (see readLog): other
  // OSErrors (a file not found) are no driver error.
  {
    kind: 'driver',
    re: /\b(?:OSError|IOError|[A-Z][A-Za-z]*Error): \[Errno \d+\] (\S.*)$/,
    fields: (m) => ({ errno: ERRNO_BY_TEXT[m[1]] }),
  },
  // driver/cell.c, main.c: the configuration the driver refuses before the hypervisor sees it
  // (EINVAL; the architecture mismatch returns whatever error was pending, so no errno).
  {
    kind: 'driver',
    re: /jailhouse: (Not a cell configuration|Not a system configuration|Configuration revision mismatch|Configuration architecture mismatch)/,
    fields: (m) => (/architecture/.test(m[1]) ? {} : { errno: 'EINVAL' }),
  },
];

// What follows a fault line on the same CPU: the arm64/arm/x86 register dumps and exit details.
const DUMP = [
  /Cell state before exception:/,
  /(?:^|\s)(?:pc|sp): [0-9a-fA-F]{8,16}\s/, // arm64 ` pc: … lr: … spsr: …`, ` sp: … elr: … esr: …`
  /(?:^|\s)x\d+: [0-9a-fA-F]{16}/, // arm64 ` x0: …  x1: …  x2: …`
  /(?:^|\s)pc=0x[0-9a-fA-F]+ cpsr=0x/, // arm `pc=0x… cpsr=0x… hsr=0x…`
  /(?:^|\s)r\d+(?:=|:\s+)0x[0-9a-fA-F]+/, // arm `r0=0x… r1=0x…`, `r0:  0x…`
  /Physical address: 0x[0-9a-fA-F]+ HSR: 0x/,
  /(?:^|\s)(?:RIP|RAX|RDX|CR0|EFER): 0x[0-9a-fA-F]+/, // x86 vmx.c / svm.c dump_guest_regs
  /(?:^|\s)CS: [0-9a-fA-F]+ BASE: 0x/,
  /(?:^|\s)qualification [0-9a-fA-F]+$/,
  /vectoring info: [0-9a-fA-F]+ interrupt info:/,
  /guest phys: 0x[0-9a-fA-F]+ guest linear:/,
];

// ARM exception classes of SMC: 0x13 (AArch32 / ARMv7 HSR), 0x17 (AArch64).
const SMC_CLASSES = new Set([0x13, 0x17]);

/** A line without its decoration: colours, CR, the dmesg timestamps; trailing blanks dropped. */
function clean(raw: string): string {
  return raw.replace(ANSI, '').replace(/\r/g, '').replace(TIMESTAMP, '').trimEnd();
}

// The lines that begin a register dump; the dump's other lines follow the one before them.
const DUMP_START = /Cell state before exception:|(?:^|\s)pc=0x[0-9a-fA-F]+ cpsr=0x|(?:^|\s)RIP: 0x/;

// A fault block is a few dozen lines (arm64's dump is the longest, 16); one that has gained no
// line for this long will not be parked — its parking line was cut, or it was a FATAL line that
// does not park (the hypervisor failing to start) — and must not take a later fault's CPU and cell.
const IDLE_LINES = 64;

interface Open {
  event: LogEvent;
  /** An arm fault still waiting for its `FATAL: … (exception class …)` line. */
  awaitsTrap: boolean;
  /** Its register dump has begun. */
  dumped: boolean;
}

/** Reads a console/dmesg/terminal log into events, in the order of their first line. */
export function readLog(text: string): LogEvent[] {
  // Line breaks as LSP and the editor count them (\n, \r\n, a lone \r): `line` is the editor's line.
  const lines = text.split(/\r\n|\r|\n/);
  const events: LogEvent[] = [];
  // Faults not yet closed by a parking line, oldest first.
  let open: Open[] = [];
  // The open fault the last fault, trap or dump line went to: a dump line that begins no dump is its.
  let last: Open | undefined;
  const touch = (o: Open, line: number): void => {
    o.event.endLine = line;
    last = o;
  };

  // The last `jailhouse …` command typed and the last ioctl a Python traceback named: they say
  // which config (or cell) a driver error that follows is about, and which ioctl failed.
  let command: Command | undefined;
  let pyIoctl: { ioctl: string; line: number } | undefined;

  lines.forEach((raw, line) => {
    const body = clean(raw);
    if (body === '') return;
    open = open.filter((o) => line - o.event.endLine <= IDLE_LINES);
    const typed = readCommand(body, line);
    if (typed) {
      command = typed;
      return;
    }
    const py = PY_IOCTL.exec(body);
    if (py) pyIoctl = { ioctl: py[1], line };
    const hit = match(body);
    if (!hit) {
      if (!DUMP.some((re) => re.test(body))) return;
      // Two CPUs dumping at once: each dump goes to the oldest fault still without one.
      const owner = DUMP_START.test(body) ? open.find((o) => !o.dumped) ?? last : last;
      if (owner && open.includes(owner)) {
        owner.dumped = true;
        touch(owner, line);
      }
      return;
    }
    const { format, m, incomplete } = hit;
    const event: LogEvent = {
      line,
      endLine: line,
      kind: format.kind,
      text: body.slice(m.index).trim(),
      ...(hit.headOnly ? {} : format.fields(m)),
      ...(incomplete ? { incomplete: true } : {}),
    };
    if (format.kind === 'driver' && /\[Errno /.test(event.text)) {
      if (!pyIoctl || line - pyIoctl.line > TRACEBACK_LINES) return;
      event.ioctl = pyIoctl.ioctl;
      pyIoctl = undefined;
    }
    if (format.kind === 'driver' && command && line - command.line <= COMMAND_LINES && event.ioctl !== undefined && command.ioctls.includes(event.ioctl)) {
      if (command.configFile !== undefined) event.configFile = command.configFile;
      if (command.cellName !== undefined && event.cellName === undefined) event.cellName = command.cellName;
    }
    strip(event);

    // The arm trap line after an access line is the same fault: it adds the exception class.
    const trapLine = format.kind === 'trap' && /exception class/.test(event.text);
    if (trapLine && !incomplete) {
      const owner = open.find((o) => o.awaitsTrap);
      if (owner) {
        owner.awaitsTrap = false;
        owner.event.exceptionClass = event.exceptionClass;
        touch(owner, line);
        return;
      }
    }
    // An SMC trap with no SMCCC line before it (PSCI, vendor calls) is still an SMC.
    if (trapLine && event.exceptionClass !== undefined && SMC_CLASSES.has(event.exceptionClass)) event.kind = 'smc';

    events.push(event);
    if (format.fault) {
      last = { event, awaitsTrap: !!format.armFault, dumped: false };
      open.push(last);
    } else if (format.parks) {
      park(open, event);
    } else if (format.resumes) {
      // The hypervisor is back to normal work: whatever is open will not be parked.
      open = [];
    }
  });
  return events;
}

// The `jailhouse` tool's subcommands, what they take and the ioctls whose errors they print.
// `cell linux` (pyjailhouse) creates, loads and starts; `cell shutdown` is a LOAD without images.
interface Command { line: number; ioctls: string[]; configFile?: string; cellName?: string }
const COMMAND = /\bjailhouse (enable|disable|cell (?:create|linux|load|start|shutdown|destroy))\b(.*)$/;
const COMMAND_IOCTLS: Record<string, string[]> = {
  'enable': ['JAILHOUSE_ENABLE'],
  'disable': ['JAILHOUSE_DISABLE'],
  'cell create': ['JAILHOUSE_CELL_CREATE'],
  'cell linux': ['JAILHOUSE_CELL_CREATE', 'JAILHOUSE_CELL_LOAD', 'JAILHOUSE_CELL_START'],
  'cell load': ['JAILHOUSE_CELL_LOAD'],
  'cell shutdown': ['JAILHOUSE_CELL_LOAD'],
  'cell start': ['JAILHOUSE_CELL_START'],
  'cell destroy': ['JAILHOUSE_CELL_DESTROY'],
};
// A driver error this many lines after its command is still its (the tool prints one line; a
// traceback of `cell linux` is about a dozen).
const COMMAND_LINES = 40;
// From the traceback's ioctl line to its last line, `OSError: [Errno …] …`.
const TRACEBACK_LINES = 8;
const PY_IOCTL = /fcntl\.ioctl\([^,]*,\s*(?:\w+\.)*(JAILHOUSE_[A-Z_]+)\b/;

function readCommand(body: string, line: number): Command | undefined {
  const m = COMMAND.exec(body);
  if (!m) return undefined;
  const sub = m[1].replace(/\s+/g, ' ');
  const args = m[2].trim().split(/\s+/).filter((a) => a !== '');
  const command: Command = { line, ioctls: COMMAND_IOCTLS[sub] };
  if (sub === 'enable' || sub === 'cell create') {
    if (args[0] !== undefined) command.configFile = args[0];
  } else if (sub === 'cell linux') {
    // Options before the config file: -d DTB, -i INITRD, -c CMDLINE, … take a value.
    const file = args.find((a, i) => !a.startsWith('-') && (i === 0 || !/^-[a-zA-Z]$/.test(args[i - 1])));
    if (file !== undefined) command.configFile = file;
  } else if (sub !== 'disable') {
    // parse_cell_id: `--name NAME`, `--id ID`, or one word that is a name unless it is a number.
    const [first, second] = args;
    if (first === '--name' && second !== undefined) command.cellName = second;
    else if (first !== undefined && first !== '--id' && !/^(?:0x[0-9a-fA-F]+|\d+)$/.test(first)) command.cellName = first;
  }
  return command;
}

function match(body: string): { format: Format; m: RegExpExecArray; incomplete: boolean; headOnly?: boolean } | undefined {
  for (const format of FORMATS) {
    const m = format.fallback ? null : format.re.exec(body);
    if (m) return { format, m, incomplete: format.cut?.(m) ?? false };
  }
  // A known opening whose fields are cut off wins over the catch-all FATAL line.
  for (const format of FORMATS) {
    const m = format.head?.exec(body);
    if (m) return { format, m, incomplete: true, headOnly: true };
  }
  for (const format of FORMATS) {
    const m = format.fallback ? format.re.exec(body) : null;
    if (m) return { format, m, incomplete: false };
  }
  return undefined;
}

/** A parking/stopping line closes the oldest open fault: the CPU that faulted first parks first. */
function park(open: Open[], parking: LogEvent): void {
  if (parking.cpu === undefined) return;
  const closed = open.shift();
  if (!closed) return;
  closed.event.cpu = parking.cpu;
  if (parking.cellName !== undefined) closed.event.cellName = parking.cellName;
}

/** Drops fields a format left undefined, so events compare and serialise cleanly. */
function strip(event: LogEvent): void {
  for (const k of Object.keys(event) as (keyof LogEvent)[]) if (event[k] === undefined) delete event[k];
}
