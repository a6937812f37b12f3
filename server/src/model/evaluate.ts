// Evaluates the parsed `config` initializer against the schema, the way GCC builds the object:
// C initialization rules (designators, positional lists, brace elision, zero fill) and C integer
// semantics. Problems become diagnostics with stable codes; evaluation always completes.
import type { Diag } from '../core/diagnostics';
import {
  C_INT_TYPES, CELL_NAME_MAXLEN, CONSTANTS_BY_NAME, resolveField, sizeOf, struct, structByCName, WRAPPER_SECTIONS,
  type LaidOutField, type LaidOutStruct, type TypeRef,
} from '../schema';
import { exprBounds, exprFirst, exprLast, type Expr } from '../syntax/expr';
import { locOf, spanLoc, TK, type Token } from '../syntax/lexer';
import { drainList, hasItem, type ConfigDecl, type InitItem, type InitList, type MemberDecl } from '../syntax/parser';
import type { Loc } from '../util/source';
import { binary, castTo, castType, convertToField, fmtInt, INT, parseIntLiteral, SIZE_T, UINT, unary, type CType, type CVal } from '../syntax/cint';
import { buildModel } from './typedView';
import type { AggValue, BytesValue, ConfigModel, IntValue, Value, WrapperMember } from '../core/model';

type Init = InitList | Expr;

const WRAPPER: TypeRef = { kind: 'struct', name: '<config>' };

/**
 * `sizeT`: width of size_t on the compiler's target. Upstream builds configs/arm/ with a 32-bit
 * ARM compiler, where `sizeof(config.cpus) - 16` in a __u64 is 0xfffffff8, not 0xfff…f8.
 */
export function evaluateConfig(decl: ConfigDecl, diagnostics: Diag[], file: string, sizeT: 32 | 64 = 64): ConfigModel | undefined {
  return new Evaluator(decl, diagnostics, sizeT === 32 ? UINT : SIZE_T).run(file);
}

class Evaluator {
  private members: WrapperMember[] = [];
  private wrapper!: LaidOutStruct;
  private readonly objName: string;

  constructor(
    private readonly decl: ConfigDecl,
    private readonly diags: Diag[],
    private readonly sizeT: CType,
  ) {
    this.objName = decl.nameTok?.text ?? 'config';
  }

  private report(code: string, loc: Loc, message: string, data?: unknown, severity: Diag['severity'] = 'error'): void {
    const d: Diag = { code, severity, message, loc: { file: loc.file, start: loc.start, end: loc.end } };
    if (data !== undefined) d.data = data;
    this.diags.push(d);
  }

  run(file: string): ConfigModel | undefined {
    this.resolveMembers();
    const header = this.members.find((m) => m.role === 'header');
    if (!header) {
      const m0 = this.decl.members[0];
      this.report('syntax', m0 ? spanLoc(m0.first, m0.last) : locOf(this.decl.structTok),
        'the config struct must start with a `struct jailhouse_system` (system config) or `struct jailhouse_cell_desc` (cell config) member');
      return undefined;
    }
    const root: AggValue = { kind: 'agg', type: WRAPPER, items: [], loc: spanLoc(this.decl.structTok, this.decl.membersClose ?? this.decl.structTok) };
    const init = this.decl.init;
    if (init) {
      if (init.k !== 'list') this.report('syntax', exprLoc(init), 'the config object needs a braced initializer');
      else this.initStruct(this.wrapper, init, root);
    }
    const kind = header.type.kind === 'struct' && header.type.name === 'jailhouse_system' ? 'system' : 'cell';
    this.checkOrder();
    return buildModel(file, kind, this.members, root);
  }

  // ---- the wrapper declaration ------------------------------------------------------------

