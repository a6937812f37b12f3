// The wizards' requests over real JSON-RPC against the bundled server: a system generated from
// every bundled board analyses and checks without an error; the defaults the wizard shows are
// the text's; a cell generated on a written system checks clean with it, and the CPUs of the
// cells that exist are no longer offered; wrong input is answered with an error that says why.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { BoardSummary, CellChoicesResult, NewConfigResult, NewSystemResult } from '../../server/src/protocol/methods';
import { read, ROOT, scratchCopy, startServer, uriOf, type Server } from './harness';

const errorsOf = (ds: Diagnostic[] | undefined) => (ds ?? []).filter((d) => d.severity === 1).map((d) => `${d.code}: ${d.message}`);

describe('jailhouse/newSystem, jailhouse/cellChoices, jailhouse/newCell', () => {
  let server: Server;
  let dir: string;
  let heron: ReturnType<typeof scratchCopy>;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'jh-generate-'));
    heron = scratchCopy(path.join(ROOT, 'test/fixtures/lsp/explain'));
    server = await startServer({ rootDir: dir });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    heron?.dispose();
  });

  const newSystem = (p: unknown) => server.conn.sendRequest('jailhouse/newSystem', p) as Promise<NewSystemResult>;
  const choices = (file: string) => server.conn.sendRequest('jailhouse/cellChoices', { uri: uriOf(file) }) as Promise<CellChoicesResult>;
  const newCell = (file: string, options: unknown) => server.conn.sendRequest('jailhouse/newCell', { uri: uriOf(file), options }) as Promise<NewConfigResult>;
  /** Writes a generated config where the server suggests, opens it, and gives the errors published for it. */
  const writeAndOpen = async (r: NewConfigResult): Promise<string[]> => {
    assert.ok(r.suggestedPath);
    mkdirSync(path.dirname(r.suggestedPath), { recursive: true });
    writeFileSync(r.suggestedPath, r.text);
    const uri = uriOf(r.suggestedPath);
    const published = server.nextDiagnostics(uri);
    await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: r.text } });
    return errorsOf((await published).diagnostics);
  };

  test('every bundled ARM board gives a system the engine and the checks accept; x86 is refused with the reason', async () => {
    const boards = (await server.conn.sendRequest('jailhouse/listBoards')) as BoardSummary[];
    assert.ok(boards.length >= 8, boards.map((b) => b.id).join(', '));
    for (const b of boards) {
      if (b.arch === 'x86') {
        // A board description lacks what an x86 root needs (PCI devices, IOMMUs): refused, saying so.
        await assert.rejects(newSystem({ board: b.id }), /jailhouse config create/);
        continue;
      }
      const r = await newSystem({ board: b.id });
      assert.deepEqual(r.problems, [], b.id);
      assert.equal(r.board.id, b.id);
      assert.equal(r.arch, b.arch);
      assert.equal(r.suggestedPath, path.join(dir, 'configs', b.arch, r.fileName));
      assert.match(r.text, /struct jailhouse_system header;/, b.id);
      assert.match(r.hypervisorSize ?? '', /^0x[0-9a-f]+$/, `${b.id}: the estimate the wizard shows`);
    }
  });

  test('the options are the text\'s: name, carve-out, cell RAM', async () => {
    const r = await newSystem({ board: 'qemu-arm64-virt', options: { name: 'virt-a', hypervisorSize: '8M', cellRamSize: 0x10000000, ivshmemLinks: 2 } });
    assert.deepEqual(r.problems, []);
    assert.match(r.text, /\.name = "virt-a"/);
    assert.equal(r.hypervisorSize, '0x800000');
    assert.equal(r.cellRamSize, '0x10000000');
    assert.ok(r.notes.length > 0, 'notes on what to do outside the config');
  });

  test('wrong input is an error that says why, not a config', async () => {
    await assert.rejects(newSystem({ board: 'no-such-board' }), /unknown board 'no-such-board'/);
    await assert.rejects(newSystem({ board: 'qemu-arm64-virt', options: { hypervisorSize: 'lots' } }), /hypervisorSize: 'lots' is not a size/);
    await assert.rejects(newSystem({ board: 'qemu-arm64-virt', options: { ivshmemLinks: -1 } }), /ivshmemLinks/);
    // No board named and none chosen for the workspace.
    await assert.rejects(newSystem({}), /no board given/);
    await assert.rejects(choices(path.join(heron.dir, 'console.log')), /not a Jailhouse configuration/);
  });

  test('a written system takes cells: each checks clean, and taken CPUs are no longer offered', async () => {
    const sys = await newSystem({ board: 'qemu-arm64-virt' });
    assert.deepEqual(await writeAndOpen(sys), [], 'the system as written');
    const root = sys.suggestedPath!;
    const first = await choices(root);
    assert.equal(first.rootFile, root);
    assert.deepEqual(first.takenCpus, []);
    assert.deepEqual(first.cells, []);
    assert.ok(first.freeCpus.length >= 2, JSON.stringify(first));
    assert.ok(first.cellArea, first.cellAreaProblem);
    assert.match(first.cellArea.size, /^0x/);
    // No board is chosen for the workspace: the devices are the bundled board's the root matches
    // (as `jhcell new cell` names them), with their interrupts, not the root's bare regions.
    assert.deepEqual(first.devices.find((d) => d.name === 'GPIO')?.irqs, [7], JSON.stringify(first.devices.slice(0, 4)));

    const cpu = Math.max(...first.freeCpus);
    const rtos = await newCell(root, { name: 'rtos', cpus: [cpu], ramSize: '16M' });
    assert.deepEqual(rtos.problems, []);
    assert.equal(rtos.suggestedPath, path.join(path.dirname(root), rtos.fileName));
    assert.deepEqual(await writeAndOpen(rtos), [], 'the cell as written, checked with its system');

    const second = await choices(root);
    assert.deepEqual(second.takenCpus, [{ cpu, cell: 'rtos' }]);
    assert.ok(!second.freeCpus.includes(cpu), JSON.stringify(second.freeCpus));
    assert.deepEqual(second.freeCpus, first.freeCpus.filter((c) => c !== cpu));
    assert.deepEqual(second.cells, [rtos.suggestedPath]);
    // Asked from the cell, the answer is the same system's.
    assert.equal((await choices(rtos.suggestedPath!)).rootFile, root);

    const linux = await newCell(root, { name: 'linux', cpus: [Math.max(...second.freeCpus)], linux: true });
    assert.deepEqual(linux.problems, []);
    assert.match(linux.text, /\.name = "linux"/);
    assert.deepEqual(await writeAndOpen(linux), []);
    // The cells written earlier still check clean beside the new one.
    assert.deepEqual(errorsOf(server.diags.get(uriOf(rtos.suggestedPath!))?.diagnostics), []);

    await assert.rejects(newCell(root, { name: 'rtos' }), /exists in the system already|already a config of this system/);
    await assert.rejects(newCell(root, { name: 'late', cpus: [cpu] }), (e: Error) => e.message.length > 0 && /CPU|cpu/.test(e.message));
    await assert.rejects(newCell(root, { name: '' }), /needs a name/);
    await assert.rejects(newCell(root, { name: 'x', ramSize: '0x' }), /ramSize/);
  });

  test('an existing system: the CPUs of its cells are taken, with their owner', async () => {
    const root = path.join(heron.dir, 'heron.c');
    const r = await choices(root);
    assert.equal(r.rootName, 'heron-h4');
    assert.deepEqual(r.allCpus, [0, 1, 2, 3]);
    const sensorCpus = r.takenCpus.filter((t) => t.cell === 'heron-sensor').map((t) => t.cpu);
    assert.ok(sensorCpus.length > 0, JSON.stringify(r.takenCpus));
    assert.deepEqual(r.freeCpus, [0, 1, 2, 3].filter((c) => !sensorCpus.includes(c)));
    assert.deepEqual(r.cells, [path.join(heron.dir, 'heron-sensor.c')]);
    assert.ok(read(root).includes('heron-h4'));
  });
});
