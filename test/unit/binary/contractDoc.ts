// The key table of docs/model-json.md, read by the tests so that the document users rely on
// and the checks of `dump --json` are one list.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelJson } from '../../../server/src/binary/modelJson';

export const CONTRACT_DOC = join(__dirname, '../../../docs/model-json.md');

export type ValueKind = 'hex' | 'int' | 'dec64' | 'string' | 'null' | 'object' | 'array' | 'int[]' | `hex[${number}]`;

export interface ContractKey {
  /** `a.b` or `a[].b`. */
  path: string;
  /** Alternatives, as the "Value" column lists them (`string`/`null`). */
  kinds: ValueKind[];
  /** The "Present" column. */
  present: string;
}

const KINDS = /^(hex|int|dec64|string|null|object|array|int\[\]|hex\[\d+\])$/;
const PRESENT = new Set(['always', 'system', 'system, arm', 'system, x86', 'IOMMU type 1', 'IOMMU type 4']);

/** The rows of the "## Keys" table. */
export function contractKeys(text = readFileSync(CONTRACT_DOC, 'utf8')): ContractKey[] {
  const section = text.split(/^## Keys$/m)[1]?.split(/^## /m)[0];
  assert.ok(section, 'docs/model-json.md has no "## Keys" section');
  const keys: ContractKey[] = [];
  for (const line of section.split('\n')) {
    const m = /^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \|/.exec(line);
    if (!m) continue;
    const kinds = m[2].trim().split('/').map((k) => k.replace(/`/g, '').trim());
    for (const k of kinds) assert.match(k, KINDS, `${m[1]}: unknown value notation ${k}`);
    const present = m[3].trim();
    assert.ok(PRESENT.has(present), `${m[1]}: unknown "Present" value ${present}`);
    keys.push({ path: m[1], kinds: kinds as ValueKind[], present });
  }
  return keys;
}

/** Whether a key's "Present" condition holds for this dump and (for `iommu_units[]`) element. */
function applies(present: string, json: ModelJson, element?: Record<string, unknown>): boolean {
  const system = json.kind === 'system';
  switch (present) {
    case 'always':
      return true;
    case 'system':
      return system;
    case 'system, arm':
      return system && (json.arch === 'arm' || json.arch === 'arm64');
    case 'system, x86':
      return system && json.arch === 'x86';
    default:
      return system && element?.type === Number(present.slice('IOMMU type '.length));
  }
}

function kindOf(v: unknown): ValueKind | 'other' {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? 'int' : 'other';
  if (typeof v === 'string') return /^0x(0|[1-9a-f][0-9a-f]{0,15})$/.test(v) ? 'hex' : 'string';
  if (Array.isArray(v)) {
    if (v.length && v.every((x) => kindOf(x) === 'hex')) return `hex[${v.length}]`;
    if (v.every((x) => kindOf(x) === 'int')) return 'int[]';
    return 'array';
  }
  return typeof v === 'object' ? 'object' : 'other';
}

function matches(v: unknown, kinds: ValueKind[]): boolean {
  const k = kindOf(v);
  return kinds.some((want) => {
    if (want === k) return true;
    if (want === 'string' && typeof v === 'string') return true;
    if (want === 'dec64') return typeof v === 'string' && /^(0|[1-9]\d*)$/.test(v) && BigInt(v) < 1n << 64n;
    if (want === 'array') return Array.isArray(v) && v.every((x) => x && typeof x === 'object' && !Array.isArray(x));
    if (want === 'int[]') return Array.isArray(v) && v.every((x) => kindOf(x) === 'int');
    return false;
  });
}

/**
 * Checks a dump against the table: every key it holds is listed (outside `source`) with its
 * value notation, and every listed key whose condition holds is there. Returns the keys seen.
 */
export function checkAgainstContract(json: ModelJson, keys = contractKeys()): Set<string> {
  const byPath = new Map(keys.map((k) => [k.path, k]));
  const seen = new Set<string>();
  const where = `${json.file}`;
  const value = (v: unknown, path: string, element?: Record<string, unknown>): void => {
    const key = byPath.get(path);
    assert.ok(key, `${where}: key ${path} is not in docs/model-json.md`);
    assert.ok(matches(v, key.kinds), `${where}: ${path} = ${JSON.stringify(v)} is not ${key.kinds.join('/')}`);
    seen.add(path);
    if (Array.isArray(v)) {
      if (key.kinds.includes('array')) for (const x of v) object(x as Record<string, unknown>, `${path}[].`, x as Record<string, unknown>);
    } else if (v && typeof v === 'object') {
      object(v as Record<string, unknown>, `${path}.`, element);
    }
  };
  const object = (o: Record<string, unknown>, prefix: string, element?: Record<string, unknown>): void => {
    for (const [k, x] of Object.entries(o)) value(x, prefix + k, element);
    // Every listed key of this object whose condition holds must be there.
    for (const k of keys) {
      const name = k.path.startsWith(prefix) ? k.path.slice(prefix.length) : undefined;
      if (name === undefined || name.includes('.')) continue;
      if (applies(k.present, json, element)) assert.ok(name in o, `${where}: ${k.path} is missing`);
    }
  };
  const { source: _source, ...contract } = json;
  object(contract, '');
  return seen;
}
