// The engine's public surface: one call turns a config file into its model and diagnostics.
// Language server, CLI and tests use only this (plus the rules layer on top of it).
import type { ConfigModel } from './model';
import type { Loc, SourceFile } from '../util/source';
import type { Diag } from './diagnostics';

export interface EngineOptions {
  /** Predefined macros (`-D NAME[=VALUE]`; a missing value means 1). */
  defines?: Record<string, string>;
  /** Extra directories searched for `#include "…"` and `#include <…>` after the built-in headers. */
  includeDirs?: string[];
  /**
   * C data model of the compiler that builds this file: `ilp32` for 32-bit ARM (size_t is 32
   * bits), `lp64` otherwise. Default: `ilp32` for files in a folder named `arm`, as upstream's
   * configs/arm/.
   */
  dataModel?: 'ilp32' | 'lp64';
  /** Reads a file; lets the language server serve unsaved editor buffers. Default: the disk. */
  readFile?: (path: string) => string | undefined;
}

export interface MacroDef {
  name: string;
  /** Parameter names of a function-like macro; undefined for object-like. */
  params?: string[];
  /** The replacement text as written. */
  body: string;
  /** Where it is defined (a built-in header for Jailhouse macros, or a -D option: file `<command line>`). */
  loc: Loc;
  builtin: boolean;
}

export interface MacroUse {
  name: string;
  /** The invocation in the file: the name, plus the argument list for function-like macros. */
  loc: Loc;
  def: MacroDef;
  /** The fully expanded replacement, as text (for hover). */
  expansion: string;
}

export interface IncludeRef {
  loc: Loc;
  spec: string;
  /** Resolved path; undefined when not found. */
  target?: string;
}

export interface Analysis {
  file: string;
  /** Undefined when the text holds no recognisable `config` object. */
  model?: ConfigModel;
  diagnostics: Diag[];
  /** Every file that took part (the main file, includes, built-in headers), by path. */
  files: Map<string, SourceFile>;
  macros: Map<string, MacroDef>;
  macroUses: MacroUse[];
  includes: IncludeRef[];
}
