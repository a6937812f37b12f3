// `jhcell`: the command-line front end over the same engine as the language server.
// Each subcommand lives in cli/<name>.ts and exports `run(args): Promise<number>` (exit code).
import { setFlagsFromString } from 'node:v8';
import { USAGE, UsageError } from './cli/args';

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  dump: () => import('./cli/dump.js'),
  check: () => import('./cli/check.js'),
  lsp: () => import('./cli/lsp.js'),
  map: () => import('./cli/map.js'),
  board: () => import('./cli/board.js'),
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === '-V') {
    process.stdout.write(`jhcell ${VERSION}\n`);
    return 0;
  }
  // A CLI run is short. With V8's default tier-up much of the engine is sent to the optimizing
  // compiler before that pays off: ~30% of the CPU of `jhcell check` on upstream's 118 configs.
  // A larger budget keeps optimization for code that is really hot (big inputs run as fast).
  // The language server runs for long: it keeps the default.
  if (cmd !== 'lsp') setFlagsFromString('--interrupt-budget=500000');
  const load = COMMANDS[cmd];
  if (!load) {
    process.stderr.write(`jhcell: unknown command '${cmd}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`jhcell ${cmd}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`jhcell: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 3;
  },
);
