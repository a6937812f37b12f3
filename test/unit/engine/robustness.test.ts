// Robustness: every fixture cut off at many positions (one at every position) and mangled in
// several ways. The engine must never throw, hang or point outside a file, and must say
// something whenever the text can no longer be a complete config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, TK } from '../../../server/src/syntax/lexer';
import { hardFailures, runBounded, type Outcome, type Task } from './bounded';
import { fixturePath, fixtureText } from './helpers';
import { prng } from '../../support/prng';

const FIXTURES = ['arm-quokka.c', 'arm64-numbat.c', 'arm64-numbat-rtos.c', 'arm64-numbat-rtos-aarch32.c', 'x86-wombat.c', 'x86-wombat-inmate.c'];
/** Cut at every single position. */
const EVERY_POSITION = 'x86-wombat-inmate.c';
/** Positions tried per fixture for the others. */
const SAMPLES = 100;
const TIMEOUT_MS = 20000;

function positions(length: number, count: number): number[] {
  if (count >= length) return Array.from({ length: length + 1 }, (_, i) => i);
  const out = new Set<number>([0, length]);
  for (let i = 0; out.size < count; i++) out.add(Math.floor((i * length) / count));
  return [...out].sort((a, b) => a - b);
}

/** Offsets where the wrapper starts and where the complete config ends. */
function landmarks(text: string): { structStart: number; end: number } {
  const structStart = text.search(/struct\s*\{/);
  const semi = text.lastIndexOf('};');
  return { structStart: structStart < 0 ? text.length : structStart, end: semi < 0 ? text.trimEnd().length : semi + 2 };
}

function failuresOf(label: string, o: Outcome): string[] {
  return hardFailures(o).map((f) => `${label}: ${f}`);
}

test('truncation at many positions (all of them for one fixture): no crash, and a diagnostic for every incomplete config', async () => {
  const tasks: Task[] = [];
  const labels: string[] = [];
  const mustDiagnose: boolean[] = [];
  const mustBeClean: boolean[] = [];
  for (const name of FIXTURES) {
    const text = fixtureText(name);
    const { structStart, end } = landmarks(text);
    for (const p of positions(text.length, name === EVERY_POSITION ? Infinity : SAMPLES)) {
      tasks.push({ kind: 'text', path: fixturePath(name), text: text.slice(0, p) });
      labels.push(`${name} cut at ${p}`);
      mustDiagnose.push(p > structStart && p < end);
      mustBeClean.push(p >= end);
    }
  }
  const outcomes = await runBounded(tasks, TIMEOUT_MS);
  const problems: string[] = [];
  outcomes.forEach((o, i) => {
    problems.push(...failuresOf(labels[i], o));
    if (mustDiagnose[i] && !o.diags.some((d) => d.severity === 'error')) problems.push(`${labels[i]}: an incomplete config without an error`);
    if (!mustDiagnose[i] && !mustBeClean[i] && o.hasModel && o.diags.length === 0) {
      // Before the wrapper: a file without a config object; fine when no model is claimed.
      problems.push(`${labels[i]}: a model from text that holds no config object`);
    }
    if (mustBeClean[i] && o.diags.length) problems.push(`${labels[i]}: the complete config has diagnostics: ${o.diags.map((d) => d.message).join('; ')}`);
  });
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
});

test('deleting any brace, parenthesis, bracket, = or ; of the config is diagnosed', async () => {
  // Fixtures without conditionally compiled code after the wrapper starts: every such
  // character there is live code.
  const tasks: Task[] = [];
  const labels: string[] = [];
  for (const name of ['arm-quokka.c', 'x86-wombat.c', 'x86-wombat-inmate.c']) {
    const text = fixtureText(name);
    const { structStart } = landmarks(text);
    const structural = lex(text, name).filter((t) => t.kind === TK.Punct && t.start >= structStart && /^[{}()[\]=;]$/.test(t.text));
    const pick = positions(structural.length - 1, 60).map((i) => structural[i]);
    for (const t of pick) {
      tasks.push({ kind: 'text', path: fixturePath(name), text: text.slice(0, t.start) + text.slice(t.end) });
      labels.push(`${name} without '${t.text}' at ${t.start}`);
    }
  }
  const outcomes = await runBounded(tasks, TIMEOUT_MS);
  const problems: string[] = [];
  outcomes.forEach((o, i) => {
    problems.push(...failuresOf(labels[i], o));
    if (!o.diags.some((d) => d.severity === 'error')) problems.push(`${labels[i]}: no error`);
  });
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
});

test('mangling: deleted, duplicated and replaced characters, inserted tokens — never a crash', async () => {
  const rnd = prng(20261126);
  const replacements = ['{', '}', ',', '.', '=', '(', ')', '[', ']', ';', '#', '"', "'", '/', '*', '\\', '\n', '0', 'x', 'Z', '|', '<', '\u0000', '\u00e9', '\ufffd'];
  const insertions = ['}', '{', '{ 0 }', ',', '.', '.x.y =', '[99] =', '(', ')', '#if 1\n', '\n#endif\n', '\n#else\n', '#define config\n', '/*', '*/', '"', 'sizeof(', 'ARRAY_SIZE(config.cpus)', '1 << 64', '0x', 'JAILHOUSE_SHMEM_NET_REGIONS(', '\n#include "arm64-numbat-rtos-aarch32.c"\n', 'config', 'struct {', '__attribute__((packed))', '\\\n', '##', '#'];
  const tasks: Task[] = [];
  const labels: string[] = [];
  for (const name of FIXTURES) {
    const text = fixtureText(name);
    for (let n = 0; n < 40; n++) {
      const p = Math.floor(rnd() * text.length);
      const kind = n % 4;
      let mangled: string;
      let what: string;
      if (kind === 0) {
        mangled = text.slice(0, p) + text.slice(p + 1);
        what = 'delete';
      } else if (kind === 1) {
        mangled = text.slice(0, p) + text[p] + text.slice(p);
        what = 'duplicate';
      } else if (kind === 2) {
        const r = replacements[Math.floor(rnd() * replacements.length)];
        mangled = text.slice(0, p) + r + text.slice(p + 1);
        what = `replace with ${JSON.stringify(r)}`;
      } else {
        const r = insertions[Math.floor(rnd() * insertions.length)];
        mangled = text.slice(0, p) + r + text.slice(p);
        what = `insert ${JSON.stringify(r)}`;
      }
      tasks.push({ kind: 'text', path: fixturePath(name), text: mangled });
      labels.push(`${name}: ${what} at ${p}`);
    }
  }
  const outcomes = await runBounded(tasks, TIMEOUT_MS);
  const problems = outcomes.flatMap((o, i) => failuresOf(labels[i], o));
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
});

test('token soup: random sequences of config tokens never crash', async () => {
  const rnd = prng(7);
  const vocab = ['struct', '{', '}', 'config', '=', '.', 'cell', 'mem_regions', '[', ']', '1', '0x10', ',', ';', '(', ')', '__u64', 'cpus',
    'struct jailhouse_cell_desc cell;', 'sizeof', 'ARRAY_SIZE', '<<', '|', '-', '?', ':', '"x"', '#define A(x) x\n', 'A(', '\n#if 1\n', '\n#endif\n', '/* c */', '\n'];
  const tasks: Task[] = [];
  for (let n = 0; n < 150; n++) {
    const len = 5 + Math.floor(rnd() * 120);
    let s = '#include <jailhouse/cell-config.h>\n';
    for (let i = 0; i < len; i++) s += vocab[Math.floor(rnd() * vocab.length)] + ' ';
    tasks.push({ kind: 'text', path: '/virtual/soup.c', text: s });
  }
  const outcomes = await runBounded(tasks, TIMEOUT_MS);
  const problems = outcomes.flatMap((o, i) => failuresOf(`soup ${i}: ${JSON.stringify((tasks[i] as { text: string }).text.slice(36, 200))}`, o));
  assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
});
