// hypervisor-memory: `hypervisor_memory` smaller than the floor of what the hypervisor takes
// from it for this system (rules/hvPool.ts; docs/rules.md "hypervisor-memory").
import { hypervisorMemoryFix } from './fixes/hypervisorMemory';
import { humanSize } from './format';
import { poolEstimate } from './hvPool';
import { nodeLoc } from './locate';
import type { Diag, Rule } from './types';

export const hypervisorMemory: Rule = {
  id: 'hypervisor-memory',
  defaultSeverity: 'error',
  docs: '#hypervisor-memory',
  description: 'hypervisor_memory is smaller than the least the hypervisor needs for this system (per-CPU data, config, page tables of every cell, ivshmem, remap pool): enable fails with ENOMEM/EINVAL, or a cell create later with ENOMEM.',
  check(ctx) {
    const root = ctx.root;
    const hv = root?.model.system?.hypervisor_memory;
    const est = poolEstimate(ctx);
    if (!root || !hv || !est || hv.size >= est.bytes) return [];
    const big = [...est.parts].sort((a, b) => b.pages - a.pages).filter((p) => p.pages > 0);
    const list = big.map((p) => `${p.what}: ${p.pages}`).join('; ');
    const out: Diag = {
      code: 'hypervisor-memory',
      severity: 'error',
      message:
        `hypervisor_memory is ${humanSize(hv.size)} but this system needs at least ${humanSize(est.bytes)} (${est.pages} pages) of it: ` +
        `\`jailhouse enable\` fails (driver/main.c EINVAL when per-CPU data and config do not fit, paging_init() ENOMEM) or a later \`cell create\` fails with ENOMEM when the page pool runs dry. ` +
        `The estimate is a floor (smallest image, huge pages wherever possible); its parts in pages: ${list}`,
      loc: nodeLoc(root, hv, 'size'),
      data: { file: root.file, bytes: est.bytes.toString() },
    };
    return [out];
  },
  fixes: hypervisorMemoryFix,
};
