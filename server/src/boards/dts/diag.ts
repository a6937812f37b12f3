// Problems found while reading a device tree: always with file:line, never thrown at the caller.

export interface DtsDiag {
  severity: 'error' | 'warning';
  file: string;
  /** 1-based, as compilers print them. */
  line: number;
  column: number;
  message: string;
}

export function formatDtsDiag(d: DtsDiag): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/** 1-based line/column of an offset in a text. */
export function lineColOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
