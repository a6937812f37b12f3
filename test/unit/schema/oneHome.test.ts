// Facts with one home stay there: a second copy of one (a bit loop, an architecture table, a
// size limit typed again) fails here with the place it was typed, before it drifts from the first.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.join(__dirname, '../../..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? sources(rel) : e.name.endsWith('.ts') ? [rel] : [];
  });
}

const FILES = [...sources('server/src'), ...sources('client/src')].map((f) => ({ f, lines: fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n') }));

interface Fact {
  what: string;
  home: string[];
  copy: RegExp;
}

const FACTS: Fact[] = [
  { what: 'set bits of a bitmap (bitIds)', home: ['server/src/util/format.ts', 'server/src/schema/decode.ts'], copy: /&\s*1n\b/ },
  { what: 'PCI bus/device/function text (bdfText)', home: ['server/src/util/format.ts'], copy: /padStart\(2, '0'\).*&\s*7n?\b/ },
  { what: 'architecture names (ARCH_NAMES)', home: [], copy: /['"]x86['"]\s*,\s*['"]arm['"]|['"]0['"]\s*:\s*['"]x86['"]/ },
  { what: 'header sizes (SYSTEM_HEADER_SIZE, CELL_HEADER_SIZE)', home: ['server/src/schema/structs.ts'], copy: /\b(488|132)\b/ },
  { what: 'cell name length (CELL_NAME_MAXLEN)', home: [], copy: /slice\(0,\s*31\)|length\s*[<>]=?\s*3[12]\b|length\s*===\s*32\b|length:\s*32\b/ },
  { what: 'integer type names (C_INT_TYPES)', home: ['server/src/schema/structs.ts'], copy: /\b__[us](8|16|32|64)['"]?\s*:|['"]__u8['"]\s*,/ },
  { what: 'flag decoding (decodeConstant)', home: ['server/src/schema/decode.ts'], copy: /&\s*\w+\.value\)\s*===\s*\w+\.value/ },
  { what: 'source file-size limit (MAX_SOURCE_BYTES)', home: ['server/src/util/source.ts'], copy: /\d+\s*\*\s*1024\s*\*\s*1024\b|\b\d+\s*<<\s*20\b/ },
  { what: 'folder listing (WorkspaceHost.readDir, walkCFiles)', home: ['server/src/workspace/host.ts'], copy: /readdirSync\([^)]*withFileTypes/ },
];

for (const fact of FACTS) {
  test(`${fact.what} is written in one place`, () => {
    const copies = FILES.filter(({ f }) => !fact.home.includes(f)).flatMap(({ f, lines }) =>
      lines.flatMap((l, i) => (fact.copy.test(l) && !/^\s*(\/\/|\*|\/\*)/.test(l) ? [`${f}:${i + 1}: ${l.trim()}`] : [])),
    );
    assert.deepEqual(copies, [], `${fact.what} typed again; use the one home instead`);
  });
}

test('the patterns find the copies they are for', () => {
  const samples: Record<string, string> = {
    'set bits of a bitmap (bitIds)': 'for (let b = 0; b < 64; b++) if ((w >> BigInt(b)) & 1n) out.push(i * 64 + b);',
    'PCI bus/device/function text (bdfText)': "`${(b >> 8).toString(16).padStart(2, '0')}:${((b >> 3) & 0x1f).toString(16).padStart(2, '0')}.${b & 7}`",
    'architecture names (ARCH_NAMES)': "const ARCHS = ['x86', 'arm', 'arm64'] as const;",
    'header sizes (SYSTEM_HEADER_SIZE, CELL_HEADER_SIZE)': 'const headerSize = kind === "system" ? 488 : 132;',
    'cell name length (CELL_NAME_MAXLEN)': 'if (n.length > 31) cut = n.slice(0, 31);',
    'integer type names (C_INT_TYPES)': "  __u64: { kind: 'int', int: 'u64' },",
    'flag decoding (decodeConstant)': 'if (c.value !== 0n && (v & c.value) === c.value) names.push(c.name);',
    'source file-size limit (MAX_SOURCE_BYTES)': 'const MAX_FILE = 4 << 20;',
    'folder listing (WorkspaceHost.readDir, walkCFiles)': 'entries = fs.readdirSync(dir, { withFileTypes: true });',
  };
  for (const fact of FACTS) assert.ok(fact.copy.test(samples[fact.what]), fact.what);
});
