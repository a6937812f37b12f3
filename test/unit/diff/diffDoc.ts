// The `jhcell diff --format json` table of docs/model-json.md, read by the tests so that what
// users rely on and what the tests check are one list.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DOC = join(__dirname, '../../../docs/model-json.md');

export interface DiffKey {
  path: string;
  kinds: string[];
  always: boolean;
}

export function diffKeys(text = readFileSync(DOC, 'utf8')): DiffKey[] {
  const section = text.split(/^## `jhcell diff --format json`$/m)[1]?.split(/^## /m)[0];
  assert.ok(section, 'docs/model-json.md has no "jhcell diff --format json" section');
  const keys: DiffKey[] = [];
  for (const line of section.split('\n')) {
    const m = /^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \|/.exec(line);
    if (!m) continue;
    keys.push({ path: m[1], kinds: m[2].trim().split('/').map((k) => k.replace(/`/g, '').trim()), always: m[3].trim() === 'always' });
  }
  return keys;
}

function kindOk(v: unknown, kind: string): boolean {
  switch (kind) {
    case 'int':
      return Number.isSafeInteger(v);
    case 'string':
      return typeof v === 'string';
    case 'null':
      return v === null;
    case 'bool':
      return typeof v === 'boolean';
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'array':
      return Array.isArray(v) && v.every((x) => x && typeof x === 'object' && !Array.isArray(x));
    case 'object':
      return !!v && typeof v === 'object' && !Array.isArray(v);
    default:
      throw new Error(`docs/model-json.md: unknown notation ${kind}`);
  }
}

/** Every key of `json` is in the table with its notation; every `always` key is there. Returns the paths seen. */
export function checkDiffJson(json: unknown, keys = diffKeys()): Set<string> {
  const byPath = new Map(keys.map((k) => [k.path, k]));
  const seen = new Set<string>();
  const visit = (v: unknown, path: string) => {
    const key = byPath.get(path) ?? byPath.get(path.replace(/\.[^.[\]]+$/, '.*'));
    assert.ok(key, `key ${path} is not in docs/model-json.md's diff table`);
    assert.ok(key.kinds.some((k) => kindOk(v, k)), `${path} = ${JSON.stringify(v)} is not ${key.kinds.join('/')}`);
    seen.add(key.path);
    if (Array.isArray(v) && key.kinds.includes('array')) for (const x of v) object(x as Record<string, unknown>, `${path}[].`);
    else if (v && typeof v === 'object' && !Array.isArray(v)) object(v as Record<string, unknown>, `${path}.`);
  };
  const object = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, x] of Object.entries(o)) visit(x, prefix + k);
    for (const k of keys) {
      const rest = k.path.startsWith(prefix) ? k.path.slice(prefix.length) : undefined;
      if (rest && !/[.[]/.test(rest) && rest !== '*' && k.always) assert.ok(rest in o, `${k.path} is missing`);
    }
  };
  object(json as Record<string, unknown>, '');
  return seen;
}
