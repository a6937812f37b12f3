// Go to definition: macro → its #define, #include → the file, shmem_regions_start → the region
// it indexes, an irqchip → the root cell's interrupt controller.
import type { MemoryRegion } from '../core/model';
import type { Loc } from '../util/source';
import type { Doc, FeatureContext } from './context';
import { contains } from './nodes';

export function definition(doc: Doc, offset: number, ctx: FeatureContext = {}): Loc[] {
  const { analysis } = doc;
  const file = analysis.file;

  const inc = analysis.includes.find((i) => contains(i.loc, file, offset));
  if (inc) return inc.target && !inc.target.startsWith('<') ? [{ file: inc.target, start: 0, end: 0 }] : [];

  const use = analysis.macroUses.find((u) => contains(u.loc, file, offset) && offset <= u.loc.start + u.name.length);
  if (use) return use.def.builtin || use.def.loc.file.startsWith('<') ? [] : [use.def.loc];

  const model = analysis.model;
  if (!model) return [];
  // Section elements hold no nested structs, so the element holding the offset is found directly,
  // without walking every struct of the model.
  const pci = model.pci_devices.find((d) => contains(d.$fieldLoc.shmem_regions_start, file, offset));
  if (pci) {
    const region: MemoryRegion | undefined = model.mem_regions[Number(pci.shmem_regions_start)];
    return region?.$loc ? [region.$loc] : [];
  }

  const chip = model.irqchips.find((c) => contains(c.$loc, file, offset));
  if (chip) {
    const address = chip.address;
    const root = model.kind === 'system' ? analysis : ctx.system?.root;
    const sys = root?.model?.system;
    if (!sys) return [];
    const gicd = sys.platform_info?.arm?.$fieldLoc?.gicd_base;
    if (model.arch !== 'x86' && gicd && sys.platform_info.arm.gicd_base === address) return [gicd];
    const rootChip = root.model!.irqchips.find((c) => c.address === address && c.$loc);
    if (rootChip && rootChip !== chip) return [rootChip.$loc!];
  }
  return [];
}
