// A minimal Jailhouse include tree for gcc, generated from our schema (structs and constants)
// plus the few function-like and brace-list macros written from the format facts
// (docs/format.md §3.5, §3.6, §3.7). It lets the fixture conformance test compile our own
// fixtures with the real compiler, independently of the engine's built-in header model.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSTANTS, STRUCTS } from '../../server/src/schema';
import type { FieldDef, StructDef, TypeRef } from '../../server/src/schema';

const C_INT: Record<string, string> = {
  u8: '__u8', u16: '__u16', u32: '__u32', u64: '__u64', s8: '__s8', s16: '__s16', s32: '__s32', s64: '__s64',
};

const TYPES_H = `#ifndef _JH_TEST_TYPES_H
#define _JH_TEST_TYPES_H
typedef signed char s8, __s8;
typedef unsigned char u8, __u8;
typedef signed short s16, __s16;
typedef unsigned short u16, __u16;
typedef signed int s32, __s32;
typedef unsigned int u32, __u32;
typedef signed long long s64, __s64;
typedef unsigned long long u64, __u64;
typedef __SIZE_TYPE__ size_t;
typedef enum { false = 0, true = 1 } bool;
#define NULL ((void *)0)
#endif
`;

function tag(s: StructDef): string {
  return `${s.union ? 'union' : 'struct'} ${s.name}`;
}

function declarator(f: FieldDef, t: TypeRef = f.type, suffix = ''): string {
  switch (t.kind) {
    case 'int':
      return `${C_INT[t.int]} ${f.name}${suffix}`;
    case 'bits':
      return `${C_INT[t.int]} ${f.name}${suffix} : ${t.width}`;
    case 'char':
      return `char ${f.name}${suffix}[${t.length}]`;
    case 'array':
      return declarator(f, t.of, `${suffix}[${t.length}]`);
    case 'struct': {
      const s = byName(t.name);
      return `${tag(s)} ${f.name}${suffix}`;
    }
  }
}

function byName(name: string): StructDef {
  const s = STRUCTS.find((x) => x.name === name);
  if (!s) throw new Error(`no struct ${name}`);
  return s;
}

function body(s: StructDef, indent: string): string {
  return s.fields
    .map((f) => {
      if (f.anonymous && f.type.kind === 'struct') {
        // An unnamed member: its type must be written inline (a tag alone needs -fms-extensions).
        const inner = byName(f.type.name);
        return `${indent}${inner.union ? 'union' : 'struct'} {\n${body(inner, indent + '\t')}${indent}} __attribute__((packed));\n`;
      }
      return `${indent}${declarator(f)};\n`;
    })
    .join('');
}

/** Struct definitions in dependency order. */
function structDefs(): string {
  const done = new Set<string>();
  const inlined = new Set<string>();
  for (const s of STRUCTS) for (const f of s.fields) if (f.anonymous && f.type.kind === 'struct') inlined.add(f.type.name);
  const out: string[] = [];
  const emit = (s: StructDef) => {
    if (done.has(s.name)) return;
    done.add(s.name);
    const deps = (t: TypeRef): void => {
      if (t.kind === 'array') deps(t.of);
      else if (t.kind === 'struct') {
        const d = byName(t.name);
        if (inlined.has(d.name)) d.fields.forEach((f) => deps(f.type));
        else emit(d);
      }
    };
    s.fields.forEach((f) => deps(f.type));
    if (!inlined.has(s.name)) out.push(`${tag(s)} {\n${body(s, '\t')}} __attribute__((packed));\n`);
  };
  STRUCTS.forEach(emit);
  return out.join('\n');
}

const BAR = (a: string, b: string) => `{ ${a}, ${b}, 0, 0, 0, 0 }`;

function cellConfigH(): string {
  const constants = CONSTANTS.map((k) => `#define ${k.name} ${k.literal ?? k.value.toString()}`).join('\n');
  return `#ifndef _JH_TEST_CELL_CONFIG_H
#define _JH_TEST_CELL_CONFIG_H
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) sizeof(a) / sizeof(a[0])
#endif
#define JAILHOUSE_SYSTEM_SIGNATURE "JHSYS"
#define JAILHOUSE_CELL_DESC_SIGNATURE "JHCLL"
${constants}

#define JAILHOUSE_SHMEM_NET_REGIONS(start, dev_id) \\
	{ .phys_start = start, .virt_start = start, .size = 0x1000, \\
	  .flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED }, \\
	{ 0 }, \\
	{ .phys_start = (start) + 0x1000, .virt_start = (start) + 0x1000, \\
	  .size = 0x7f000, .flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED | \\
	  ((dev_id == 0) ? JAILHOUSE_MEM_WRITE : 0) }, \\
	{ .phys_start = (start) + 0x80000, .virt_start = (start) + 0x80000, \\
	  .size = 0x7f000, .flags = JAILHOUSE_MEM_READ | JAILHOUSE_MEM_ROOTSHARED | \\
	  ((dev_id == 1) ? JAILHOUSE_MEM_WRITE : 0) }

#define JAILHOUSE_IVSHMEM_BAR_MASK_INTX ${BAR('0xfffff000', '0')}
#define JAILHOUSE_IVSHMEM_BAR_MASK_MSIX ${BAR('0xfffff000', '0xfffff000')}
#define JAILHOUSE_IVSHMEM_BAR_MASK_INTX_64K ${BAR('0xffff0000', '0')}
#define JAILHOUSE_IVSHMEM_BAR_MASK_MSIX_64K ${BAR('0xffff0000', '0xffff0000')}

#define PIO_RANGE(b, l) { .base = b, .length = l }

${structDefs()}
#endif
`;
}

/** Writes `jailhouse/types.h` and `jailhouse/cell-config.h` under `dir`; returns the include dir. */
export function writeGccHeaders(dir: string): string {
  const inc = join(dir, 'jailhouse');
  mkdirSync(inc, { recursive: true });
  writeFileSync(join(inc, 'types.h'), TYPES_H);
  writeFileSync(join(inc, 'cell-config.h'), cellConfigH());
  return dir;
}

/** The generated header text (the cache key of compiled fixtures includes it). */
export function gccHeaderText(): string {
  return TYPES_H + cellConfigH();
}
