// What a caller can ask of the preprocessor, and the bounds that keep hostile input finite.
import { MAX_SOURCE_BYTES } from '../util/source';

export interface PreprocessOptions {
  defines?: Record<string, string>;
  includeDirs?: string[];
  readFile?: (path: string) => string | undefined;
  /** Serve `<jailhouse/…>` from the built-in header model (default true). */
  builtinHeaders?: boolean;
  /** Extra built-in headers (the DTS importer's dt-bindings). */
  extraHeaders?: (spec: string) => string | undefined;
  /**
   * cpp's assembler-with-cpp mode, which dtc runs on device trees: a `#` line that names no
   * directive (`#address-cells = <1>;`) is text, and characters C does not use (`@` of
   * `cpu@0`) are tokens, not errors.
   */
  assembler?: boolean;
  /** dtc's `/include/ "FILE"` at the start of a line includes like `#include "FILE"`. */
  dtcInclude?: boolean;
}

/** Bounds that keep hostile input finite. */
export const LIMITS = {
  maxFileBytes: MAX_SOURCE_BYTES,
  maxIncludeDepth: 64,
  /** Output tokens per input token (macro bombs). */
  maxExpansionFactor: 64,
  minExpansionBudget: 200_000,
  /** Macro calls nested inside macro arguments (each level re-expands its argument). */
  maxArgNesting: 32,
};
