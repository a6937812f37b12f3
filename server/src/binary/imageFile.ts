// Where a built image goes and how it gets there: named as upstream's build names it, and
// written through a temporary file renamed into place, so a reader (or a crash) never sees
// half an image.
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';

/** `configs/arm64/foo.c` → `configs/arm64/foo.cell` (or `DIR/foo.cell`), as upstream's configs/Makefile names them. */
export function imagePathFor(source: string, outDir?: string): string {
  const base = path.basename(source);
  const name = (base.endsWith('.c') ? base.slice(0, -2) : base) + '.cell';
  return path.join(outDir ?? path.dirname(source), name);
}

/** Writes `bytes` to `file` atomically; the error as a sentence, or undefined when written. */
export function writeImageFile(file: string, bytes: Uint8Array): string | undefined {
  const dir = path.dirname(file);
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is not a folder`;
  } catch {
    return `folder ${dir} does not exist`;
  }
  try {
    if (statSync(file).isDirectory()) return `${file} is a folder`;
  } catch {
    // Not there yet: the usual case.
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
    return undefined;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // Never created, or already renamed.
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EACCES' || err.code === 'EPERM') return `cannot write ${file}: permission denied`;
    if (err.code === 'ENOSPC') return `cannot write ${file}: no space left on the device`;
    if (err.code === 'EROFS') return `cannot write ${file}: read-only file system`;
    return `cannot write ${file}: ${err.message}`;
  }
}
