// Pure parts of the LSP layer: content detection and settings normalisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isJailhouseConfig } from '../../../server/src/lsp/detect';
import { DEFAULT_SETTINGS, normalizeSettings } from '../../../server/src/lsp/settings';

test('detection: only files declaring the wrapper header are configs', () => {
  assert.ok(isJailhouseConfig('struct {\n\tstruct jailhouse_system header;\n} config = {};'));
  assert.ok(isJailhouseConfig('struct { struct  jailhouse_cell_desc   cell ; } config;'));
  assert.ok(!isJailhouseConfig('#include <jailhouse/cell-config.h>\nvoid f(struct jailhouse_system *s);'));
  assert.ok(!isJailhouseConfig('int main(void) { return 0; }'));
  assert.ok(!isJailhouseConfig(`${' '.repeat(70000)}struct jailhouse_system header;`), 'bounded scan');
});

test('settings: malformed values fall back to defaults', () => {
  assert.deepEqual(normalizeSettings(undefined), DEFAULT_SETTINGS);
  const s = normalizeSettings({
    severity: { 'memory-overlap': 'off', name: 'loud' },
    defines: { CONFIG_X: 1, 'bad name': '2', FLAG: true },
    includeDirs: ['/inc', 3, ''],
    inlayHints: { cpuList: false, regionEnd: 'no' },
    diagnostics: { delay: -4 },
  });
  assert.deepEqual(s.severity, { 'memory-overlap': 'off' });
  assert.deepEqual(s.defines, { CONFIG_X: '1', FLAG: '1' });
  assert.deepEqual(s.includeDirs, ['/inc']);
  assert.deepEqual(s.inlayHints, { regionIndex: true, regionEnd: true, cpuList: false });
  assert.equal(s.diagnosticsDelay, 0);
});
