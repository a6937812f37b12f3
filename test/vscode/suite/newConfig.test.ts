// The wizards inside a real VS Code: New System Configuration… from a bundled board and New
// Cell… on the system it wrote, driven through scripted prompts (quick picks, input boxes, the
// save dialog), as a user answers them; each writes its file, opens it and the memory map
// beside it, and offers the notes. Cancelling at any step writes nothing.
//
// The prompts are handed to the command: every extension gets its own `vscode` API object, so
// stubbing this suite's `vscode.window` would not reach the extension's.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileIn, until } from './helpers';

interface WizardResult {
  file?: string;
  cancelled?: string;
  error?: string;
  notes: string[];
  problems: string[];
  notesShown?: Promise<string | undefined>;
}

type Item = vscode.QuickPickItem & Record<string, unknown>;
type PickAnswer = (items: Item[], options: vscode.QuickPickOptions) => Item | Item[] | undefined;
type InputAnswer = (options: vscode.InputBoxOptions) => string | undefined;

/** Prompts that answer from a script, in order, and record what they were asked. */
function scripted(script: { picks?: PickAnswer[]; inputs?: InputAnswer[]; save?: (options: vscode.SaveDialogOptions) => vscode.Uri | undefined; show?: string }) {
  const picks = [...(script.picks ?? [])];
  const inputs = [...(script.inputs ?? [])];
  const asked = { picks: [] as string[], inputs: [] as vscode.InputBoxOptions[], saves: [] as vscode.SaveDialogOptions[], infos: [] as string[], errors: [] as string[] };
  const ui = {
    showQuickPick: async (items: readonly Item[] | Thenable<readonly Item[]>, options: vscode.QuickPickOptions) => {
      asked.picks.push(options.title ?? '');
      const answer = picks.shift();
      assert.ok(answer, `unexpected quick pick "${options.title}"`);
      return answer([...(await items)], options);
    },
    showInputBox: async (options: vscode.InputBoxOptions) => {
      asked.inputs.push(options);
      const answer = inputs.shift();
      assert.ok(answer, `unexpected input box "${options.title}"`);
      const value = answer(options);
      // What the user types must be what the box accepts.
      if (value !== undefined) assert.equal(await options.validateInput?.(value), undefined, `${options.title}: ${value}`);
      return value;
    },
    showSaveDialog: async (options: vscode.SaveDialogOptions) => {
      asked.saves.push(options);
      return script.save ? script.save(options) : options.defaultUri;
    },
    showOpenDialog: async () => undefined,
    showInformationMessage: async (message: string) => {
      asked.infos.push(message);
      return script.show;
    },
    showWarningMessage: async (message: string) => {
      asked.infos.push(`warning: ${message}`);
      return script.show;
    },
    showErrorMessage: async (message: string) => {
      asked.errors.push(message);
      return undefined;
    },
  };
  return { ui, asked };
}

const mapTab = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('jailhouse.memoryMap'));

/** Every file under the workspace folder (to prove a cancelled wizard wrote none). */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const byDescription = (id: string): PickAnswer => (items) => items.find((i) => i.description === id);
const accept: InputAnswer = (o) => o.value;
const type = (text: string): InputAnswer => () => text;