  private resolveMembers(): void {
    const fields: LaidOutField[] = [];
    let offset = 0;
    for (const m of this.decl.members) {
      const elem = this.typeOf(m);
      if (!elem || !m.name) continue;
      let type = elem;
      let length: number | undefined;
      if (m.length !== undefined) {
        if (m.length === null) {
          this.report('syntax', spanLoc(m.lengthOpen!, m.lengthClose!), `array ${m.name.text} needs a size (the config object cannot have flexible arrays)`);
          length = 0;
        } else {
          const v = this.constInt(m.length);
          length = v !== undefined && v >= 0n && v <= 1_000_000n ? Number(v) : 0;
          if (v === undefined || v < 0n || v > 1_000_000n) this.report('value-range', exprLoc(m.length), `array size of ${m.name.text} must be a constant between 0 and 1000000`);
        }
        type = { kind: 'array', of: elem, length };
      }
      const role = this.roleOf(m.name.text, elem, length !== undefined);
      const size = sizeOf(type);
      fields.push({ name: m.name.text, type, doc: '', offset, size });
      offset += size;
      this.members.push({
        name: m.name.text,
        role,
        type,
        length,
        loc: spanLoc(m.first, m.last),
        lengthLoc: m.length ? exprLoc(m.length) : undefined,
        initialized: 0,
      });
    }
    this.wrapper = { name: '<config>', doc: 'the config object', fields, size: offset };
  }

  private typeOf(m: MemberDecl): TypeRef | undefined {
    const name = m.typeName.replace(/\s+/g, ' ');
    const intType = C_INT_TYPES[name];
    if (intType) return intType;
    const s = structByCName(name);
    if (s) return { kind: 'struct', name: s.name };
    this.report('syntax', locOf(m.typeFirst), `unknown type '${name}' in the config struct`);
    return undefined;
  }

  private roleOf(name: string, elem: TypeRef, isArray: boolean): WrapperMember['role'] {
    if (!isArray) {
      if (elem.kind === 'struct' && (elem.name === 'jailhouse_system' || elem.name === 'jailhouse_cell_desc')) {
        return this.members.some((m) => m.role === 'header') ? undefined : 'header';
      }
      return undefined;
    }
    const elemName = elem.kind === 'struct' ? elem.name : elem.kind === 'int' && elem.int === 'u64' ? 'u64' : undefined;
    const taken = new Set(this.members.map((m) => m.role));
    const byName = WRAPPER_SECTIONS.find((s) => s.member === name && s.elem === elemName);
    if (byName && !taken.has(byName.member)) return byName.member;
    const byType = WRAPPER_SECTIONS.find((s) => s.elem === elemName && !taken.has(s.member));
    return byType?.member;
  }

  /** Sections must be declared in the order the image is read (docs/format.md §1.2; engine code member-order). */
  private checkOrder(): void {
    const order = WRAPPER_SECTIONS.map((s) => s.member as string);
    let last = -1;
    let lastName = '';
    for (const m of this.members) {
      if (!m.role) continue;
      if (m.role === 'header') {
        if (last >= 0) this.report('member-order', m.loc, 'the header must be the first member of the config struct: the image starts with it');
        continue;
      }
      const i = order.indexOf(m.role);
      if (i < last) {
        this.report('member-order', m.loc, `${m.name} is declared after ${lastName}, but the image is read in the order cpus, mem_regions, cache_regions, irqchips, pio_regions, pci_devices, pci_caps, stream_ids: the hypervisor would read the wrong bytes`, { member: m.name });
      }
      last = Math.max(last, i);
      lastName = m.name;
    }
  }

  // ---- initialization -------------------------------------------------------------------

  private structOf(t: TypeRef): LaidOutStruct {
    if (t === WRAPPER || (t.kind === 'struct' && t.name === '<config>')) return this.wrapper;
    return struct((t as { name: string }).name);
  }

  private isAggregate(t: TypeRef): boolean {
    return t.kind === 'struct' || t.kind === 'array' || t.kind === 'char';
  }

