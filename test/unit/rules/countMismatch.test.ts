// count-mismatch: a count that moves later sections is an error; a short count with nothing read
// after it (every later count 0) only drops the array's tail and is a warning. Variations of the
// count-mismatch-tail fixture, one line changed each.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diagsOf, FIXTURES, hostWith, loadFixture } from './harness';

const DIR = path.join(FIXTURES, 'count-mismatch-tail');
const RTOS = path.join(DIR, 'nimbus-rtos.c');
const LINUX = path.join(DIR, 'nimbus-linux.c');

/** count-mismatch findings of `file` after replacing `from` by `to` in it: "field severity". */
function findings(file: string, from: string, to: string, ...more: [string, string][]): string[] {
  let text = fs.readFileSync(file, 'utf8');
  for (const [a, b] of [[from, to], ...more]) {
    assert.ok(text.includes(a), a);
    text = text.replace(a, b);
  }
  const diags = diagsOf(loadFixture(DIR, hostWith(new Map([[file, text]]))));
  return diags
    .filter((d) => d.code === 'count-mismatch' && d.loc.file === file)
    .map((d) => `${(d.data as { field: string }).field} ${d.severity}`)
    .sort();
}

const PCI_LEFT_OUT = '/* .num_pci_devices = ARRAY_SIZE(config.pci_devices), */';

describe('count-mismatch: error or warning', () => {
  it('the fixture as it is: the left-out last count warns, the short count before others errs', () => {
    assert.deepEqual(findings(RTOS, 'x', 'x'), ['num_memory_regions error', 'num_pci_devices warning']);
    assert.deepEqual(findings(LINUX, 'x', 'x'), ['num_memory_regions warning']);
  });

  it('a later non-zero count makes the short count an error (it moves that section)', () => {
    // num_stream_ids = 1 with no stream_ids declared is its own error.
    assert.deepEqual(findings(RTOS, PCI_LEFT_OUT, '.num_stream_ids = 1,'), ['num_memory_regions error', 'num_pci_devices error', 'num_stream_ids error']);
  });

  it('a count larger than its array reads past it: an error even when nothing follows', () => {
    assert.deepEqual(findings(RTOS, PCI_LEFT_OUT, '.num_pci_devices = 2,'), ['num_memory_regions error', 'num_pci_devices error']);
  });

  it('a count that matches again clears the finding', () => {
    assert.deepEqual(findings(RTOS, PCI_LEFT_OUT, '.num_pci_devices = 1,'), ['num_memory_regions error']);
  });

  it('says how many elements are dropped', () => {
    const messageOf = (from: string, to: string) => {
      const text = fs.readFileSync(LINUX, 'utf8').replace(from, to);
      return diagsOf(loadFixture(DIR, hostWith(new Map([[LINUX, text]])))).find((d) => d.code === 'count-mismatch' && d.loc.file === LINUX)!;
    };
    const one = messageOf('x', 'x');
    assert.equal(one.severity, 'warning');
    assert.match(one.message, /num_memory_regions is 1 but mem_regions declares 2 elements: its last element is not used\. Nothing after mem_regions is read \(every later count is 0\)/);
    const none = messageOf('.num_memory_regions = 1,', '.num_memory_regions = 0,');
    assert.equal(none.severity, 'warning');
    assert.match(none.message, /none of its 2 elements is used/);
  });

  it('a short CPU set is always an error', () => {
    // Every count after the CPU set is 0 here, but cpu_set_size is never "just a tail".
    assert.deepEqual(findings(LINUX, '.cpu_set_size = sizeof(config.cpus),', '.cpu_set_size = 4,', ['.num_memory_regions = 1,', '.num_memory_regions = 0,']), [
      'cpu_set_size error',
      'num_memory_regions warning',
    ]);
  });
});
