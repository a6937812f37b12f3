// The server's use of the one config detector (syntax/configKind): which documents get
// diagnostics and answers, and what Check Workspace counts. Included files are read through the
// FileStore, so an unsaved buffer of the included config counts.
import { detectConfig, treatAsConfig, type ConfigDetection } from '../syntax/configKind';

/** What the detector needs of the server's files (the FileStore). */
export interface TextSource {
  read(file: string): string | undefined;
}

const NOTHING: TextSource = { read: () => undefined };

/** What `file` is; `text` defaults to its current text. Undefined when it cannot be read. */
export function detectFile(files: TextSource, file: string, text = files.read(file)): ConfigDetection | undefined {
  return text === undefined ? undefined : detectConfig(file, text, (f) => files.read(f));
}

/**
 * Whether the server treats the document as a Jailhouse config. Without `file` and `files`
 * only the text itself counts (a wrapper's include cannot be followed, so it is undecided).
 */
export function isJailhouseConfig(text: string, file = '', files: TextSource = NOTHING): boolean {
  return treatAsConfig(detectConfig(file, text, (f) => files.read(f)));
}
