// Starts code-server (a real VS Code: server + web workbench) from the cache that
// scripts/e2e-setup.sh fills, in its own process group so stopping it leaves nothing behind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface CodeServer {
  port: number;
  base: string;
  extensionsDir: string;
  stop(): Promise<void>;
  log(): string;
}

export function codeServerDir(root: string): string {
  const marker = path.join(root, '.vscode-test/code-server.path');
  const dir = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : '';
  if (!dir || !existsSync(path.join(dir, 'out/node/entry.js'))) throw new Error('code-server is not installed: run scripts/e2e-setup.sh first');
  return dir;
}

/** Installs a .vsix into `extensionsDir`; returns the unpacked extension folder. */
export function installVsix(csDir: string, vsix: string, extensionsDir: string, id: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, [path.join(csDir, 'out/node/entry.js'), '--install-extension', vsix, '--extensions-dir', extensionsDir, '--force'], {
    encoding: 'utf8',
    env,
    timeout: 120000,
  });
  if (r.status !== 0) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
  const dir = spawnSync('ls', [extensionsDir], { encoding: 'utf8' })
    .stdout.split('\n')
    .find((n) => n.toLowerCase().startsWith(`${id.toLowerCase()}-`));
  if (!dir) throw new Error(`extension ${id} not found in ${extensionsDir} after install`);
  return path.join(extensionsDir, dir);
}

export function baseEnv(runDir: string): NodeJS.ProcessEnv {
  return { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_DATA_HOME: path.join(runDir, 'xdg-data'), XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'), XDG_CACHE_HOME: path.join(runDir, 'xdg-cache') };
}

export async function startCodeServer(opts: { csDir: string; runDir: string; extensionsDir: string; folder: string; settings: Record<string, unknown> }): Promise<CodeServer> {
  const userData = path.join(opts.runDir, 'user-data');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify(opts.settings, null, 2));
  const config = path.join(opts.runDir, 'code-server.yaml');
  writeFileSync(config, '');
  const args = [
    path.join(opts.csDir, 'out/node/entry.js'),
    '--config', config,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userData,
    '--extensions-dir', opts.extensionsDir,
    '--bind-addr', '127.0.0.1:0',
    opts.folder,
  ];
  const proc: ChildProcess = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: baseEnv(opts.runDir) });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`code-server did not start:\n${out}`)), 60000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`code-server exited (${code}):\n${out}`));
    });
  });
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    extensionsDir: opts.extensionsDir,
    log: () => out,
    async stop() {
      const pgid = proc.pid!;
      const alive = () => {
        try {
          process.kill(-pgid, 0);
          return true;
        } catch {
          return false;
        }
      };
      try {
        process.kill(-pgid, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
      if (alive()) process.kill(-pgid, 'SIGKILL');
    },
  };
}
