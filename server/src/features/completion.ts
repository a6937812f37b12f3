// Completion: the fields a struct still lacks, the constants a field accepts, the count
// expressions of header fields, and snippet blocks inside the section arrays.
import { CONSTANT_GROUPS, constantsOfGroup, CONSTANTS_BY_NAME, struct as schemaStruct, visibleFields, WRAPPER_SECTIONS } from '../schema';
import type { Doc } from './context';
import { cursorContext } from './cursor';
import { fieldDoc, typeName } from './hover';
import { SNIPPETS } from './snippets';

export type CompletionKind = 'field' | 'constant' | 'value' | 'snippet' | 'member';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  insertText: string;
  snippet?: boolean;
  /** Replace from this offset up to the cursor (the word typed so far). */
  replaceStart: number;
  sortText?: string;
}

const COUNT_FIELDS: ReadonlyMap<string, string> = new Map(
  WRAPPER_SECTIONS.map((s) => [s.count, s.member === 'cpus' ? 'sizeof(config.cpus)' : `ARRAY_SIZE(config.${s.member})`]),
);

export function complete(doc: Doc, offset: number): CompletionEntry[] {
  const c = cursorContext(doc.text, offset, doc.tokens);
  const replaceStart = c.wordStart;
  const out: CompletionEntry[] = [];

  if (c.valueField) {
    const { field, structName } = c.valueField;
    if (field.constants) {
      const group = CONSTANT_GROUPS.find((g) => g.id === field.constants);
      const extra = field.constants === 'shmem-proto' ? constantsOfGroup('virtio-dev') : [];
      for (const k of [...constantsOfGroup(field.constants), ...extra]) {
        out.push({ label: k.name, kind: 'constant', detail: `${k.literal ?? k.value} · ${group?.doc ?? k.group}`, documentation: k.doc, insertText: k.name, replaceStart });
      }
    }
    const countExpr = COUNT_FIELDS.get(field.name);
    if (countExpr) out.push({ label: countExpr, kind: 'value', detail: `${structName}.${field.name}`, documentation: 'Keeps the count in step with the declared array.', insertText: countExpr, replaceStart });
    if (field.name === 'revision') pushConst(out, 'JAILHOUSE_CONFIG_REVISION', replaceStart);
    if (field.name === 'signature') {
      const sig = structName === 'jailhouse_system' ? 'JAILHOUSE_SYSTEM_SIGNATURE' : 'JAILHOUSE_CELL_DESC_SIGNATURE';
      out.push({ label: sig, kind: 'constant', detail: 'signature', insertText: sig, replaceStart });
    }
    if (field.name === 'bar_mask' && structName === 'jailhouse_pci_device') {
      for (const m of ['JAILHOUSE_IVSHMEM_BAR_MASK_INTX', 'JAILHOUSE_IVSHMEM_BAR_MASK_MSIX']) out.push({ label: m, kind: 'constant', detail: 'ivshmem BAR mask', insertText: m, replaceStart });
    }
    return out;
  }
  if (c.inIntArray) return out;

  if (c.frame?.kind === 'wrapper') {
    for (const m of c.wrapper) {
      if (c.given.has(m.name)) continue;
      out.push({
        label: m.name,
        kind: 'member',
        detail: m.type ? typeName(m.type) : undefined,
        documentation: WRAPPER_SECTIONS.find((s) => s.member === m.name)?.doc,
        insertText: c.afterDot ? `${m.name} = {\n\t$0\n},` : `.${m.name} = {\n\t$0\n},`,
        snippet: true,
        replaceStart,
      });
    }
    return out;
  }

  if (c.structName) {
    const s = schemaStruct(c.structName);
    visibleFields(s).forEach((f, i) => {
      if (!f.name || c.given.has(f.name) || f.name === 'padding') return;
      const isAgg = f.type.kind === 'struct' || f.type.kind === 'array';
      const body = isAgg ? `${f.name} = {\n\t$0\n},` : `${f.name} = $0,`;
      out.push({
        label: f.name,
        kind: 'field',
        detail: typeName(f.type),
        documentation: fieldDoc(c.structName!, f).join('\n'),
        insertText: c.afterDot ? body : `.${body}`,
        snippet: true,
        replaceStart,
        sortText: String(i).padStart(3, '0'),
      });
    });
    return out;
  }

  if (c.frame?.kind === 'array' && c.frame.of.kind === 'struct' && c.path.length === 1) {
    const section = c.path[0];
    for (const sn of SNIPPETS.filter((x) => x.section === section)) {
      out.push({ label: sn.prefix, kind: 'snippet', detail: sn.name, documentation: sn.description, insertText: sn.body.join('\n'), snippet: true, replaceStart });
    }
  }
  return out;
}

function pushConst(out: CompletionEntry[], name: string, replaceStart: number): void {
  const k = CONSTANTS_BY_NAME.get(name);
  if (k) out.push({ label: k.name, kind: 'constant', detail: String(k.literal ?? k.value), documentation: k.doc, insertText: k.name, replaceStart });
}
