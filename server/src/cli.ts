// `jhcell`: the command-line front end over the same engine as the language server.
// Each subcommand lives in cli/<name>.ts and exports `run(args): Promise<number>` (exit code).
// scripts/build.mjs bundles each into dist/jhcell-<name>.js beside this dispatcher, so that a
// command compiles only its own code (`check` does not pay for the language server's).
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { isUsageError, USAGE } from './cli/args';
import { loadBundle } from './cli/codeCache';

type Command = (args: string[]) => Promise<number>;

const COMMANDS = ['dump', 'check', 'lsp', 'map', 'board', 'explain', 'new', 'build', 'diff'];

function loadCommand(name: string): { exports: { run: Command }; save(): void } {
  const file = join(__dirname, `jhcell-${name}.js`);
  // The language server runs for long: compiling its bundle once is nothing to save. A computed
  // path: esbuild leaves the require to run time.
  if (name === 'lsp') return { exports: require(file) as { run: Command }, save: () => {} };
  // Short runs: V8's code cache (cli/codeCache.ts).
  return loadBundle<{ run: Command }>(file);
}

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
  if (!COMMANDS.includes(cmd)) {
    process.stderr.write(`jhcell: unknown command '${cmd}'\n\n${USAGE}`);
    return 2;
  }
  // The usage lists -h/--help among the options of every command (`jhcell board --help`).
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.some((a) => a === '-h' || a === '--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const command = loadCommand(cmd);
    const code = await command.exports.run(rest);
    command.save();
    return code;
  } catch (e) {
    if (isUsageError(e)) {
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