  /** Initializes a struct or union from a braced list. */
  private initStruct(s: LaidOutStruct, list: InitList, agg: AggValue): void {
    const fields = s.fields;
    let cursor = 0;
    let designated = false;
    const items = list.items;
    for (let i = 0; i < items.length || hasItem(list, i); i++) {
      const item = items[i];
      if (item.designators.length) {
        designated = true;
        const d = item.designators[0];
        if (d.kind !== 'field' || !d.name) {
          if (d.kind === 'index') this.report('syntax', spanLoc(d.tok, d.last), `an array index designator cannot select a member of ${describe(s)}`);
          continue;
        }
        const path = fieldPath(s, d.name.text);
        if (!path) {
          this.unknownField(s, d.name);
          continue;
        }
        cursor = fields.indexOf(path[0]) + 1;
        if (s.union) agg.unionMember = fields.indexOf(path[0]);
        this.designate(s, agg, path, item, 1);
        continue;
      }
      if (s.union && cursor > 0) {
        this.report('syntax', itemLoc(item), `excess elements in union initializer of ${describe(s)}`);
        continue;
      }
      if (cursor >= fields.length) {
        this.report('syntax', itemLoc(item), `excess elements in ${describe(s)} initializer`);
        continue;
      }
      const f = fields[cursor];
      if (s.union) agg.unionMember = cursor;
      i += this.positional(f.type, agg, cursor, i, list) - 1;
      cursor++;
    }
    if (!designated && !s.union && list.items.length && cursor < fields.length && s !== this.wrapper && !isZeroInit(list)) {
      this.report('syntax', spanLoc(list.open, list.close),
        `missing initializer for field '${fields[cursor].name || 'its anonymous member'}' of ${describe(s)} (GCC -Wmissing-field-initializers; an error with the upstream -Werror build)`);
    }
  }

  /** Initializes an array from a braced list. */
  private initArray(t: TypeRef & { kind: 'array' }, list: InitList, agg: AggValue): void {
    let cursor = 0;
    const items = list.items;
    // In a lazy list, the items before the one just read are let go of: an element's syntax
    // tree then dies young (see parseConfigStream).
    const release = list.reader !== undefined;
    let released = 0;
    for (let i = 0; i < items.length || hasItem(list, i); i++) {
      if (release) while (released < i - 1) items[released++] = undefined as unknown as InitItem;
      const item = items[i];
      if (item.designators.length) {
        const d = item.designators[0];
        if (d.kind !== 'index' || !d.index) {
          this.report('syntax', spanLoc(d.tok, d.last), `a field designator cannot select an element of an array`);
          continue;
        }
        const idx = this.constInt(d.index);
        if (idx === undefined) continue;
        if (idx < 0n || idx >= BigInt(t.length)) {
          this.report('value-range', spanLoc(d.tok, d.last), `array index ${idx} is outside the array (${t.length} element${t.length === 1 ? '' : 's'})`);
          continue;
        }
        cursor = Number(idx);
        this.designate(null, agg, [{ name: `[${cursor}]`, type: t.of, doc: '', offset: 0, size: 0, idx: cursor } as LaidOutField & { idx: number }], item, 1);
        cursor++;
        continue;
      }
      if (cursor >= t.length) {
        // For a wrapper member, how many elements the list holds: the quick fix declares that
        // many (an element whose braces are elided counts once per item: approximate then).
        const member = this.members.find((m) => m.type === t)?.name;
        let elements = cursor;
        if (member !== undefined) for (let j = i; j < items.length || hasItem(list, j); j++) if (!items[j].designators.length) elements++;
        this.report('syntax', itemLoc(item), `excess elements in array initializer (the array has ${t.length} element${t.length === 1 ? '' : 's'})`,
          { excess: true, length: t.length, ...(member !== undefined ? { member, elements } : {}) });
        break;
      }
      // The elements a multi-element macro (JAILHOUSE_SHMEM_NET_REGIONS) produces share the
      // comment written above the macro.
      const use = item.first.use;
      if (!item.name && use !== undefined && i > 0 && items[i - 1].first.use === use) item.name = items[i - 1].name;
      i += this.positional(t.of, agg, cursor, i, list) - 1;
      cursor++;
    }
  }

  /**
   * One positional initializer for slot `slot` of `agg`. Returns the number of list items used:
   * more than one when braces are elided (`{ 1, 2 }` filling a nested struct).
   */
  private positional(t: TypeRef, agg: AggValue, slot: number, i: number, list: InitList): number {
    const item = list.items[i];
    const v = item.value;
    if (v.k !== 'list' && this.isAggregate(t) && !(t.kind === 'char' && v.k === 'str')) {
      if (!isZeroInit(list)) {
        this.report('syntax', itemLoc(item), `missing braces around initializer (GCC -Wmissing-braces; an error with the upstream -Werror build)`);
      }
      const sub = this.fresh(t, undefined);
      const used = this.elide(t, sub, list, i);
      agg.items[slot] = sub;
      return used;
    }
    this.assign(agg, slot, t, item, false);
    return 1;
  }

