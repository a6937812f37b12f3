// The two ways a side comes to the differ: an analysed source (its model, encoded to the image
// the compiler would make and read back, plus names and locations), or the bytes of an image.
import { decodeImage, NOT_A_CONFIG } from '../binary/decode';
import { encodeConfig } from '../binary/encode';
import type { SectionKey } from '../binary/listing';
import { sourceJson } from '../binary/sourceJson';
import type { Analysis } from '../core/analysis';
import type { ConfigModel, Node } from '../core/model';
import type { Loc } from '../util/source';
import type { DiffSide } from './types';

/** The model array behind each JSON section. */
const SECTIONS: [SectionKey, keyof ConfigModel][] = [
  ['memory_regions', 'mem_regions'],
  ['cache_regions', 'cache_regions'],
  ['irqchips', 'irqchips'],
  ['pio_regions', 'pio_regions'],
  ['pci_devices', 'pci_devices'],
  ['pci_caps', 'pci_caps'],
  ['stream_ids', 'stream_ids'],
];

export type SideOrError = { side: DiffSide; problems: string[] } | { error: string };

export function sideFromAnalysis(label: string, analysis: Analysis): SideOrError {
  const model = analysis.model;
  if (!model) return { error: `${NOT_A_CONFIG}: no \`config\` object found` };
  const { json, errors } = sourceJson(model, analysis.files);
  if (!json) return { error: errors.join('; ') || 'cannot be compiled into an image' };
  json.file = label;
  delete json.source;
  const elements: DiffSide['elements'] = {};
  for (const [key, member] of SECTIONS) {
    elements[key] = (model[member] as Node[]).map((n) => ({ ...(n.$name ? { name: n.$name } : {}), ...(n.$loc ? { loc: n.$loc } : {}) }));
  }
  return {
    side: { label, origin: 'source', json, bytes: encodeConfig(model), elements, fieldLoc: (path) => fieldLocOf(model, path), files: analysis.files },
    problems: errors,
  };
}

export function sideFromImage(label: string, bytes: Uint8Array): SideOrError {
  const { json, errors } = decodeImage(bytes, label);
  if (!json) return { error: errors.join('; ') };
  return { side: { label, origin: 'image', json, bytes }, problems: errors };
}

/**
 * Where a field of the header or the platform was written: the deepest struct or field along
 * the model-JSON path that the source gave (`system.platform_info.arm.gicd_base` → the
 * `.gicd_base` line; `console` → the console's braces), else the header's braces.
 */
function fieldLocOf(model: ConfigModel, path: string): Loc | undefined {
  const segs = path.split('.');
  let node: Node | undefined = segs[0] === 'system' ? model.system : model.cell;
  if (segs[0] === 'system') segs.shift();
  if (path === 'cpus') return model.members.find((m) => m.role === 'cpus')?.initLoc ?? model.cpusLoc.find(Boolean);
  let best = node?.$loc;
  for (const seg of segs) {
    if (!node) break;
    const m = /^(\w+)(?:\[(\d+)\])?$/.exec(seg);
    if (!m) break;
    best = node.$fieldLoc[m[1]] ?? best;
    let next = (node as unknown as Record<string, unknown>)[m[1]];
    if (m[2] !== undefined) next = Array.isArray(next) ? next[Number(m[2])] : undefined;
    if (!next || typeof next !== 'object' || !('$fieldLoc' in next)) break;
    node = next as Node;
    best = node.$loc ?? best;
  }
  return best;
}
