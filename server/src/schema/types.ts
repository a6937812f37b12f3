// The vocabulary in which the Jailhouse structs are described once (see structs.ts).
// Offsets and sizes are derived from field order, because every struct is packed.

export type IntKind = 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64';

export type TypeRef =
  | { kind: 'int'; int: IntKind }
  /** A bit-field inside a storage unit of `int`; consecutive bit-fields share one unit. */
  | { kind: 'bits'; int: IntKind; width: number }
  | { kind: 'char'; length: number }
  | { kind: 'array'; of: TypeRef; length: number }
  | { kind: 'struct'; name: string };

/** How a value is printed in `jhcell dump --json` and hover: hex string or plain integer. */
export type Display = 'hex' | 'dec';

export interface FieldDef {
  name: string;
  type: TypeRef;
  /** One line: what the field means. */
  doc: string;
  /** Constant group whose names are valid values (completion, hover decoding). */
  constants?: string;
  display?: Display;
  /** Members of an anonymous struct/union: designators reach their fields directly. */
  anonymous?: boolean;
}

export interface StructDef {
  name: string;
  /** The C spelling, e.g. `struct jailhouse_memory`; undefined for nested anonymous types. */
  cName?: string;
  union?: boolean;
  doc: string;
  fields: FieldDef[];
}

/** A struct with its layout computed. */
export interface LaidOutField extends FieldDef {
  offset: number;
  size: number;
  /** For bit-fields: position inside the storage unit at `offset`. */
  bitOffset?: number;
}

export interface LaidOutStruct extends StructDef {
  size: number;
  fields: LaidOutField[];
}

/** An architecture as configs/<arch>/ and `--arch` name it; the values are the `arch` constants. */
export type ArchName = 'x86' | 'arm' | 'arm64';

export interface ConstantDef {
  name: string;
  value: bigint;
  /** Group id, e.g. `mem-flags`; fields name the group they accept. */
  group: string;
  doc: string;
  /** The C literal the header uses; decides the C type of the constant. */
  literal?: string;
}

export interface ConstantGroup {
  id: string;
  /** Flags are OR-ed together; enums take exactly one value. */
  kind: 'flags' | 'enum';
  doc: string;
}