export function registerNewConfigTests(): void {
  suite('Jailhouse wizards', () => {
    const ws = () => path.dirname(fileIn('orbit.c').fsPath);
    let systemFile: string | undefined;

    test('New System Configuration… writes the board\'s system, opens it and its map, and shows the notes', async () => {
      const { ui, asked } = scripted({
        picks: [byDescription('qemu-arm64-virt')],
        inputs: [type('wizard-virt'), accept, accept, type('1')],
        show: 'Show',
      });
      const r = await vscode.commands.executeCommand<WizardResult>('jailhouse.newSystemConfig', { ui });
      assert.deepEqual(asked.errors, []);
      assert.equal(r.cancelled, undefined);
      assert.deepEqual(r.problems, []);
      // The defaults shown are the generator's: a size for the carve-out, with the estimate named.
      assert.match(asked.inputs[1].value ?? '', /^(\d+[MG]|0x[0-9a-f]+)$/);
      assert.match(asked.inputs[1].prompt ?? '', /estimate/);
      assert.match(asked.inputs[2].value ?? '', /^(\d+[MG]|0x[0-9a-f]+)$/);
      // The save dialog proposes configs/<arch>/<name>.c in the workspace.
      assert.equal(asked.saves[0].defaultUri?.fsPath, path.join(ws(), 'configs', 'arm64', 'wizard-virt.c'));
      assert.equal(r.file, path.join(ws(), 'configs', 'arm64', 'wizard-virt.c'));
      systemFile = r.file;
      const text = fs.readFileSync(r.file, 'utf8');
      assert.match(text, /\.name = "wizard-virt"/);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, r.file, 'the new config is the active editor');
      await until('the map of the new system', () => mapTab()?.label === 'Memory map of wizard-virt');
      assert.equal(asked.infos.length, 1);
      assert.match(asked.infos[0], /^Created wizard-virt\.c\./);
      const notesUri = await r.notesShown;
      assert.ok(notesUri, 'the notes were opened');
      const notes = vscode.workspace.textDocuments.find((d) => d.uri.toString() === notesUri);
      assert.ok(notes, 'the notes document is open');
      for (const n of r.notes) for (const line of n.split('\n')) assert.ok(notes.getText().includes(line), line);
    });

    test('New Cell… on that system offers its free CPUs and writes a cell beside it that checks clean', async () => {
      assert.ok(systemFile, 'the system of the previous test');
      let cpuItems: Item[] = [];
      const { ui, asked } = scripted({
        picks: [
          (items) => items.find((i) => i.label === 'Bare-metal inmate'),
          (items) => {
            cpuItems = items;
            return items.filter((i) => i.picked);
          },
          (items) => items.slice(0, 1),
        ],
        inputs: [type('rtos'), accept],
      });
      const r = await vscode.commands.executeCommand<WizardResult>('jailhouse.newCellConfig', { ui, uri: vscode.Uri.file(systemFile) });
      assert.deepEqual(asked.errors, []);
      assert.equal(r.cancelled, undefined, JSON.stringify(asked));
      assert.deepEqual(r.problems, []);
      assert.ok(cpuItems.length >= 1);
      assert.equal(cpuItems.filter((i) => i.picked).length, 1, 'the highest free CPU is proposed');
      assert.equal(asked.inputs[1].value, '16M');
      assert.match(asked.inputs[1].prompt ?? '', /free/);
      const expected = path.join(path.dirname(systemFile), 'wizard-virt-rtos.c');
      assert.equal(r.file, expected);
      assert.match(fs.readFileSync(expected, 'utf8'), /\.name = "rtos"/);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, expected);
      await until('the map of the system, shown for the cell', () => mapTab()?.label === 'Memory map of wizard-virt');
      // r.problems is the server's check of the cell with its system: empty, as asserted above.

      // A second cell: the first one's CPU is taken, named, and not offered.
      let offered: Item[] = [];
      let placeholder = '';
      const again = scripted({
        picks: [
          (items) => items.find((i) => i.label === 'Bare-metal inmate'),
          (items, o) => {
            offered = items;
            placeholder = o.placeHolder ?? '';
            return undefined;
          },
        ],
        inputs: [type('second')],
      });
      const cancelled = await vscode.commands.executeCommand<WizardResult>('jailhouse.newCellConfig', { ui: again.ui, uri: vscode.Uri.file(systemFile) });
      assert.equal(cancelled.cancelled, 'CPUs');
      const taken = cpuItems.find((i) => i.picked)!.label;
      assert.ok(!offered.some((i) => i.label === taken), `${taken} is not offered again`);
      assert.match(placeholder, new RegExp(`${taken}: rtos`));
    });

    test('cancelling at any step writes nothing', async () => {
      const before = filesUnder(ws()).sort();
      const steps: Parameters<typeof scripted>[0][] = [
        { picks: [() => undefined] },
        { picks: [byDescription('rpi4')], inputs: [() => undefined] },
        { picks: [byDescription('rpi4')], inputs: [type('pi'), () => undefined] },
        { picks: [byDescription('rpi4')], inputs: [type('pi'), accept, () => undefined] },
        { picks: [byDescription('rpi4')], inputs: [type('pi'), accept, accept, () => undefined] },
        { picks: [byDescription('rpi4')], inputs: [type('pi'), accept, accept, type('1')], save: () => undefined },
      ];
      const at: string[] = [];
      for (const s of steps) {
        const { ui, asked } = scripted(s);
        const r = await vscode.commands.executeCommand<WizardResult>('jailhouse.newSystemConfig', { ui });
        assert.equal(r.file, undefined);
        assert.deepEqual(asked.errors, []);
        at.push(r.cancelled ?? '');
      }
      assert.deepEqual(at, ['board', 'name', 'hypervisor size', 'cell RAM size', 'ivshmem links', 'file']);
      if (systemFile) {
        const cell = scripted({ picks: [(items) => items[0], (items) => items.filter((i) => i.picked), () => []], inputs: [type('late'), accept], save: () => undefined });
        const r = await vscode.commands.executeCommand<WizardResult>('jailhouse.newCellConfig', { ui: cell.ui, uri: vscode.Uri.file(systemFile) });
        assert.equal(r.cancelled, 'file');
      }
      assert.deepEqual(filesUnder(ws()).sort(), before);
    });

    test('an error of the server is shown, and nothing is written', async () => {
      const before = filesUnder(ws()).sort();
      const { ui, asked } = scripted({});
      const r = await vscode.commands.executeCommand<WizardResult>('jailhouse.newCellConfig', { ui, uri: fileIn('plain.c') });
      assert.ok(r.error, 'an error');
      assert.equal(asked.errors.length, 1);
      assert.match(asked.errors[0], /plain\.c is not a Jailhouse configuration/);
      assert.deepEqual(filesUnder(ws()).sort(), before);
    });
  });
}
