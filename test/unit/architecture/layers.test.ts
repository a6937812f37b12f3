// The layer rules of .dependency-cruiser.cjs catch what they promise: an import that points up,
// one between siblings of a layer, a cycle (type-only imports included), and a folder no layer
// names. `npm run lint:deps` checks the real tree; this checks the rules themselves on a
// made-up one, so loosening the config by mistake fails here.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

const repo = path.resolve(__dirname, '../../..');

function cruise(files: Record<string, string>): { rule: string; from: string; to: string }[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  try {
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }));
    const bin = path.join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const r = spawnSync(process.execPath, [bin, 'server/src', '--config', path.join(repo, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd: dir, encoding: 'utf8' });
    assert.ok(r.stdout, r.stderr);
    const out = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    return out.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })).sort((a, b) => `${a.rule}${a.from}`.localeCompare(`${b.rule}${b.from}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('layer rules', () => {
  it('report an upward import, a sideways one, a type-only cycle and an unknown folder; allow a downward one', () => {
    const found = cruise({
      'server/src/util/u.ts': 'export const u = 1;\n',
      'server/src/lsp/session.ts': 'export class Session {}\n',
      // down: allowed
      'server/src/rules/down.ts': "import { u } from '../util/u';\nexport const d = u;\n",
      // up: rules may not see the language server
      'server/src/rules/up.ts': "import type { Session } from '../lsp/session';\nexport type S = Session;\n",
      // sideways: syntax and binary are one layer
      'server/src/binary/side.ts': "import { x } from '../syntax/x';\nexport const s = x;\n",
      // a cycle made of type-only imports
      'server/src/syntax/x.ts': "import type { Y } from './y';\nexport const x = 1;\nexport type X = Y;\n",
      'server/src/syntax/y.ts': "import type { X } from './x';\nexport type Y = { x?: X };\n",
      // a folder no layer names
      'server/src/stray/z.ts': "import { u } from '../util/u';\nexport const z = u;\n",
    });
    assert.deepEqual(
      found.map((v) => `${v.rule}: ${v.from} → ${v.to}`),
      [
        'layer-binary-not-sideways: server/src/binary/side.ts → server/src/syntax/x.ts',
        'layer-rules-points-down: server/src/rules/up.ts → server/src/lsp/session.ts',
        'no-cycle: server/src/syntax/x.ts → server/src/syntax/y.ts',
        'server-is-known-layer: server/src/stray/z.ts → server/src/util/u.ts',
      ],
    );
  });
});
