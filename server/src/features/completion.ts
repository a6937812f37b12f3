// Completion: the fields a struct still lacks, the constants a field accepts, the count
// expressions of header fields, and snippet blocks inside the section arrays.
import { CONSTANT_GROUPS, constantsOfGroup, CONSTANTS_BY_NAME, struct as schemaStruct, visibleFields, WRAPPER_SECTIONS, type LaidOutStruct } from '../schema';
import type { Doc } from './context';
import { cursorContext } from './cursor';
import { fieldDoc, typeName } from './hover';
import { commaBefore, elementsOf, sectionInsertion, type InsertionEdits, type OffsetEdit } from './insert';
import { snippetDefaults, SNIPPETS } from './snippets';

export type CompletionKind = 'field' | 'constant' | 'value' | 'snippet' | 'member';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /**
   * Lines after the first are indented relative to the line the completion starts on: the
   * client adds that line's indentation (LSP insertTextMode adjustIndentation). A multi-line
   * text is a snippet: snippet expansion is where every client adds it (VS Code, Neovim's
   * vim.snippet); some insert plain text as it is.
   */
  insertText: string;
  snippet?: boolean;
  /** Replace from this offset up to the cursor (the word typed so far). */
  replaceStart: number;
  sortText?: string;
  /** Edits elsewhere that keep the file compiling: a comma before, the array grown to fit. */
  additionalEdits?: OffsetEdit[];
}

/** Adds the edits an item that writes new initializer items needs, and says what it cannot do. */
export function withInsertion<T extends CompletionEntry>(item: T, ins: InsertionEdits): T {
  if (ins.edits.length) item.additionalEdits = ins.edits;
  if (ins.note) item.documentation = `${item.documentation ? `${item.documentation}\n\n` : ''}_${ins.note}_`;
  if (ins.warning) {
    item.detail = `needs a hand edit · ${item.detail ?? ''}`;
    item.documentation = `**Needs a hand edit:** ${ins.warning}${item.documentation ? `\n\n${item.documentation}` : ''}`;
  }
  return item;
}

/**
 * An item that writes new elements of wrapper member `member` (its text, placeholders at their
 * defaults, says how many), with the edits that make room for them.
 */
export function asNewElements<T extends CompletionEntry>(doc: Doc, member: string, item: T, offset: number): T {
  const added = elementsOf(item.snippet ? snippetDefaults(item.insertText) : item.insertText, doc.analysis.macros) ?? 1;
  return withInsertion(item, sectionInsertion(doc, member, item.replaceStart, offset, added));
}

/** A value every field type accepts (the snippet's placeholder): the file compiles at once. */
function fieldValue(t: { kind: string }): string {
  if (t.kind === 'struct' || t.kind === 'array') return '{\n\t$0\n}';
  if (t.kind === 'char') return '"$1"';
  return '${1:0}';
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
    const comma = { edits: commaBefore(doc, replaceStart) };
    for (const m of c.wrapper) {
      if (c.given.has(m.name)) continue;
      out.push(withInsertion({
        label: m.name,
        kind: 'member',
        detail: m.type ? typeName(m.type) : undefined,
        documentation: WRAPPER_SECTIONS.find((s) => s.member === m.name)?.doc,
        insertText: c.afterDot ? `${m.name} = {\n\t$0\n},` : `.${m.name} = {\n\t$0\n},`,
        snippet: true,
        replaceStart,
      }, comma));
    }
    return out;
  }

  if (c.structName) {
    const s = schemaStruct(c.structName);
    const comma = { edits: commaBefore(doc, replaceStart) };
    const rival = unionRivals(s, c.given);
    visibleFields(s).forEach((f, i) => {
      if (!f.name || c.given.has(f.name) || rival.has(f.name) || f.name === 'padding') return;
      const body = `${f.name} = ${fieldValue(f.type)},`;
      out.push(withInsertion({
        label: f.name,
        kind: 'field',
        detail: typeName(f.type),
        documentation: fieldDoc(c.structName!, f).join('\n'),
        insertText: c.afterDot ? body : `.${body}`,
        snippet: true,
        replaceStart,
        sortText: String(i).padStart(3, '0'),
      }, comma));
    });
    return out;
  }

  if (c.frame?.kind === 'array' && c.frame.of.kind === 'struct' && c.path.length === 1) {
    const section = c.path[0];
    // The member may have any name: its type gives the section (as the engine reads it).
    const role = doc.analysis.model?.members.find((m) => m.name === section)?.role ?? section;
    const arch = doc.analysis.model?.arch;
    // A prefix typed in full (`jh-re`) is replaced in full, dash and all.
    const typed = /[A-Za-z0-9_-]*$/.exec(doc.text.slice(Math.max(0, offset - 64), offset))![0];
    for (const sn of SNIPPETS.filter((x) => x.section === role && (!x.arch || !arch || x.arch.includes(arch)))) {
      const start = typed && sn.prefix.startsWith(typed) ? offset - typed.length : replaceStart;
      const item: CompletionEntry = { label: sn.prefix, kind: 'snippet', detail: sn.name, documentation: sn.description, insertText: sn.body.join('\n'), snippet: true, replaceStart: start };
      out.push(asNewElements(doc, section, item, offset));
    }
  }
  return out;
}

/**
 * Fields that would override a member already given: the other members of its union
 * (`.x86` once `.arm` is written in platform_info; GCC -Woverride-init).
 */
function unionRivals(s: LaidOutStruct, given: Set<string>): Set<string> {
  const out = new Set<string>();
  const walk = (st: LaidOutStruct) => {
    const groups = st.fields.map((f) => (f.anonymous && f.type.kind === 'struct' ? visibleFields(schemaStruct(f.type.name)).map((x) => x.name) : [f.name]));
    if (st.union && groups.some((g) => g.some((n) => given.has(n)))) for (const g of groups) if (!g.some((n) => given.has(n))) g.forEach((n) => out.add(n));
    for (const f of st.fields) if (f.anonymous && f.type.kind === 'struct') walk(schemaStruct(f.type.name));
  };
  walk(s);
  return out;
}

function pushConst(out: CompletionEntry[], name: string, replaceStart: number): void {
  const k = CONSTANTS_BY_NAME.get(name);
  if (k) out.push({ label: k.name, kind: 'constant', detail: String(k.literal ?? k.value), documentation: k.doc, insertText: k.name, replaceStart });
}
