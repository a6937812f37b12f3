// Runs `jhcell new cell` from the sources as its own process (the CLI tests' subject), with the
// dispatcher's handling of usage errors: message on stderr, exit 2.
import { isUsageError } from '../../../server/src/cli/args';
import { runNewCell } from '../../../server/src/cli/newCell';

runNewCell(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (!isUsageError(e)) throw e;
    process.stderr.write(`jhcell: ${(e as Error).message}\n`);
    process.exit(2);
  },
);
