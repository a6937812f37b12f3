// Image files on disk: reading one (or telling what a file is before reading it whole), and
// where a built image goes and how it gets there: named as upstream's build names it, and
// written through a temporary file renamed into place, so a reader (or a crash) never sees
// half an image.
import { closeSync, fsyncSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { NOT_A_CONFIG } from './decode';
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

/** Larger files are no Jailhouse image (a cell config must fit 64 KiB; upstream images are < 4 KiB). */
export const MAX_IMAGE_BYTES = 1024 * 1024;

/** An ELF object (what gcc writes before objcopy) instead of an image: why it is refused, with the step that makes the image. */
export function elfProblem(bytes: Uint8Array): string | undefined {
  if (bytes[0] !== 0x7f || String.fromCharCode(...bytes.subarray(1, 4)) !== 'ELF') return undefined;
  return `${NOT_A_CONFIG}: an ELF object file; a .cell image is made from it with \`objcopy -O binary --remove-section=.note.gnu.property\``;
}

/** The first `want` bytes of a regular file and its size, or why not (a sentence without the file name). */
export function readHead(file: string, want: number): { bytes: Uint8Array; size: number } | string {
  let fd: number | undefined;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return 'is a directory';
    if (!st.isFile()) return 'not a regular file';
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(Math.min(want, st.size));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return { bytes: new Uint8Array(buf.buffer, buf.byteOffset, got), size: st.size };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return `cannot read: ${err.code === 'ENOENT' ? 'no such file' : (err.message ?? String(e))}`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
