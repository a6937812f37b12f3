// debug-console: which console types and access modes each architecture's hypervisor drives.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diagsOf, FIXTURES, hostWith, loadFixture } from './harness';

function findings(dir: string, file: string, edit: (text: string) => string): string[] {
  const p = path.join(FIXTURES, dir, file);
  const text = edit(fs.readFileSync(p, 'utf8'));
  return diagsOf(loadFixture(path.join(FIXTURES, dir), hostWith(new Map([[p, text]]))))
    .filter((d) => d.code === 'debug-console')
    .map((d) => `${text.slice(d.loc.start, d.loc.end)}: ${d.message}`);
}

const arm = (edit: (t: string) => string) => findings('debug-console', 'nimbus.c', (t) => edit(t.replace(/JAILHOUSE_CON_ACCESS_PIO \| JAILHOUSE_CON_REGDIST_4, \/\/! debug-console:warning.*/, 'JAILHOUSE_CON_ACCESS_MMIO | JAILHOUSE_CON_REGDIST_4,')));
const x86 = (edit: (t: string) => string) => findings('debug-console-x86', 'orca.c', (t) => edit(t.replace(/JAILHOUSE_CON_TYPE_PL011, \/\/! debug-console:warning.*/, 'JAILHOUSE_CON_TYPE_8250,')));

describe('debug-console', () => {
  it('ARM: MMIO consoles of the types 8250 to SCIF are driven; EFIFB, unknown types and port I/O are not', () => {
    assert.deepEqual(arm((t) => t), []);
    assert.deepEqual(arm((t) => t.replace('JAILHOUSE_CON_TYPE_PL011', 'JAILHOUSE_CON_TYPE_SCIF')), []);
    assert.match(arm((t) => t.replace('JAILHOUSE_CON_TYPE_PL011', 'JAILHOUSE_CON_TYPE_EFIFB')).join(), /^JAILHOUSE_CON_TYPE_EFIFB: debug console type JAILHOUSE_CON_TYPE_EFIFB has no driver in the ARM hypervisor/);
    assert.match(arm((t) => t.replace('JAILHOUSE_CON_TYPE_PL011', '11')).join(), /^11: debug console type 11 has no driver/);
    assert.match(arm((t) => t.replace('JAILHOUSE_CON_ACCESS_MMIO | JAILHOUSE_CON_REGDIST_4', 'JAILHOUSE_CON_REGDIST_4')).join(), /^JAILHOUSE_CON_REGDIST_4: .*port I\/O/);
    assert.deepEqual(arm((t) => t.replace('JAILHOUSE_CON_TYPE_PL011', 'JAILHOUSE_CON_TYPE_NONE').replace('JAILHOUSE_CON_ACCESS_MMIO | ', '')), [], 'no console, nothing to drive');
  });

  it('x86: 8250 (port I/O or MMIO) and EFIFB with MMIO', () => {
    assert.deepEqual(x86((t) => t), []);
    assert.deepEqual(x86((t) => t.replace('JAILHOUSE_CON_ACCESS_PIO', 'JAILHOUSE_CON_ACCESS_MMIO')), []);
    assert.deepEqual(x86((t) => t.replace('JAILHOUSE_CON_TYPE_8250', 'JAILHOUSE_CON_TYPE_EFIFB').replace('JAILHOUSE_CON_ACCESS_PIO', 'JAILHOUSE_CON_ACCESS_MMIO')), []);
    assert.match(x86((t) => t.replace('JAILHOUSE_CON_TYPE_8250', 'JAILHOUSE_CON_TYPE_EFIFB')).join(), /EFIFB debug console is a framebuffer: it needs JAILHOUSE_CON_ACCESS_MMIO/);
    assert.match(x86((t) => t.replace('JAILHOUSE_CON_TYPE_8250', 'JAILHOUSE_CON_TYPE_IMX')).join(), /^JAILHOUSE_CON_TYPE_IMX: .*no driver in the x86 hypervisor/);
  });
});
