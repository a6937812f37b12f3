// What reading a compiled `.cell` image yields (decode.ts reads it, modelJson.ts turns it into
// the model JSON): raw structs by field name, before any naming or formatting.
import type { SectionName } from '../schema';

/** A struct read from the image: field name → value; anonymous members are merged in. */
export interface RawStruct {
  [field: string]: RawValue;
}
export type RawValue = bigint | Uint8Array | RawValue[] | RawStruct;

export type ImageKind = 'system' | 'cell';

export interface DecodedImage {
  kind: ImageKind;
  /** `jailhouse_system` for a system image, else the cell descriptor. */
  header: RawStruct;
  /** The cell descriptor: `root_cell` of a system image. */
  cell: RawStruct;
  /** The CPU bitmap bytes (`cpu_set_size` of them). */
  cpuBytes: Uint8Array;
  /** Elements of each section after the CPU bitmap, as many as the counts say (and the file holds). */
  sections: Record<Exclude<SectionName, 'cpus'>, RawStruct[]>;
  /** Raw bytes of each IOMMU slot, to tell empty slots from used ones. */
  iommuSlots: Uint8Array[];
  /** Bytes the counts describe (header included); the file may be longer. */
  usedSize: number;
}