  /** Brace elision: fills `sub` from consecutive positional items. */
  private elide(t: TypeRef, sub: AggValue, list: InitList, start: number): number {
    const slots = t.kind === 'array' ? t.length : t.kind === 'char' ? t.length : this.structOf(t).fields.length;
    let used = 0;
    for (let s = 0; s < slots && hasItem(list, start + used); s++) {
      const item = list.items[start + used];
      if (item.designators.length) break;
      const st = t.kind === 'array' ? t.of : t.kind === 'char' ? ({ kind: 'int', int: 'u8' } as TypeRef) : this.structOf(t).fields[s].type;
      if (item.value.k !== 'list' && this.isAggregate(st)) {
        const inner = this.fresh(st, undefined);
        used += this.elide(st, inner, list, start + used);
        sub.items[s] = inner;
      } else {
        this.assign(sub, s, st, item, false);
        used++;
      }
      if (t.kind === 'struct' && this.structOf(t).union) break;
    }
    return Math.max(1, used);
  }

  /** Applies a designator chain from position `k` onward, then the value. */
  private designate(s: LaidOutStruct | null, agg: AggValue, path: (LaidOutField & { idx?: number })[], item: InitItem, k: number): void {
    // Walk anonymous members of the first designator's resolution.
    let cur = agg;
    let curStruct = s;
    for (let p = 0; p < path.length - 1; p++) {
      const f = path[p];
      const slot = curStruct ? curStruct.fields.indexOf(f) : f.idx!;
      cur = this.subAgg(cur, slot, f.type);
      curStruct = this.structOf(f.type);
      const next = path[p + 1];
      if (curStruct.union) cur.unionMember = curStruct.fields.indexOf(next);
    }
    const last = path[path.length - 1];
    const slot = curStruct ? curStruct.fields.indexOf(last) : last.idx!;
    if (k >= item.designators.length) {
      this.assign(cur, slot, last.type, item, true);
      return;
    }
    // More designators: descend into the member and continue the chain there.
    const d = item.designators[k];
    if (last.type.kind === 'array') {
      if (d.kind !== 'index' || !d.index) {
        this.report('syntax', spanLoc(d.tok, d.last), `'${last.name}' is an array: use [index] to select an element`);
        return;
      }
      const idx = this.constInt(d.index);
      if (idx === undefined) return;
      if (idx < 0n || idx >= BigInt(last.type.length)) {
        this.report('value-range', spanLoc(d.tok, d.last), `array index ${idx} is outside ${last.name} (${last.type.length} elements)`);
        return;
      }
      const sub = this.subAgg(cur, slot, last.type);
      this.designate(null, sub, [{ name: `[${idx}]`, type: last.type.of, doc: '', offset: 0, size: 0, idx: Number(idx) } as LaidOutField & { idx: number }], item, k + 1);
      return;
    }
    if (last.type.kind !== 'struct') {
      this.report('syntax', spanLoc(d.tok, d.last), `'${last.name}' is not a struct: it has no members to designate`);
      return;
    }
    const inner = this.structOf(last.type);
    if (d.kind !== 'field' || !d.name) {
      this.report('syntax', spanLoc(d.tok, d.last), `'${last.name}' is a struct: use .field to select a member`);
      return;
    }
    const innerPath = fieldPath(inner, d.name.text);
    if (!innerPath) {
      this.unknownField(inner, d.name);
      return;
    }
    const sub = this.subAgg(cur, slot, last.type);
    if (inner.union) sub.unionMember = inner.fields.indexOf(innerPath[0]);
    this.designate(inner, sub, innerPath, item, k + 1);
  }

  private unknownField(s: LaidOutStruct, name: Token): void {
    const candidates = visibleNames(s);
    const best = closest(name.text, candidates);
    this.report('unknown-field', locOf(name),
      `${describe(s)} has no field '${name.text}'${best ? `; did you mean '${best}'?` : ''}`,
      { name: name.text, suggestion: best, struct: s.name, candidates });
  }

