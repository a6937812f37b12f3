// The status bar says which root a cell is checked with and why, or that it has none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusText, type FileInfo } from '../../../client/src/statusText';
import type { FileInfo as ServerFileInfo } from '../../../server/src/protocol/methods';

// The server's answer is what the client reads (a type error here means the two drifted).
const asClient = (i: ServerFileInfo): FileInfo => i;

describe('status bar text', () => {
  it('a cell grouped by content: root, board and a short reason; the tooltip has the sentence', () => {
    const s = statusText(asClient({ isConfig: true, kind: 'cell', name: 'rtos', arch: 'x86', system: 'heron-a', rootFile: '/w/heron-a.c', cells: 1, board: 'heron-a', grouping: { reason: 'content', evidence: ['irqchip 0xfec00000'], text: 'checked with root heron-a.c (inferred from content: irqchip 0xfec00000)' } }));
    assert.equal(s.text, '$(circuit-board) heron-a · heron-a (inferred)');
    assert.ok(s.tooltip.includes('Checked with root heron-a.c (inferred from content: irqchip 0xfec00000)'), s.tooltip.join('|'));
    assert.ok(s.tooltip.includes('System: heron-a (`/w/heron-a.c`)'));
  });

  it('each reason has its word', () => {
    const word = (reason: NonNullable<FileInfo['grouping']>['reason']) => statusText({ isConfig: true, kind: 'cell', system: 's', rootFile: '/w/s.c', grouping: { reason, text: 'x' } }).text;
    assert.match(word('declared'), /\(declared\)$/);
    assert.match(word('explicit'), /\(named\)$/);
    assert.match(word('folder'), /\(same folder\)$/);
    assert.match(word('prefix'), /\(name prefix\)$/);
  });

  it('a cell without a root is flagged, not shown as a system', () => {
    const s = statusText({ isConfig: true, kind: 'cell', name: 'lone', grouping: { reason: 'none', candidates: ['/w/a.c', '/w/b.c'], text: 'checked without a root cell: a.c and b.c fit about equally well' } });
    assert.equal(s.text, '$(warning) no root cell');
    assert.ok(s.tooltip.includes('Checked without a root cell: a.c and b.c fit about equally well'));
  });

  it('a root shows its system and no reason', () => {
    const s = statusText({ isConfig: true, kind: 'system', system: 'heron-a', rootFile: '/w/heron-a.c', cells: 1, board: 'heron-a' });
    assert.equal(s.text, '$(circuit-board) heron-a · heron-a');
    assert.equal(s.tooltip[0], '**Jailhouse** system configuration (root cell)');
  });
});
