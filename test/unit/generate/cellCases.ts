// The systems the `new cell` proofs run on: the fixture roots (kiwi, fig), and a root generated
// from every bundled board by the root generator (generate/system.ts, loaded when it is there),
// each with three cells of 1, 2 and 3 different devices generated one after the other.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledBoard, bundledBoards } from '../../../server/src/boards/registry';
import type { Board } from '../../../server/src/boards/types';
import type { Analysis } from '../../../server/src/core/analysis';
import { analyze } from '../../../server/src/engine/analyze';
import { cellChoices, generateCell } from '../../../server/src/generate/cell';
import type { CellOptions, GeneratedConfig, SystemOptions } from '../../../server/src/generate/types';
import { analyseCell, FIXTURES, rootAnalysis } from './cellSupport';

export interface CellCase {
  label: string;
  board?: Board;
  root: Analysis;
  /** The cells in the order they were generated; each was generated with the ones before it. */
  cells: { options: CellOptions; generated: GeneratedConfig; file: string; analysis: Analysis }[];
}

/** Generates `list` one after the other; the files are written beside the root (gcc reads them there). */
export function grow(label: string, root: Analysis, list: CellOptions[], board?: Board): CellCase {
  const c: CellCase = { label, board, root, cells: [] };
  for (const options of list) {
    const generated = generateCell({ root, cells: c.cells.map((x) => x.analysis) }, options, board);
    const analysis = analyseCell(root, generated.fileName, generated.text);
    c.cells.push({ options, generated, file: analysis.file, analysis });
  }
  return c;
}

export function fixtureCases(): CellCase[] {
  const qemu = bundledBoard('qemu-arm64-virt')!;
  const opi = bundledBoard('orangepi-zero')!;
  const kiwi = rootAnalysis(join(FIXTURES, 'kiwi/kiwi.c'));
  const fig = rootAnalysis(join(FIXTURES, 'fig/fig.c'));
  return [
    grow('kiwi + qemu-arm64-virt', kiwi, [
      { name: 'one', devices: ['UART1'] },
      { name: 'two', devices: ['RTC', 'GPIO'] },
      { name: 'three', devices: ['UART0', 'FW_CFG', 'VIRTIO0'], linux: true, ramSize: 8n << 20n },
    ], qemu),
    grow('kiwi, root region names', kiwi, [{ name: 'plain', devices: ['UART1', 'GPIO'] }]),
    grow('fig + orangepi-zero', fig, [
      { name: 'one', devices: ['UART1'], ramSize: 1n << 20n },
      { name: 'two', devices: ['UART2', 'I2C0'], ramSize: 1n << 20n },
      { name: 'three', devices: ['UART0', 'I2C1', 'SPI0'], ramSize: 4n << 20n },
    ], opi),
  ];
}

type GenerateSystem = (board: Board, options?: SystemOptions) => GeneratedConfig;

/** The root generator, when it exists in this tree (it is written beside this one). */
export async function loadGenerateSystem(): Promise<GenerateSystem | undefined> {
  const mod = (await import(join(__dirname, '../../../server/src/generate', 'system')).catch(() => undefined)) as { generateSystem?: GenerateSystem } | undefined;
  return mod?.generateSystem;
}

/** Devices a cell of the board can take that have interrupts, in board order, none taken. */
function takeable(root: Analysis, board: Board): string[] {
  return cellChoices({ root, cells: [] }, board)
    .devices.filter((d) => !d.takenBy && d.irqs.length)
    .map((d) => d.name);
}

/** A root from every bundled ARM board and three cells on it; undefined without the root generator. */
export async function boardCases(): Promise<CellCase[] | undefined> {
  const generateSystem = await loadGenerateSystem();
  if (!generateSystem) return undefined;
  const work = mkdtempSync(join(tmpdir(), 'jhcell-newcell-'));
  const out: CellCase[] = [];
  for (const board of bundledBoards().filter((b) => b.arch !== 'x86')) {
    const g = generateSystem(board, {});
    const dir = join(work, board.id);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, g.fileName);
    writeFileSync(file, g.text);
    const root = analyze(file, g.text);
    const devs = takeable(root, board);
    out.push(
      grow(`${board.id} (generated root)`, root, [
        { name: 'one', devices: devs.slice(0, 1), ramSize: 1n << 20n },
        { name: 'two', devices: devs.slice(1, 3), ramSize: 1n << 20n },
        { name: 'three', devices: devs.slice(3, 6), linux: true, ramSize: 4n << 20n },
      ], board),
    );
  }
  return out;
}

/** Writes every generated cell beside a copy of its root (for gcc); returns the files. */
export function writeCase(c: CellCase, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return c.cells.map((x) => {
    const f = join(dir, x.generated.fileName);
    writeFileSync(f, x.generated.text);
    return f;
  });
}