  /** The aggregate in `agg.items[slot]`, created (zero) when absent. */
  private subAgg(agg: AggValue, slot: number, t: TypeRef): AggValue {
    const v = agg.items[slot];
    if (v && v.kind === 'agg') return v;
    const fresh = this.fresh(t, undefined);
    agg.items[slot] = fresh;
    return fresh;
  }

  private fresh(t: TypeRef, loc: Loc | undefined): AggValue {
    return { kind: 'agg', type: t, items: [], loc };
  }

  /** Assigns one initializer to `agg.items[slot]`, reporting when it overrides an earlier one. */
  private assign(agg: AggValue, slot: number, t: TypeRef, item: InitItem, designated: boolean): void {
    const init = item.value;
    const prev = agg.items[slot];
    if (prev && prev.loc && !(prev.kind === 'agg' && init.k !== 'list' && t.kind !== 'char')) {
      this.diags.push({
        code: 'duplicate-designator',
        severity: 'error',
        message: `this initializes ${this.slotName(agg, slot)} a second time (GCC -Woverride-init; an error with the upstream -Werror build)`,
        loc: (designated ? designatorLoc(item) : undefined) ?? itemLoc(item),
        related: [{ loc: prev.loc, message: 'first initialized here' }],
        data: { first: prev.loc },
      });
    }
    // The item's range is needed only by a few kinds of values: it is computed on demand.
    const v = this.value(t, init, undefined, item);
    if (v) {
      const name = item.name;
      if (name && v.kind === 'agg') v.name = name;
      agg.items[slot] = v;
    }
  }

  private slotName(agg: AggValue, slot: number): string {
    if (agg.type.kind === 'array') return `element [${slot}]`;
    const s = this.structOf(agg.type);
    return `'${s.fields[slot]?.name || 'member'}'`;
  }

  /** The value of one initializer for a member of type `t`. */
  private value(t: TypeRef, init: Init, loc: Loc | undefined, item?: InitItem): Value | undefined {
    // Only struct and array initializers are read item by item; the others need the whole list.
    if (init.k === 'list' && init.reader !== undefined && t.kind !== 'struct' && t.kind !== 'array') drainList(init);
    switch (t.kind) {
      case 'int':
      case 'bits': {
        let e: Expr | undefined;
        if (init.k === 'list') {
          if (init.items.length > 1) this.report('syntax', itemLoc(init.items[1]), 'excess elements in scalar initializer');
          const first = init.items[0];
          if (!first) return { kind: 'int', value: 0n, loc: loc ?? itemLoc(item!) };
          if (first.value.k === 'list') {
            this.report('syntax', itemLoc(first), 'braces around scalar initializer');
            return { kind: 'int', value: 0n, loc: loc ?? itemLoc(item!) };
          }
          e = first.value;
        } else e = init;
        const cv = this.eval(e);
        const eLoc = exprLoc(e);
        if (!cv) return { kind: 'int', value: 0n, loc: eLoc };
        const r = convertToField(cv, t.int, t.kind === 'bits' ? t.width : undefined);
        if (r.error) this.report('value-range', eLoc, r.error, { value: cv.v.toString() });
        return { kind: 'int', value: r.value, loc: eLoc } satisfies IntValue;
      }
      case 'char':
        return this.charArray(t.length, init, loc ?? itemLoc(item!));
      case 'array': {
        if (init.k !== 'list') {
          // `.bar_mask = X` with X not a brace list: brace elision of a single element.
          const agg = this.fresh(t, loc ?? itemLoc(item!));
          this.report('syntax', exprLoc(init), 'missing braces around array initializer');
          const v = this.value(t.of, init, exprLoc(init));
          if (v) agg.items[0] = v;
          return agg;
        }
        const agg = this.fresh(t, undefined);
        this.initArray(t, init, agg);
        drainList(init);
        agg.loc = spanLoc(init.open, init.close); // known once a lazy list is read
        return agg;
      }
      case 'struct': {
        const s = this.structOf(t);
        if (init.k !== 'list') {
          const agg = this.fresh(t, exprLoc(init));
          this.report('syntax', exprLoc(init), `${describe(s)} needs a braced initializer`);
          return agg;
        }
        const agg = this.fresh(t, undefined);
        this.initStruct(s, init, agg);
        drainList(init);
        agg.loc = spanLoc(init.open, init.close);
        return agg;
      }
    }
  }

