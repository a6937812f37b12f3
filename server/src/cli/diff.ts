// `jhcell diff`: placeholder until the command lands (issue in progress).
import { UsageError } from './args';

export async function run(_args: string[]): Promise<number> {
  throw new UsageError('not implemented yet');
}
