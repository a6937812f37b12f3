// The CPUs under /cpus, and the architecture their compatibles tell.
import type { BoardArch, BoardCpu } from '../types';
import { joinCells, type TreeContext } from './context';
import { baseName, stringsOf } from './tree';

const ARM64_CPUS = /^arm,(cortex-a(3[45]|5[3-9]|6[05]|7[0-9]|78c?)|cortex-x\d|neoverse-|armv8|armv9)/;
const ARM32_CPUS = /^arm,(cortex-a(5|7|8|9|12|15|17)|armv7)$/;

/** CPUs in tree order (ids 0…n-1); `fallbackArch` (else arm64, with a warning) when no compatible tells. */
export function readCpus(ctx: TreeContext, fallbackArch: BoardArch | undefined): { cpus: BoardCpu[]; arch: BoardArch } {
  const cpusNode = ctx.root.children.get('cpus');
  const cpus: BoardCpu[] = [];
  let arch: BoardArch | undefined;
  if (cpusNode) {
    for (const c of cpusNode.children.values()) {
      const type = stringsOf(c.props.get('device_type'))[0];
      if (type !== 'cpu' && !(type === undefined && baseName(c) === 'cpu')) continue;
      const cpu: BoardCpu = { id: cpus.length };
      const reg = ctx.numbers(c, 'reg');
      if (reg && reg.length > 0) cpu.reg = joinCells(reg);
      const comp = stringsOf(c.props.get('compatible'))[0];
      if (comp) {
        cpu.compatible = comp;
        if (!arch) arch = ARM64_CPUS.test(comp) ? 'arm64' : ARM32_CPUS.test(comp) ? 'arm' : undefined;
      }
      cpus.push(cpu);
    }
  }
  if (!arch) {
    arch = fallbackArch ?? 'arm64';
    if (!fallbackArch) ctx.report(cpusNode?.at ?? 0, 'warning', `no known CPU compatible tells the architecture; assuming ${arch}`);
  }
  if (cpus.length === 0) ctx.report(cpusNode?.at ?? 0, 'warning', 'no cpu nodes under /cpus');
  return { cpus, arch };
}