  private charArray(length: number, init: Init, loc: Loc): BytesValue {
    const bytes = new Uint8Array(length);
    let e: Init = init;
    if (e.k === 'list' && e.items.length === 1 && e.items[0].value.k === 'str') e = e.items[0].value;
    if (e.k === 'str') {
      const text = e.toks.map((t) => unquote(t.text)).join('');
      const enc = Buffer.from(text, 'utf8');
      if (enc.length > length) {
        this.report('value-range', exprLoc(e), `string of ${enc.length} bytes does not fit in char[${length}]${length === CELL_NAME_MAXLEN + 1 ? ` (a cell name has at most ${CELL_NAME_MAXLEN} characters)` : ''}`, { length: enc.length, max: length });
      }
      bytes.set(enc.subarray(0, length));
      return { kind: 'bytes', bytes, text, loc: exprLoc(e) };
    }
    if (e.k === 'list') {
      e.items.forEach((it, i) => {
        if (i >= length || it.value.k === 'list') return;
        const cv = this.eval(it.value);
        if (cv) bytes[i] = Number(BigInt.asUintN(8, cv.v));
      });
      return { kind: 'bytes', bytes, text: Buffer.from(bytes).toString('latin1').replace(/\0.*$/s, ''), loc };
    }
    this.report('syntax', exprLoc(e), `char[${length}] needs a string`);
    return { kind: 'bytes', bytes, text: '', loc: exprLoc(e) };
  }

  // ---- expressions ----------------------------------------------------------------------

  private constInt(e: Expr): bigint | undefined {
    return this.eval(e)?.v;
  }

  /** Evaluates a constant expression; undefined (after a diagnostic) when it has no value. */
  eval(e: Expr): CVal | undefined {
    switch (e.k) {
      case 'num': {
        const r = parseIntLiteral(e.tok.text);
        if (r.error) this.report('value-range', locOf(e.tok), r.error);
        return r.val;
      }
      case 'char':
        return { v: BigInt(unquote(e.tok.text).charCodeAt(0) || 0), t: INT };
      case 'str':
        this.report('syntax', exprLoc(e), 'a string cannot be used as a number here');
        return undefined;
      case 'ident':
        return this.ident(e.tok);
      case 'paren':
        return this.eval(e.e);
      case 'unary': {
        const a = this.eval(e.arg);
        if (!a) return undefined;
        const r = unary(e.op, a);
        if (r.error) this.report('value-range', exprLoc(e), r.error);
        return r.val;
      }
      case 'binary': {
        const a = this.eval(e.l);
        const b = this.eval(e.r);
        if (!a || !b) return undefined;
        const r = binary(e.op, a, b);
        if (r.error) this.report('value-range', exprLoc(e), r.error);
        return r.val;
      }
      case 'cond': {
        const c = this.eval(e.c);
        const t = this.eval(e.t);
        const f = this.eval(e.f);
        if (!c || !t || !f) return undefined;
        // Both arms convert to their common type, as in C.
        const res = c.v !== 0n ? t : f;
        const ct = binary('|', { v: 0n, t: t.t }, { v: 0n, t: f.t }).val.t;
        return { v: ct.unsigned ? BigInt.asUintN(ct.bits, res.v) : BigInt.asIntN(ct.bits, res.v), t: ct };
      }
      case 'cast': {
        const a = this.eval(e.e);
        if (!a) return undefined;
        const r = castTo(e.type.text, a);
        if (!r) this.report('syntax', spanLoc(e.type.first, e.type.last), `cannot cast to '${e.type.text}' in a constant expression`);
        return r ?? a;
      }
      case 'sizeof': {
        let size: number | undefined;
        if (e.type) {
          size = castType(e.type.text)?.size;
          const s = structByCName(e.type.text);
          if (s) size = s.size;
          if (size === undefined) this.report('syntax', spanLoc(e.type.first, e.type.last), `unknown type '${e.type.text}'`);
        } else if (e.e) {
          const t = this.typeOfExpr(e.e);
          if (t) size = t === WRAPPER ? this.wrapper.size : sizeOf(t);
        }
        return size === undefined ? undefined : { v: BigInt(size), t: this.sizeT };
      }
      case 'member':
      case 'index':
        this.report('syntax', exprLoc(e), `${exprText(e)} is not a constant; use sizeof(${exprText(e)}) or ARRAY_SIZE(${exprText(e)})`);
        return undefined;
      case 'call':
        this.report('unknown-macro', locOf(e.callee), e.callee.noExpand
          ? `macro '${e.callee.text}' expands to itself (directly or through other macros); C stops expanding it here`
          : `'${e.callee.text}' is not a function-like macro of this file or of the Jailhouse headers`,
          { name: e.callee.text });
        return undefined;
      case 'error':
        return undefined;
    }
  }

