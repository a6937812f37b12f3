// The editor never checks a cell without its root silently: jailhouse/fileInfo (the status bar)
// and the header hover say which root and why; a cell no root fits gets `system-root` with one
// quick fix per candidate, and applying one groups the cell with that root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { positionIn } from '../support/cursor';
import { read, ROOT, scratchCopy, startServer, uriOf, type Server } from './harness';

const FIXTURE = path.join(ROOT, 'test/fixtures/workspace/heron');

interface Info {
  isConfig: boolean;
  rootFile?: string;
  grouping?: { reason: string; evidence?: string[]; candidates?: string[]; text: string };
}

interface Action {
  title: string;
  edit: {
    changes?: Record<string, { newText: string }[]>;
    documentChanges?: ({ kind: 'create'; uri: string } | { textDocument: { uri: string }; edits: { newText: string }[] })[];
  };
}

/** Applies a WorkspaceEdit as a client does: creates files and writes the new text (whole-text edits only). */
function apply(edit: Action['edit']): string[] {
  const written: string[] = [];
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    writeFileSync(fileURLToPath(uri), edits[0].newText);
    written.push(uri);
  }
  for (const c of edit.documentChanges ?? []) {
    if ('kind' in c) writeFileSync(fileURLToPath(c.uri), '');
    else {
      writeFileSync(fileURLToPath(c.textDocument.uri), c.edits.map((e) => e.newText).join(''));
      written.push(c.textDocument.uri);
    }
  }
  return written;
}

