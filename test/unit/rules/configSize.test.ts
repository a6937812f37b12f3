// config-size: the boundary is the image size (the whole wrapper as declared), 64 KiB exactly.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { struct } from '../../../server/src/schema';
import { diagsOf, FIXTURES, hostWith, loadFixture } from './harness';

const DIR = path.join(FIXTURES, 'config-size');
const CELL = path.join(DIR, 'nimbus-linux.c');

function configSizeFindings(regions: number) {
  const text = fs.readFileSync(CELL, 'utf8').replace(/mem_regions\[2100\]/, `mem_regions[${regions}]`);
  return diagsOf(loadFixture(DIR, hostWith(new Map([[CELL, text]])))).filter((d) => d.code === 'config-size');
}

describe('config-size', () => {
  // cell desc + one CPU word + regions of 32 bytes each.
  const fixed = struct('jailhouse_cell_desc').size + 8;
  const region = struct('jailhouse_memory').size;
  const most = Math.floor((64 * 1024 - fixed) / region);

  it('accepts an image of at most 64 KiB and reports it one region longer', () => {
    assert.equal(region, 32);
    assert.deepEqual(configSizeFindings(most), []);
    const over = configSizeFindings(most + 1);
    assert.equal(over.length, 1);
    assert.equal(over[0].severity, 'error');
    assert.match(over[0].message, new RegExp(`\\(${fixed + (most + 1) * region} bytes\\).*E2BIG.*mem_regions \\(${most + 1} elements`));
  });

  it('is about non-root cells only: the root config is loaded by jailhouse enable, not cell create', () => {
    const root = path.join(DIR, 'nimbus.c');
    const bigRoot = fs.readFileSync(path.join(FIXTURES, 'clean-arm64/nimbus.c'), 'utf8').replace('mem_regions[6]', 'mem_regions[3000]');
    const diags = diagsOf(loadFixture(DIR, hostWith(new Map([[root, bigRoot]]))));
    assert.ok(diags.some((d) => d.code === 'array-underfilled' && d.loc.file === root), 'the root array is 3000 long');
    assert.deepEqual(diags.filter((d) => d.code === 'config-size').map((d) => d.loc.file), [CELL]);
  });
});
