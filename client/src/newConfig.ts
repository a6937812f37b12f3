// The wizards "Jailhouse: New System Configuration…" (a root cell from a board) and "Jailhouse:
// New Cell…" (a non-root cell of a system). They ask; the language server generates and checks
// (`jailhouse/newSystem`, `jailhouse/cellChoices`, `jailhouse/newCell`, lsp/generate.ts). A file
// is written only after the last step: cancelling any prompt writes nothing. The new config is
// opened with its memory map beside it, and what must happen outside the config (kernel command
// line, reserved-memory) is offered as notes.
//
// Menus: New Cell sits in the explorer and editor title of system configs, which the context
// key `jailhouse.systemConfigs` lists (a bounded scan of the workspace with the one detector).
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CellChoicesRequest,
  GetBoardRequest,
  ListBoardsRequest,
  NewCellRequest,
  NewSystemRequest,
  type CellChoicesResult,
  type NewConfigResult,
  type NewSystemParams,
} from '../../server/src/protocol/methods';
import { CELL_NAME_MAXLEN } from '../../server/src/schema/constants';
import { checkedKind, detectConfig } from '../../server/src/syntax/configKind';
import { humanSize } from '../../server/src/util/format';
import { parseSize } from '../../server/src/generate/sizes';
import { readHead } from './configDocs';
import { SHOW_MEMORY_MAP } from './mapView';

export const NEW_SYSTEM_COMMAND = 'jailhouse.newSystemConfig';
export const NEW_CELL_COMMAND = 'jailhouse.newCellConfig';
const SYSTEMS_KEY = 'jailhouse.systemConfigs';
const NOTES_SCHEME = 'jailhouse-notes';
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.vscode-test/**}';
/** Files the system-config scan looks at; a larger workspace lists the first ones found. */
const MAX_SCAN = 5000;

/**
 * The prompts a wizard uses: `vscode.window`'s, or others a caller passes (the in-host tests:
 * every extension gets its own `vscode` API object, so a test cannot stub this extension's).
 */
export type WizardUi = Pick<typeof vscode.window, 'showQuickPick' | 'showInputBox' | 'showSaveDialog' | 'showOpenDialog' | 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage'>;

/** What a wizard did (the in-host tests read it). */
export interface WizardResult {
  /** The file written. */
  file?: string;
  /** The step the user cancelled at, or why nothing was written. */
  cancelled?: string;
  error?: string;
  notes: string[];
  problems: string[];
  /** The notes document offered (its URI), once the user asked to see it. */
  notesShown?: Promise<string | undefined>;
}

type WizardArg = { ui?: WizardUi; uri?: vscode.Uri | string };

function uiOf(arg: unknown): WizardUi {
  const ui = (arg as WizardArg | undefined)?.ui;
  return ui ?? vscode.window;
}

const workspaceDir = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;

function boardIncludeDirs(): string[] {
  // As the board picker reads the setting (boards.ts): relative entries from the workspace folder.
  const dirs = vscode.workspace.getConfiguration('jailhouse').get<string[]>('boardIncludeDirs') ?? [];
  const base = workspaceDir() ?? process.cwd();
  return dirs.filter((d) => typeof d === 'string' && d).map((d) => (path.isAbsolute(d) ? d : path.join(base, d)));
}

/** `64M` for sizes a whole number of MiB, else `0x…`: what an input box shows as its default. */
function sizeText(v: bigint): string {
  const MiB = 1n << 20n;
  if (v % (MiB * 1024n) === 0n) return `${v / (MiB * 1024n)}G`;
  if (v % MiB === 0n) return `${v / MiB}M`;
  return `0x${v.toString(16)}`;
}

/** The input box's verdict on a size (or address): undefined when it reads as one. */
function sizeProblem(text: string, max?: bigint): string | undefined {
  const v = parseSize(text);
  if (v === undefined) return `'${text.trim()}' is not a size (write e.g. 64M, 0x4000000, 512K or 1G)`;
  if (v === 0n) return 'the size must not be zero';
  if (max !== undefined && v > max) return `larger than the ${humanSize(max)} free`;
  return undefined;
}

const validateSize = (max?: bigint) => (text: string) => sizeProblem(text, max);

