// Finds the C files under the workspace folders for "check workspace" through the workspace's
// one folder walk. Bounded in depth and count so a huge tree cannot stall the server; what the
// bounds leave out is said, not hidden.
import { walkCFiles } from '../workspace';

/** Build output beside the sources; the editor's scan skips it where `jhcell check` does not. */
const EDITOR_SKIP = ['build'];

export interface CFiles {
  files: string[];
  /** What the bounds left out, as a sentence for the user; undefined when nothing was. */
  notChecked?: string;
}

export function findCFiles(roots: string[], maxFiles = 5000, maxDepth = 8): CFiles {
  const found = walkCFiles(roots, { maxDepth, maxFiles, skipAlso: EDITOR_SKIP });
  const notes: string[] = [];
  if (found.stoppedAt !== undefined) notes.push(`only the first ${found.stoppedAt} C files were looked at`);
  if (found.tooDeep.length) notes.push(`folders more than ${maxDepth} levels deep were skipped (${found.tooDeep.length}, e.g. ${found.tooDeep[0]})`);
  return { files: found.files, notChecked: notes.length ? notes.join('; ') : undefined };
}
