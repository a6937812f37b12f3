// What a message says is part of the rule: it must tell what really happens, with this file's
// values first.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { diagsOf, FIXTURES, loadFixture } from './harness';

const findingsOf = (fixture: string, code: string) => diagsOf(loadFixture(path.join(FIXTURES, fixture))).filter((d) => d.code === code);

describe('messages', () => {
  it('architecture: cell create reports success and creates nothing (worse than a refusal)', () => {
    const [d] = findingsOf('architecture', 'architecture');
    assert.equal(d.severity, 'error');
    assert.match(d.message, /built for JAILHOUSE_ARM but the system is JAILHOUSE_ARM64: the driver only logs an error, and `jailhouse cell create` reports success without creating the cell/);
    assert.doesNotMatch(d.message, /refuses/);
  });

  it('ivshmem peers that disagree: each side gives its own value first', () => {
    const ds = findingsOf('ivshmem-peers', 'ivshmem').filter((d) => /disagree/.test(d.message));
    const byFile = new Map(ds.map((d) => [path.basename(d.loc.file), d.message]));
    assert.match(byFile.get('nimbus-rtos.c')!, /disagree with root cell "nimbus-n4" \(here vs there\): shmem_peers 1 vs 2$/);
    assert.match(byFile.get('nimbus.c')!, /disagree with cell "nimbus-rtos" \(here vs there\): shmem_peers 2 vs 1$/);
    // Several differences, each in the same order (fixture ivshmem-x86: vectors and BAR masks).
    const x86 = new Map(findingsOf('ivshmem-x86', 'ivshmem').filter((d) => /disagree/.test(d.message)).map((d) => [path.basename(d.loc.file), d.message]));
    assert.match(x86.get('orca.c')!, /num_msix_vectors 2 vs 0; bar_mask$/);
    assert.match(x86.get('orca-demo.c')!, /num_msix_vectors 0 vs 2; bar_mask$/);
  });

  it('ivshmem shmem_dev_id not below shmem_peers: a run-time break (warning) that says what breaks', () => {
    const [d] = findingsOf('ivshmem-peers', 'ivshmem').filter((x) => /shmem_dev_id/.test(x.message));
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /shmem_dev_id 1 is not below shmem_peers \(1\): the hypervisor accepts the cell, but the guest is told it is peer 1 of 1 and the device has no output section for it \(its 3 regions hold the output section of peer 0 only\): the link does not work/);
    assert.doesNotMatch(d.message, /must be/);
  });
});
