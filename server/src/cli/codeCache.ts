// Loading a command bundle with V8's code cache: the bytecode of the functions a run compiled,
// saved after a run and handed back to V8 on the next, so a short `jhcell` run does not parse
// and compile its bundle's functions again. Most of a cold `jhcell check` is compiling and
// interpreting code that a warm process has long compiled.
//
// Where a cache lives: `dist/jhcell-<command>.code-cache` in a clone, written by
// scripts/build.mjs from a run on examples/ (not packed: it only fits the Node that built it,
// and doubled the .vsix); else, once a run has made one (an installed package is read-only), the
// user's cache folder (`$XDG_CACHE_HOME/jhcell`, `~/.cache/jhcell`). A cache is used only when
// its header names the same bundle (length and CRC-32 of its text), Node version and V8 flags
// and its data's CRC-32 matches; V8 checks its own version and flags again and may still reject
// it. A cache that does not match is ignored (the bundle compiles as without one). Nothing here
// changes what a command does or prints.
//
// JHCELL_CODE_CACHE: `off` loads bundles with plain require; `debug` says on stderr which cache
// was used or why none; `write-dist` (the build) writes the cache beside the bundle.
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as zlib from 'node:zlib';

const MAGIC = 'jhcell-code-cache 1';

type Exports = Record<string, unknown>;

export interface Loaded<T> {
  exports: T;
  /** After the command ran: saves the code cache when this run should (see the module comment). */
  save(): void;
}

/** CRC-32 of bytes (zlib's, where this Node has it; else a table-driven one). */
function crc32(b: Uint8Array): number {
  const z = zlib as unknown as { crc32?: (d: Uint8Array) => number };
  if (typeof z.crc32 === 'function') return z.crc32(b) >>> 0;
  let c = ~0;
  for (let i = 0; i < b.length; i++) c = (c >>> 8) ^ TABLE[(c ^ b[i]) & 0xff];
  return ~c >>> 0;
}

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** V8 flags this process runs with (a code cache is only valid under the same ones). */
function flagsKey(): string {
  return `${process.execArgv.join(' ')}|${process.env.NODE_OPTIONS ?? ''}`;
}

function userCacheDir(): string | undefined {
  const base = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined) || (os.homedir() ? path.join(os.homedir(), '.cache') : undefined);
  return base ? path.join(base, 'jhcell') : undefined;
}

/** `header\n` + data, header = MAGIC, bundle length and CRC, node version, flags' CRC, data CRC. */
function header(bundle: Buffer, data: Uint8Array): string {
  return `${MAGIC} ${bundle.length} ${crc32(bundle)} ${process.version} ${process.arch} ${crc32(Buffer.from(flagsKey()))} ${crc32(data)}`;
}

/** The cache's data when its header matches this bundle and process; else why not. */
function readCache(file: string, bundle: Buffer): Buffer | string {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch {
    return 'none';
  }
  const nl = raw.indexOf(10);
  if (nl < 0) return 'no header';
  const data = raw.subarray(nl + 1);
  const got = raw.toString('latin1', 0, nl);
  const want = header(bundle, data);
  if (got === want) return data;
  const owner = (h: string) => h.slice(0, h.lastIndexOf(' '));
  return owner(got) === owner(want) ? 'damaged (checksum differs)' : 'made for another bundle, Node or flags';
}

function writeAtomically(file: string, content: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/**
 * Runs the CommonJS bundle `file` (as require would) and returns its exports, compiled with a
 * matching code cache when there is one.
 */
export function loadBundle<T = Exports>(file: string): Loaded<T> {
  const mode = process.env.JHCELL_CODE_CACHE ?? '';
  // Source maps (--enable-source-maps) are applied by require only.
  if (mode === 'off' || flagsKey().includes('source-map')) return { exports: require(file) as T, save: () => {} };
  const debug = (msg: string) => {
    if (mode === 'debug') process.stderr.write(`jhcell: code cache: ${msg}\n`);
  };
  const bundle = fs.readFileSync(file);
  const name = path.basename(file, '.js');
  const distCache = file.replace(/\.js$/, '.code-cache');
  const userDir = userCacheDir();
  // One file per install (the bundle's path) and flags: two installs do not overwrite each other's.
  const key = `${crc32(Buffer.from(file)).toString(16)}-${crc32(Buffer.from(flagsKey())).toString(16)}`;
  const userCache = userDir && path.join(userDir, `${name}-${process.version}-${process.arch}-${key}.code-cache`);
  let cached: Buffer | undefined;
  let from = '';
  let why = '';
  for (const c of mode === 'write-dist' ? [] : [distCache, userCache]) {
    if (!c) continue;
    const r = readCache(c, bundle);
    if (typeof r !== 'string') {
      cached = r;
      from = c;
      break;
    }
    why += `${why ? '; ' : ''}${c}: ${r}`;
  }
  const text = bundle.toString('utf8').replace(/^#!/, '//');
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${text}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData: cached });
  const accepted = cached !== undefined && !script.cachedDataRejected;
  debug(accepted ? `used ${from}` : cached ? `${from}: rejected by V8` : why);
  const mod = { exports: {} as Exports, filename: file, id: file, loaded: false };
  const fn = script.runInThisContext() as (e: Exports, r: NodeRequire, m: typeof mod, f: string, d: string) => void;
  fn.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  const save = () => {
    // The build writes dist's cache; a run writes the user's only when no cache served it.
    const target = mode === 'write-dist' ? distCache : accepted ? undefined : userCache;
    if (!target) return;
    try {
      const data = script.createCachedData();
      writeAtomically(target, Buffer.concat([Buffer.from(header(bundle, data) + '\n', 'latin1'), data]));
      debug(`wrote ${target}`);
    } catch (e) {
      // A cache folder that cannot be written costs only speed; the build must hear of it.
      if (mode === 'write-dist') throw e;
      debug(`cannot write ${target}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return { exports: mod.exports as T, save };
}
