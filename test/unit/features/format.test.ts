import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuList, decode, describeValue, hex, humanSize, ranges } from '../../../server/src/features/format';

test('humanSize: exact binary units, fractions, bytes', () => {
  assert.equal(humanSize(0x1000n), '4 KiB');
  assert.equal(humanSize(0x3fc00000n), '1020 MiB');
  assert.equal(humanSize(0x40000000n), '1 GiB');
  assert.equal(humanSize(0x1800n), '6 KiB');
  assert.equal(humanSize(1536n * 1024n * 1024n), '1.5 GiB');
  assert.equal(humanSize(100n), '100 B');
});

test('cpuList turns bitmap words into ranges', () => {
  assert.equal(cpuList([0xfn]), '0-3');
  assert.equal(cpuList([0b1100n]), '2-3');
  assert.equal(cpuList([0b101101n]), '0, 2-3, 5');
  assert.equal(cpuList([0n, 1n]), '64');
  assert.equal(cpuList([0n]), 'none');
  assert.equal(ranges([1, 2, 3, 7]), '1-3, 7');
});

test('decode splits flags and keeps unknown bits', () => {
  assert.deepEqual(decode(0x13n, 'mem-flags'), { names: ['JAILHOUSE_MEM_READ', 'JAILHOUSE_MEM_WRITE', 'JAILHOUSE_MEM_IO'], rest: 0n });
  assert.deepEqual(decode(0x1_0000_0003n, 'mem-flags').rest, 0x1_0000_0000n);
  assert.deepEqual(decode(3n, 'pci-type').names, ['JAILHOUSE_PCI_TYPE_IVSHMEM']);
  assert.equal(describeValue(0x21n, 'mem-flags'), 'JAILHOUSE_MEM_READ | JAILHOUSE_MEM_COMM_REGION');
  assert.equal(describeValue(0x400n, 'mem-flags'), '0x400');
  assert.equal(describeValue(5n, undefined), '0x5');
  assert.equal(hex(255n), '0xff');
});