  private ident(tok: Token): CVal | undefined {
    if (tok.text === this.objName) {
      this.report('syntax', locOf(tok), `'${tok.text}' is the object being defined, not a constant`);
      return undefined;
    }
    if (tok.noExpand) {
      this.report('unknown-macro', locOf(tok), `macro '${tok.text}' expands to itself (directly or through other macros); C stops expanding it here`, { name: tok.text });
      return { v: 0n, t: INT };
    }
    const known = CONSTANTS_BY_NAME.get(tok.text);
    const suggestion = known ? undefined : closest(tok.text, [...CONSTANTS_BY_NAME.keys()]);
    this.report('unknown-macro', locOf(tok),
      `'${tok.text}' is not defined: not a macro of this file or of the Jailhouse headers${suggestion ? `; did you mean '${suggestion}'?` : ''}` +
      (/^CONFIG_/.test(tok.text) ? ` (define it with -D ${tok.text}=… or the predefined-macros setting)` : ''),
      { name: tok.text, suggestion });
    return { v: 0n, t: INT };
  }

  /** The C type of an lvalue expression (`config.cpus`, `config.mem_regions[0]`), for sizeof. */
  private typeOfExpr(e: Expr): TypeRef | undefined {
    switch (e.k) {
      case 'paren':
        return this.typeOfExpr(e.e);
      case 'ident':
        if (e.tok.text === this.objName) return WRAPPER;
        break;
      case 'member': {
        const base = this.typeOfExpr(e.obj);
        if (!base) return undefined;
        if (base.kind !== 'struct') {
          this.report('syntax', locOf(e.name), `'${exprText(e.obj)}' has no members`);
          return undefined;
        }
        const s = this.structOf(base);
        const path = resolveField(s, e.name.text);
        if (!path) {
          this.unknownField(s, e.name);
          return undefined;
        }
        return path[path.length - 1].type;
      }
      case 'index': {
        const base = this.typeOfExpr(e.obj);
        if (!base) return undefined;
        if (base.kind === 'array') return base.of;
        if (base.kind === 'char') return { kind: 'int', int: 'u8' };
        this.report('syntax', exprLoc(e), `'${exprText(e.obj)}' is not an array`);
        return undefined;
      }
      default: {
        const v = this.eval(e);
        return v ? { kind: 'int', int: v.t.bits === 64 ? 'u64' : 'u32' } : undefined;
      }
    }
    this.report('syntax', exprLoc(e), `sizeof needs the config object or a type here, not '${exprText(e)}'`);
    return undefined;
  }
}

// ---- helpers ------------------------------------------------------------------------------

/** `resolveField` results per struct: the schema is immutable and designators repeat a lot. */
const fieldPaths = new WeakMap<LaidOutStruct, Map<string, LaidOutField[] | undefined>>();

function fieldPath(s: LaidOutStruct, name: string): LaidOutField[] | undefined {
  let byName = fieldPaths.get(s);
  if (!byName) fieldPaths.set(s, (byName = new Map()));
  let path = byName.get(name);
  if (path === undefined && !byName.has(name)) {
    path = resolveField(s, name);
    byName.set(name, path);
  }
  return path;
}

/**
 * Where a value came from: the span of its tokens, leaving out parentheses and operators that a
 * macro body added around an argument — so `.size = (len)` in a macro points at the argument
 * written for `len`, while a value computed by the body points at the invocation.
 */
