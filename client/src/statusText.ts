// What the status bar item says for a jailhouse/fileInfo answer: the system and, for a cell, why
// that root (or that there is none). Pure, so it is tested without VS Code.
import type { FileInfo } from '../../server/src/protocol/methods';

export type { FileInfo };

/** Short words for the status bar; the tooltip carries the server's full sentence. */
const REASON: Record<string, string> = { declared: 'declared', explicit: 'named', folder: 'same folder', prefix: 'name prefix', content: 'inferred', none: 'no root' };

/** The item's text (with its codicon) and tooltip paragraphs (Markdown). */
export function statusText(info: FileInfo): { text: string; tooltip: string[] } {
  const g = info.grouping;
  const rootless = !info.rootFile || g?.reason === 'none';
  const system = rootless ? 'no root cell' : (info.system ?? '(unnamed system)');
  const board = info.board && !rootless ? ` · ${info.board}` : '';
  const reason = g && !rootless ? ` (${REASON[g.reason] ?? g.reason})` : '';
  const what = info.kind === 'system' ? 'system configuration (root cell)' : `cell "${info.name ?? '?'}"`;
  const tooltip = [`**Jailhouse** ${what}${info.arch ? ` · ${info.arch}` : ''}`, `System: ${system}${info.rootFile && !rootless ? ` (\`${info.rootFile}\`)` : ''}`];
  if (g?.text) tooltip.push(g.text.charAt(0).toUpperCase() + g.text.slice(1));
  tooltip.push(`Cells in the system: ${info.cells ?? 0}`);
  return { text: `$(${rootless ? 'warning' : 'circuit-board'}) ${system}${board}${reason}`, tooltip };
}
