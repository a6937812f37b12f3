// Runs `jhcell new …` from the sources as its own process (the CLI test's subject), with the
// dispatcher's handling of usage errors: message on stderr, exit 2.
import { isUsageError } from '../../../server/src/cli/args';
import { run } from '../../../server/src/cli/new';

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (!isUsageError(e)) throw e;
    process.stderr.write(`jhcell: ${(e as Error).message}\n`);
    process.exit(2);
  },
);
