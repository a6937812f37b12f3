// How `jhcell` names a file in what it prints, the way compilers do: relative to the working
// directory when the file is under it, else absolute; `<…>` pseudo-names as they are.
import * as path from 'node:path';

export function displayPath(file: string, cwd = process.cwd()): string {
  if (file.startsWith('<')) return file;
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (!rel) return abs;
  const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  return outside ? abs : rel;
}
