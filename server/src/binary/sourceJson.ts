// `dump` of a source: the model is encoded into the image the compiler would produce and read
// back by the image decoder, so a source and its compiled `.cell` print through one writer.
// What only the source knows (names from comments, lines) goes under the `source` key.
import { WRAPPER_SECTIONS } from '../schema';
import type { ConfigModel, Node } from '../core/model';
import { positionAt } from '../util/source';
import type { Loc, SourceFile } from '../util/source';
import { decodeImage } from './decode';
import { encodeConfig, memberSize } from './encode';
import type { ModelJson } from './modelJson';
import type { ElementSource, SectionKey, SourceExtras } from './listing';

/** The `source` key of a source dump. */
export interface SourceJson extends SourceExtras {
  /** Wrapper members as declared. */
  members: { name: string; role: string | null; length: number | null; initialized: number; bytes: number; line: number | null }[];
}

/** JSON section key of each model array. */
const SECTION_KEYS: Record<string, SectionKey> = {
  mem_regions: 'memory_regions',
  cache_regions: 'cache_regions',
  irqchips: 'irqchips',
  pio_regions: 'pio_regions',
  pci_devices: 'pci_devices',
  pci_caps: 'pci_caps',
  stream_ids: 'stream_ids',
};

export function lineOf(files: Map<string, SourceFile> | undefined, loc: Loc | undefined): number | null {
  if (!loc || !files) return null;
  const f = files.get(loc.file);
  return f ? positionAt(f, loc.start).line + 1 : null;
}

export function sourceJson(model: ConfigModel, files?: Map<string, SourceFile>): { json?: ModelJson; errors: string[] } {
  const bytes = encodeConfig(model);
  const res = decodeImage(bytes, model.file, { kind: model.kind });
  // The decoder speaks of a file; here the file is the image this source compiles to.
  res.errors = res.errors.map((e) => `the compiled image would be invalid: ${e}`);
  if (!res.json) return res;
  const elements: SourceExtras['elements'] = {};
  for (const sec of WRAPPER_SECTIONS) {
    const key = SECTION_KEYS[sec.member];
    if (!key) continue;
    const list = (model as unknown as Record<string, Node[]>)[sec.member] ?? [];
    elements[key] = list.map((n): ElementSource | null => {
      const line = lineOf(files, n.$loc);
      if (!n.$name && line === null) return null;
      const e: ElementSource = {};
      if (n.$name) e.name = n.$name;
      if (line !== null) e.line = line;
      return e;
    });
  }
  const source: SourceJson = {
    members: model.members.map((m) => ({
      name: m.name,
      role: m.role ?? null,
      length: m.length ?? null,
      initialized: m.initialized,
      bytes: memberSize(m.type),
      line: lineOf(files, m.loc),
    })),
    elements,
  };
  res.json.source = source;
  return res;
}