function validateName(text: string): string | undefined {
  const t = text.trim();
  if (!t) return 'a name is required';
  if (Buffer.byteLength(t, 'utf8') > CELL_NAME_MAXLEN) return `at most ${CELL_NAME_MAXLEN} bytes (the name is char[${CELL_NAME_MAXLEN + 1}])`;
  if (!/^[\w.+-]+$/.test(t)) return 'letters, digits, and . _ + - only (the name is also a file name)';
  return undefined;
}

/** Errors of a request are shown as they came; the wizard stops. */
async function request<T>(ui: WizardUi, what: string, send: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await send();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    void ui.showErrorMessage(`Jailhouse: ${what}: ${msg}`);
    return { error: msg };
  }
}

const isError = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v && typeof (v as { error: unknown }).error === 'string';

function isSystemFile(file: string): boolean {
  const text = readHead(file);
  return text !== undefined && checkedKind(detectConfig(file, text, readHead)) === 'system';
}

export function registerNewConfig(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): void {
  const notes = new Map<string, string>();
  const notesChanged = new vscode.EventEmitter<vscode.Uri>();
  let systems: string[] = [];
  let scanTimer: NodeJS.Timeout | undefined;

  const scanSystems = async (): Promise<string[]> => {
    const files = await vscode.workspace.findFiles('**/*.c', EXCLUDE, MAX_SCAN);
    systems = files
      .filter((u) => u.scheme === 'file')
      .map((u) => u.fsPath)
      .filter(isSystemFile)
      .sort();
    await vscode.commands.executeCommand('setContext', SYSTEMS_KEY, systems);
    return systems;
  };
  const rescan = () => {
    if (scanTimer) clearTimeout(scanTimer);
    scanTimer = setTimeout(() => void scanSystems().catch(() => undefined), 500);
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.c');
  context.subscriptions.push(
    notesChanged,
    watcher,
    watcher.onDidCreate(rescan),
    watcher.onDidDelete(rescan),
    watcher.onDidChange(rescan),
    { dispose: () => scanTimer && clearTimeout(scanTimer) },
    vscode.workspace.registerTextDocumentContentProvider(NOTES_SCHEME, { onDidChange: notesChanged.event, provideTextDocumentContent: (u) => notes.get(u.toString()) ?? '' }),
    vscode.commands.registerCommand(NEW_SYSTEM_COMMAND, (arg?: WizardArg) => newSystem(uiOf(arg))),
    vscode.commands.registerCommand(NEW_CELL_COMMAND, (arg?: vscode.Uri | WizardArg) => newCell(arg instanceof vscode.Uri ? vscode.window : uiOf(arg), arg instanceof vscode.Uri ? arg : (arg?.uri ?? undefined))),
  );
  void scanSystems().catch(() => undefined);

  /** Writes, opens, shows the map beside it, and offers the notes: the wizards' common end. */
  async function finish(ui: WizardUi, r: NewConfigResult, what: string): Promise<WizardResult> {
    const fallback = r.suggestedPath ?? path.join(workspaceDir() ?? os.homedir(), r.fileName);
    const target = await ui.showSaveDialog({ title: `Save the new ${what}`, defaultUri: vscode.Uri.file(fallback), filters: { 'C source': ['c'] }, saveLabel: 'Create' });
    if (!target) return { cancelled: 'file', notes: r.notes, problems: r.problems };
    await vscode.workspace.fs.writeFile(target, Buffer.from(r.text, 'utf8'));
    const doc = await vscode.workspace.openTextDocument(target);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    await vscode.commands.executeCommand(SHOW_MEMORY_MAP, target);
    rescan();
    const name = path.basename(target.fsPath);
    const notesUri = vscode.Uri.from({ scheme: NOTES_SCHEME, path: `/Notes for ${name}.md` });
    const body = [`# ${name}`, ''];
    if (r.problems.length) body.push('## Problems the checks found', '', ...r.problems.map((p) => `- ${p}`), '');
    body.push('## To do outside the configuration', '', ...(r.notes.length ? r.notes.map(noteItem) : ['Nothing.']), '');
    notes.set(notesUri.toString(), body.join('\n'));
    notesChanged.fire(notesUri);
    const message = r.problems.length
      ? ui.showWarningMessage(`Created ${name}, but the checks report ${r.problems.length} error(s): ${r.problems[0]}`, 'Show')
      : ui.showInformationMessage(`Created ${name}.${r.notes.length ? ` ${r.notes.length} note(s) on what to do outside the configuration.` : ''}`, 'Show');
    const notesShown = Promise.resolve(message).then(async (pick) => {
      if (pick !== 'Show') return undefined;
      const d = await vscode.workspace.openTextDocument(notesUri);
      await vscode.window.showTextDocument(d, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      return notesUri.toString();
    });
    return { file: target.fsPath, notes: r.notes, problems: r.problems, notesShown };
  }

  async function newSystem(ui: WizardUi): Promise<WizardResult> {
    const client = await getClient();
    const [bundled, current] = await Promise.all([client.sendRequest(ListBoardsRequest), client.sendRequest(GetBoardRequest)]);
    type Pick = vscode.QuickPickItem & { board?: string; browse?: 'dts' | 'json' };
    const items: Pick[] = [];
    const spec = (vscode.workspace.getConfiguration('jailhouse').get<string>('board') ?? '').trim();
    if (current.name && spec) items.push({ label: `$(star) ${current.name}`, description: 'the workspace board', detail: `${current.soc ?? ''} · ${current.devices ?? 0} devices · ${current.arch}`, board: spec });
    items.push({ label: 'Bundled boards', kind: vscode.QuickPickItemKind.Separator });
    for (const b of bundled) if (b.id !== spec) items.push({ label: b.name, description: b.id, detail: `${b.soc ? `${b.soc} · ` : ''}${b.devices} devices · ${b.arch}`, board: b.id });
    items.push({ label: 'From a file', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: '$(file-code) Import a device tree…', description: '.dts', browse: 'dts' }, { label: '$(json) Board JSON…', description: '.json', browse: 'json' });
    const chosen = await ui.showQuickPick(items, { title: 'New System Configuration (1/6): board', placeHolder: 'The board the root cell describes', matchOnDescription: true, matchOnDetail: true });
    if (!chosen) return { cancelled: 'board', notes: [], problems: [] };
    let board = chosen.board;
    if (chosen.browse) {
      const picked = await ui.showOpenDialog({
        canSelectMany: false,
        title: chosen.browse === 'dts' ? 'Device tree of the board' : 'Board JSON file',
        filters: chosen.browse === 'dts' ? { 'Device tree': ['dts'] } : { 'Board JSON': ['json'] },
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      });
      if (!picked?.[0]) return { cancelled: 'board file', notes: [], problems: [] };
      board = picked[0].fsPath;
    }
    const base: NewSystemParams = { board, baseDir: workspaceDir(), includeDirs: boardIncludeDirs() };
    // The defaults the generator chooses for this board (the estimate), shown in the prompts.
    const preview = await request(ui, 'cannot generate a system for this board', () => client.sendRequest(NewSystemRequest, base));
    if (isError(preview)) return { error: preview.error, notes: [], problems: [] };
    const boardName = preview.board.name;
    const name = await ui.showInputBox({ title: 'New System Configuration (2/6): root cell name', prompt: `The root cell's name on ${boardName}`, value: preview.board.id.slice(0, CELL_NAME_MAXLEN), validateInput: validateName });
    if (name === undefined) return { cancelled: 'name', notes: [], problems: [] };
    const hvDefault = preview.hypervisorSize ? BigInt(preview.hypervisorSize) : undefined;
    const hv = await ui.showInputBox({
      title: 'New System Configuration (3/6): hypervisor memory',
      prompt: `Size of the hypervisor carve-out${hvDefault !== undefined ? ` (estimate for this board: ${humanSize(hvDefault)})` : ''}; e.g. 6M, 0x600000`,
      value: hvDefault !== undefined ? sizeText(hvDefault) : '',
      validateInput: validateSize(),
    });
    if (hv === undefined) return { cancelled: 'hypervisor size', notes: [], problems: [] };
    const ramDefault = preview.cellRamSize ? BigInt(preview.cellRamSize) : undefined;
    const ram = await ui.showInputBox({
      title: 'New System Configuration (4/6): RAM for non-root cells',
      prompt: `RAM kept from Linux for the non-root cells and ivshmem${ramDefault !== undefined ? ` (default ${humanSize(ramDefault)})` : ''}; e.g. 256M, 1G`,
      value: ramDefault !== undefined ? sizeText(ramDefault) : '',
      validateInput: validateSize(),
    });
    if (ram === undefined) return { cancelled: 'cell RAM size', notes: [], problems: [] };
    const links = await ui.showInputBox({
      title: 'New System Configuration (5/6): ivshmem links',
      prompt: 'How many ivshmem links (root ↔ one cell each) to prepare',
      value: '1',
      validateInput: (t) => (/^\d+$/.test(t.trim()) && Number(t) <= 64 ? undefined : 'a number from 0 to 64'),
    });
    if (links === undefined) return { cancelled: 'ivshmem links', notes: [], problems: [] };
    const r = await request(ui, 'cannot generate the system configuration', () =>
      client.sendRequest(NewSystemRequest, { ...base, options: { name: name.trim(), hypervisorSize: hv.trim(), cellRamSize: ram.trim(), ivshmemLinks: Number(links.trim()) } }),
    );
    if (isError(r)) return { error: r.error, notes: [], problems: [] };
    return finish(ui, r, 'system configuration (6/6)');
  }

  /** The system to add a cell to: the argument, the active config, or one the user picks. */
  async function systemTarget(ui: WizardUi, arg: vscode.Uri | string | undefined): Promise<vscode.Uri | { cancelled: string } | { error: string }> {
    if (arg) return typeof arg === 'string' ? vscode.Uri.parse(arg) : arg;
    const active = vscode.window.activeTextEditor?.document;
    if (active?.uri.scheme === 'file' && active.fileName.endsWith('.c') && checkedKind(detectConfig(active.fileName, active.getText(), readHead))) return active.uri;
    const found = systems.length ? systems : await scanSystems();
    if (!found.length) {
      const msg = 'no system (root cell) configuration in the workspace: create one first (Jailhouse: New System Configuration…)';
      void ui.showErrorMessage(`Jailhouse: ${msg}`);
      return { error: msg };
    }
    const base = workspaceDir();
    const pick = await ui.showQuickPick(
      found.map((f) => ({ label: path.basename(f), description: base ? path.relative(base, path.dirname(f)) : path.dirname(f), file: f })),
      { title: 'New Cell: system', placeHolder: 'The system configuration the cell runs on' },
    );
    return pick ? vscode.Uri.file(pick.file) : { cancelled: 'system' };
  }

  async function newCell(ui: WizardUi, arg: vscode.Uri | string | undefined): Promise<WizardResult> {
    const target = await systemTarget(ui, arg);
    if (!(target instanceof vscode.Uri)) return { ...target, notes: [], problems: [] };
    const client = await getClient();
    const choices = await request(ui, `cannot add a cell to ${path.basename(target.fsPath)}`, () => client.sendRequest(CellChoicesRequest, { uri: target.toString() }));
    if (isError(choices)) return { error: choices.error, notes: [], problems: [] };
    const root = choices.rootName;
    const step = (n: number, what: string) => `New Cell on ${root} (${n}/6): ${what}`;
    if (!choices.freeCpus.length) {
      const msg = `every CPU of ${root} is taken (${owners(choices)}): free one in another cell first`;
      void ui.showErrorMessage(`Jailhouse: ${msg}`);
      return { error: msg, notes: [], problems: [] };
    }
    const name = await ui.showInputBox({ title: step(1, 'name'), prompt: `The cell's name; the file is named after the system and the cell (${path.basename(choices.rootFile, '.c')}-<name>.c)`, validateInput: validateName });
    if (name === undefined) return { cancelled: 'name', notes: [], problems: [] };
    const kind = await ui.showQuickPick(
      [
        { label: 'Bare-metal inmate', description: 'a demo or RTOS image; 16 MiB RAM by default', linux: false },
        { label: 'Linux', description: 'boot parameters, virtual PCI; 128 MiB RAM by default', linux: true },
      ],
      { title: step(2, 'what runs in the cell') },
    );
    if (!kind) return { cancelled: 'kind', notes: [], problems: [] };
    const highest = Math.max(...choices.freeCpus);
    const cpuPicks = await ui.showQuickPick(
      choices.freeCpus.map((c) => ({ label: `CPU ${c}`, cpu: c, picked: c === highest })),
      { title: step(3, 'CPUs'), placeHolder: choices.takenCpus.length ? `Taken, not offered: ${owners(choices)}` : 'No other cell takes a CPU', canPickMany: true },
    );
    if (!cpuPicks) return { cancelled: 'CPUs', notes: [], problems: [] };
    if (!cpuPicks.length) {
      void ui.showErrorMessage('Jailhouse: a cell needs at least one CPU; nothing was written.');
      return { error: 'no CPU chosen', notes: [], problems: [] };
    }
    const free = choices.freeRam.map((f) => ({ start: BigInt(f.start), size: BigInt(f.size) }));
    const largest = free.reduce<bigint | undefined>((m, f) => (m === undefined || f.size > m ? f.size : m), undefined);
    const area = choices.cellArea ? `${choices.cellArea.name ? `"${choices.cellArea.name}" ` : ''}${choices.cellArea.start}, ${humanSize(BigInt(choices.cellArea.size))}` : undefined;
    const freeText = free.length ? `free: ${free.map((f) => `${humanSize(f.size)} at 0x${f.start.toString(16)}`).join(', ')}` : (choices.cellAreaProblem ?? 'no free cell RAM found');
    const ram = await ui.showInputBox({
      title: step(4, 'RAM'),
      prompt: `RAM of the cell${area ? ` from the cell area ${area}` : ''}; ${freeText}`,
      value: kind.linux ? '128M' : '16M',
      validateInput: validateSize(largest),
    });
    if (ram === undefined) return { cancelled: 'RAM', notes: [], problems: [] };
    // Without a region of the root named for cells, the user says where the cell's RAM goes.
    let ramStart: string | undefined;
    if (!choices.cellArea) {
      ramStart = await ui.showInputBox({
        title: step(4, 'RAM start address'),
        prompt: choices.cellAreaProblem ?? 'Where the cell RAM starts, inside root RAM no other cell uses',
        placeHolder: '0x…',
        validateInput: (t) => sizeProblem(t) ?? ((parseSize(t) ?? 0n) % 0x1000n ? 'the address must be page aligned (a multiple of 0x1000)' : undefined),
      });
      if (ramStart === undefined) return { cancelled: 'RAM start', notes: [], problems: [] };
    }
    const offered = choices.devices.filter((d) => !d.takenBy);
    let devices: string[] = [];
    if (offered.length) {
      const taken = choices.devices.filter((d) => d.takenBy).map((d) => `${d.name} (${d.takenBy})`);
      const picks = await ui.showQuickPick(
        offered.map((d) => ({
          label: d.name,
          description: d.windows.map((w) => `${w.start} (${humanSize(BigInt(w.size))})`).join(', ') || 'no register window',
          detail: [d.irqs.length ? `${choices.arch === 'x86' ? 'pin' : 'SPI'}${d.irqs.length > 1 ? 's' : ''} ${d.irqs.join(', ')}` : 'no interrupt', d.rootShared ? '$(warning) the root keeps using it (ROOTSHARED)' : ''].filter(Boolean).join(' · '),
          device: d.name,
        })),
        { title: step(5, 'devices'), placeHolder: taken.length ? `Taken by other cells, not offered: ${taken.join(', ')}` : 'Devices to pass to the cell (none is fine)', canPickMany: true, matchOnDescription: true, matchOnDetail: true },
      );
      if (!picks) return { cancelled: 'devices', notes: [], problems: [] };
      devices = picks.map((p) => p.device);
    }
    const r = await request(ui, 'cannot generate the cell', () =>
      client.sendRequest(NewCellRequest, { uri: target.toString(), options: { name: name.trim(), cpus: cpuPicks.map((p) => p.cpu), ramSize: ram.trim(), ...(ramStart ? { ramStart: ramStart.trim() } : {}), devices, linux: kind.linux } }),
    );
    if (isError(r)) return { error: r.error, notes: [], problems: [] };
    return finish(ui, r, 'cell configuration (6/6)');
  }
}

/** A note as a list item; the lines after its first (a device-tree snippet) as a code block under it. */
function noteItem(note: string): string {
  const [first, ...rest] = note.split('\n');
  return rest.length ? [`- ${first}`, '', '  ```', ...rest.map((l) => `  ${l}`), '  ```', ''].join('\n') : `- ${first}`;
}

function owners(c: CellChoicesResult): string {
  return c.takenCpus.map((t) => `CPU ${t.cpu}: ${t.cell}`).join(', ');
}