describe('grouping in the editor', () => {
  let server: Server;
  let scratch: ReturnType<typeof scratchCopy>;
  const file = (n: string) => path.join(scratch.dir, n);

  before(async () => {
    scratch = scratchCopy(FIXTURE);
    // As VS Code and Neovim do: the client can create files in a workspace edit.
    server = await startServer({ rootDir: scratch.dir, workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] } });
  });
  after(async () => {
    await server.stop();
    scratch.dispose();
  });

  const info = (f: string) => server.conn.sendRequest('jailhouse/fileInfo', { uri: uriOf(f) }) as Promise<Info>;
  const hoverAt = async (f: string, pattern: string) => {
    const r = (await server.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(f) }, position: positionIn(read(f), pattern) })) as { contents: { value: string } } | null;
    return r?.contents.value ?? '';
  };

  test('a cell inferred from content: fileInfo and hover name the root and the evidence', async () => {
    const rtos = file('rtos.c');
    const p = server.nextDiagnostics(uriOf(rtos));
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(rtos), languageId: 'c', version: 1, text: read(rtos) } });
    const d = await p;
    assert.deepEqual(d.diagnostics.map((x) => x.code), []);
    const i = await info(rtos);
    assert.equal(i.rootFile, file('heron-a.c'));
    assert.equal(i.grouping?.reason, 'content');
    assert.match(i.grouping!.text, /^checked with root heron-a\.c \(inferred from content: irqchip 0xfec00000, RAM inside root regions \(1\/1\)/);
    assert.match(await hoverAt(rtos, 'st$0ruct jailhouse_cell_desc cell'), /Checked with root \*\*heron-a\*\* \(`heron-a\.c`\): inferred from content/);
    assert.equal((await info(file('heron-a.c'))).grouping, undefined, 'a root has no grouping of its own');
  });

  test('a cell no root fits: system-root, one quick fix per candidate, and the chosen root after applying it', async () => {
    const lone = file('lone.c');
    const uri = uriOf(lone);
    const p = server.nextDiagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: read(lone) } });
    const diags = (await p).diagnostics;
    const diag = diags.find((d) => d.code === 'system-root') as Diagnostic;
    assert.ok(diag, JSON.stringify(diags));
    assert.equal(diag.severity, 3, 'information');
    assert.match(String(diag.message), /^checked without a root cell: heron-a\.c and heron-b\.c fit about equally well/);
    assert.deepEqual(diag.range.start, positionIn(read(lone), '$0struct jailhouse_cell_desc cell'));
    const before = await info(lone);
    assert.equal(before.grouping?.reason, 'none');
    assert.equal(before.rootFile, undefined);
    assert.match(await hoverAt(lone, 'st$0ruct jailhouse_cell_desc cell'), /Checked \*\*without a root cell\*\*/);

    const actions = (await server.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } })) as Action[];
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, ['Check with heron-a.c (write jailhouse-cells.json)', 'Check with heron-b.c (write jailhouse-cells.json)']);
    const decl = file('jailhouse-cells.json');
    assert.equal(existsSync(decl), false);
    const chosen = actions[1];
    assert.ok(chosen.edit.documentChanges?.some((c) => 'kind' in c && c.kind === 'create' && c.uri === uriOf(decl)), 'creates the declaration at the workspace folder');
    apply(chosen.edit);

    const cleared = server.nextDiagnostics(uri, (d) => !d.diagnostics.some((x) => x.code === 'system-root'));
    await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(decl), type: 1 }] });
    const after = await cleared;
    assert.deepEqual(after.diagnostics.filter((d) => d.severity === 1), [], 'the fix leaves no error');
    const now = await info(lone);
    assert.equal(now.rootFile, file('heron-b.c'));
    assert.equal(now.grouping?.reason, 'declared');
    assert.equal(now.grouping?.text, 'checked with root heron-b.c (declared in jailhouse-cells.json)');
    assert.match(await hoverAt(lone, 'st$0ruct jailhouse_cell_desc cell'), /Checked with root \*\*heron-b\*\* \(`heron-b\.c`\): declared in jailhouse-cells\.json/);
  });

  test('a second choice updates the existing declaration instead of creating one', async () => {
    // Undo the choice by hand: an empty system list leaves lone.c without a root again.
    const decl = file('jailhouse-cells.json');
    writeFileSync(decl, JSON.stringify({ version: 1, systems: [{ root: 'heron-a.c', cells: ['rtos.c'] }] }, null, 2));
    const lone = file('lone.c');
    const back = server.nextDiagnostics(uriOf(lone), (d) => d.diagnostics.some((x) => x.code === 'system-root'));
    await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(decl), type: 2 }] });
    const diag = (await back).diagnostics.find((x) => x.code === 'system-root')!;
    const actions = (await server.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(lone) }, range: diag.range, context: { diagnostics: [diag] } })) as Action[];
    const toA = actions.find((a) => a.title.startsWith('Check with heron-a.c'))!;
    assert.ok(toA.edit.changes?.[uriOf(decl)], 'an existing declaration is edited in place');
    apply(toA.edit);
    assert.deepEqual(JSON.parse(read(decl)).systems, [{ root: 'heron-a.c', cells: ['rtos.c', 'lone.c'] }]);
    const cleared = server.nextDiagnostics(uriOf(lone), (d) => !d.diagnostics.some((x) => x.code === 'system-root'));
    await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(decl), type: 2 }] });
    await cleared;
    assert.equal((await info(lone)).rootFile, file('heron-a.c'));
  });
});

describe('grouping in an editor without resource operations', () => {
  test('the declaration is written as an insertion into the new file', async () => {
    const scratch = scratchCopy(FIXTURE);
    const server = await startServer({ rootDir: scratch.dir });
    try {
      const lone = path.join(scratch.dir, 'lone.c');
      const p = server.nextDiagnostics(uriOf(lone), (d) => d.diagnostics.some((x) => x.code === 'system-root'));
      await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(lone), languageId: 'c', version: 1, text: read(lone) } });
      const diag = (await p).diagnostics.find((x) => x.code === 'system-root')!;
      const actions = (await server.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(lone) }, range: diag.range, context: { diagnostics: [diag] } })) as Action[];
      const decl = uriOf(path.join(scratch.dir, 'jailhouse-cells.json'));
      assert.equal(actions.length, 2);
      for (const a of actions) {
        assert.equal(a.edit.documentChanges, undefined);
        assert.deepEqual(JSON.parse(a.edit.changes![decl][0].newText).systems[0].cells, ['lone.c']);
      }
    } finally {
      await server.stop();
      scratch.dispose();
    }
  });
});
