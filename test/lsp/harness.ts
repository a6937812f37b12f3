// Starts the real bundled server (dist/server.js) as a child process and talks JSON-RPC to it
// over stdio, as an editor would. Shared by the LSP tests and the latency benchmark.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  LogMessageNotification,
  type LogMessageParams,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type InitializeResult,
} from 'vscode-languageserver-protocol/node';
import { SERVER_EXEC_ARGV } from '../../server/src/lsp/runtime';

export const ROOT = path.resolve(__dirname, '../..');

export interface Server {
  conn: ProtocolConnection;
  proc: ChildProcess;
  init: InitializeResult;
  /** Latest diagnostics per URI. */
  diags: Map<string, PublishDiagnosticsParams>;
  /** Resolves with the next publish for `uri` that satisfies `pred`. */
  nextDiagnostics(uri: string, pred?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  stderr: string[];
  stop(): Promise<void>;
}

export async function startServer(opts: { rootDir?: string; settings?: Record<string, unknown>; args?: string[]; ipc?: boolean; entry?: string; entryArgs?: string[]; initializationOptions?: unknown; pull?: boolean; workspaceEdit?: Record<string, unknown>; workspace?: Record<string, unknown> } = {}): Promise<Server> {
  const entry = opts.entry ?? path.join(ROOT, 'dist/server.js');
  const nodeArgs = [...SERVER_EXEC_ARGV, ...(process.env.JH_SERVER_NODE_ARGS ? process.env.JH_SERVER_NODE_ARGS.split(' ') : [])];
  // The two transports an editor uses: stdio (any LSP client) and Node IPC (the VS Code client).
  const proc = opts.ipc
    ? fork(entry, ['--node-ipc'], { execArgv: nodeArgs, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] })
    : spawn(process.execPath, [...nodeArgs, entry, ...(opts.entryArgs ?? opts.args ?? ['--stdio'])], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  proc.stderr!.on('data', (b: Buffer) => stderr.push(b.toString()));
  const conn = opts.ipc
    ? createProtocolConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc))
    : createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const diags = new Map<string, PublishDiagnosticsParams>();
  const waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    diags.set(p.uri, p);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.uri === p.uri && w.pred(p)) {
        waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  });
  conn.onNotification(LogMessageNotification.method, (p: LogMessageParams) => {
    stderr.push(p.message);
  });
  const settings = opts.settings ?? {};
  conn.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => settings));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  const rootUri = opts.rootDir ? pathToFileURL(opts.rootDir).toString() : null;
  const init = (await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, ...(opts.workspaceEdit ? { workspaceEdit: opts.workspaceEdit } : {}), ...opts.workspace },
      textDocument: { publishDiagnostics: { versionSupport: true }, ...(opts.pull ? { diagnostic: { dynamicRegistration: false } } : {}) },
    },
    initializationOptions: opts.initializationOptions,
  })) as InitializeResult;
  await conn.sendNotification('initialized', {});
  return {
    conn,
    proc,
    init,
    diags,
    stderr,
    nextDiagnostics(uri, pred = () => true, timeoutMs = 10000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms\n${stderr.join('')}`)), timeoutMs);
        waiters.push({
          uri,
          pred,
          resolve: (p) => {
            clearTimeout(t);
            resolve(p);
          },
        });
      });
    },
    async stop() {
      try {
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } catch {
        /* already gone */
      }
      await new Promise<void>((r) => {
        if (proc.exitCode !== null) return r();
        const t = setTimeout(() => {
          proc.kill('SIGKILL');
          r();
        }, 2000);
        proc.on('exit', () => {
          clearTimeout(t);
          r();
        });
      });
      conn.dispose();
    },
  };
}

/** A scratch copy of a fixture folder, so tests may edit files on disk. */
export function scratchCopy(fixtureDir: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'jh-lsp-'));
  cpSync(fixtureDir, dir, { recursive: true });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function uriOf(file: string): string {
  return pathToFileURL(file).toString();
}

export function read(file: string): string {
  return readFileSync(file, 'utf8');
}

/** LSP position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let idx = -1;
  for (let i = 0; i <= nth; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`'${needle}' not found`);
  }
  const off = idx + delta;
  const before = text.slice(0, off);
  const line = before.split('\n').length - 1;
  return { line, character: off - (before.lastIndexOf('\n') + 1) };
}

/** Applies LSP edits (line/character ranges, no overlaps) to `text`. */
export function applyLsp(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }) => starts[p.line] + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => off(b.range.start) - off(a.range.start))) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