export function exprLoc(e: Expr): Loc {
  if (e.k === 'num' || e.k === 'ident') {
    const l = locOf(e.tok);
    return { file: l.file, start: l.start, end: l.end };
  }
  const a = exprFirst(e);
  const b = exprLast(e);
  if (!a.loc && !b.loc) return spanLoc(a, b);
  spanFile = '';
  spanStart = Infinity;
  spanEnd = -Infinity;
  spanLeaves(e);
  if (spanFile && spanStart <= spanEnd) return { file: spanFile, start: spanStart, end: spanEnd };
  return spanLoc(a, b);
}

// The span spanLeaves() accumulates: plain variables, as exprLoc runs for most values and is
// never re-entered.
let spanFile = '';
let spanStart = 0;
let spanEnd = 0;

function addTok(t: Token, leaf: boolean): void {
  if (t.loc && !leaf) return; // punctuation from a macro body
  const l = t.loc ?? t;
  if (!spanFile) spanFile = l.file;
  if (l.file !== spanFile) return;
  if (l.start < spanStart) spanStart = l.start;
  if (l.end > spanEnd) spanEnd = l.end;
}

function spanLeaves(e: Expr): void {
  switch (e.k) {
    case 'num':
    case 'char':
    case 'ident':
    case 'error':
      return addTok(e.tok, true);
    case 'str':
      for (const t of e.toks) addTok(t, true);
      return;
    case 'unary':
      addTok(e.tok, false);
      return spanLeaves(e.arg);
    case 'binary':
      spanLeaves(e.l);
      addTok(e.tok, false);
      return spanLeaves(e.r);
    case 'cond':
      spanLeaves(e.c);
      spanLeaves(e.t);
      return spanLeaves(e.f);
    case 'paren':
      addTok(e.open, false);
      addTok(e.close, false);
      return spanLeaves(e.e);
    case 'sizeof':
      addTok(e.tok, true);
      return addTok(e.close, false);
    case 'cast':
      addTok(e.open, false);
      return spanLeaves(e.e);
    case 'member':
      spanLeaves(e.obj);
      return addTok(e.name, true);
    case 'index':
      spanLeaves(e.obj);
      return addTok(e.close, false);
    case 'call':
      addTok(e.callee, true);
      return addTok(e.close, false);
  }
}

function itemLoc(item: InitItem): Loc {
  return spanLoc(item.first, item.last);
}

function designatorLoc(item: InitItem): Loc | undefined {
  const ds = item.designators;
  return ds.length ? spanLoc(ds[0].tok, ds[ds.length - 1].last) : undefined;
}

function isZeroInit(list: InitList): boolean {
  if (!hasItem(list, 0) || hasItem(list, 1)) return false;
  const v = list.items[0].value;
  return !list.items[0].designators.length && v.k === 'num' && /^0+$/.test(v.tok.text);
}

function describe(s: LaidOutStruct): string {
  if (s.name === '<config>') return 'the config struct';
  return s.cName ?? s.name;
}

function visibleNames(s: LaidOutStruct): string[] {
  const out: string[] = [];
  for (const f of s.fields) {
    if (f.anonymous && f.type.kind === 'struct') out.push(...visibleNames(struct(f.type.name)));
    else out.push(f.name);
  }
  return out;
}

function exprText(e: Expr): string {
  const [a, b] = exprBounds(e);
  if (a === b) return a.text;
  switch (e.k) {
    case 'member':
      return `${exprText(e.obj)}.${e.name.text}`;
    case 'index':
      return `${exprText(e.obj)}[${exprText(e.idx)}]`;
    default:
      return a.text + '…';
  }
}

function unquote(s: string): string {
  const body = s.length >= 2 && (s.endsWith('"') || s.endsWith("'")) ? s.slice(1, -1) : s.slice(1);
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, esc: string) => {
    if (esc[0] === 'x') return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[esc] ?? esc;
  });
}

/** The closest candidate by edit distance, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    if (!c) continue;
    if (Math.abs(c.length - word.length) > Math.max(3, word.length / 3)) continue;
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

export { fmtInt, TK };
