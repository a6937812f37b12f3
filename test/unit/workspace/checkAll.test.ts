// Check Workspace: each system checked once, in the order its files were found, the configs
// announced before any check, and errors and warnings counted over every member.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWorkspaceFiles } from '../../../server/src/workspace/checkAll';

interface Sys {
  root?: string;
  cells: string[];
}

describe('checkWorkspaceFiles', () => {
  const systems: Record<string, Sys> = {
    'a.c': { root: 'a.c', cells: ['a-cell.c', 'a-other.c'] },
    'a-cell.c': { root: 'a.c', cells: ['a-cell.c', 'a-other.c'] },
    'a-other.c': { root: 'a.c', cells: ['a-cell.c', 'a-other.c'] },
    'lone.c': { cells: ['lone.c'] },
  };
  const severities: Record<string, string[]> = { 'a.c': ['error', 'warning'], 'a-cell.c': ['warning', 'information', 'hint'], 'lone.c': ['error'], 'notes.c': ['error'] };

  it('checks every system once and counts over its members', () => {
    const log: string[] = [];
    const r = checkWorkspaceFiles(['a-cell.c', 'notes.c', 'lone.c', 'a.c', 'a-other.c'], {
      isConfig: (f) => f !== 'notes.c',
      willCheck: (configs) => log.push(`found ${configs.join(' ')}`),
      systemOf: (f) => systems[f],
      check: (s) => log.push(`check ${s.root ?? s.cells[0]}`),
      severitiesOf: (f) => severities[f] ?? [],
    });
    assert.deepEqual(log, ['found a-cell.c lone.c a.c a-other.c', 'check a.c', 'check lone.c']);
    assert.deepEqual(r, { configs: ['a-cell.c', 'lone.c', 'a.c', 'a-other.c'], systems: 2, errors: 2, warnings: 2 });
  });

  it('no configs: nothing checked, all zero', () => {
    const r = checkWorkspaceFiles(['x.c'], { isConfig: () => false, systemOf: () => assert.fail('no system'), check: () => assert.fail('no check'), severitiesOf: () => [] });
    assert.deepEqual(r, { configs: [], systems: 0, errors: 0, warnings: 0 });
  });
});
