// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The seam between this library and a JavaScript runtime's foreign-function
 * interface. mq/, shm/ and signals/ only ever see {@linkcode Backend}; the
 * Deno backend lives in `_deno.ts`, and Node (koffi) and Bun (bun:ffi)
 * backends implement the same interface.
 *
 * @module
 */

/** Native types a symbol may take or return (Deno FFI spelling). */
export type NativeType =
  | "void"
  | "i8"
  | "u8"
  | "i16"
  | "u16"
  | "i32"
  | "u32"
  | "i64"
  | "u64"
  | "isize"
  | "usize"
  | "f64"
  | "pointer"
  | "buffer";

/** One foreign symbol: its C parameter and result types. */
export interface SymbolSpec {
  /** Parameter types, in order. */
  readonly parameters: readonly NativeType[];
  /** Result type. */
  readonly result: NativeType;
  /** Run the call on a worker thread and return a Promise (errno is lost). */
  readonly nonblocking?: boolean;
  /** The real C symbol when the key is an alias (e.g. `syscall` variants). */
  readonly name?: string;
  /** Missing from the library is not an error; the function is `undefined`. */
  readonly optional?: boolean;
}

/** A table of symbols keyed by the name the library calls them by. */
export type SymbolTable = Readonly<Record<string, SymbolSpec>>;

declare const pointerBrand: unique symbol;
/** An opaque native address; `null` is the NULL pointer. */
export type Pointer = { readonly [pointerBrand]: true } | null;

/** The JavaScript value a native type is passed as. */
export type ParamOf<T extends NativeType> = T extends "i64" | "u64" | "isize" | "usize"
  ? number | bigint
  : T extends "pointer" ? Pointer
  : T extends "buffer" ? Uint8Array | null
  : T extends "void" ? undefined
  : number;

/** The JavaScript value a native type is returned as. */
export type ResultOf<T extends NativeType> = T extends "i64" | "u64" | "isize" | "usize" ? bigint
  : T extends "pointer" ? Pointer
  : T extends "buffer" ? Pointer
  : T extends "void" ? void
  : number;

type ParamsOf<P extends readonly NativeType[]> = {
  -readonly [K in keyof P]: ParamOf<P[K]>;
};

/** The callable a {@linkcode SymbolSpec} becomes. */
export type FunctionOf<S extends SymbolSpec> = S extends { nonblocking: true }
  ? (...args: ParamsOf<S["parameters"]>) => Promise<ResultOf<S["result"]>>
  : (...args: ParamsOf<S["parameters"]>) => ResultOf<S["result"]>;

/** The callables a {@linkcode SymbolTable} becomes. */
export type FunctionsOf<T extends SymbolTable> = {
  readonly [K in keyof T]: T[K] extends { optional: true } ? FunctionOf<T[K]> | undefined
    : FunctionOf<T[K]>;
};

/** What this library needs from a runtime's FFI. */
export interface Backend {
  /** Which runtime this backend drives. */
  readonly runtime: "deno" | "node" | "bun";
  /**
   * True when `nonblocking` symbols run on another thread. False (Bun) means
   * they run synchronously: callers must never pass them an unbounded wait,
   * and poll with a zero timeout on a timer instead.
   */
  readonly offThread: boolean;
  /** Open a shared library and bind the symbols of `table`. */
  open<T extends SymbolTable>(path: string, table: T): FunctionsOf<T>;
  /**
   * The calling thread's errno. Valid only right after a synchronous call,
   * before anything else runs on this thread.
   */
  errno(): number;
  /** A live, zero-copy ArrayBuffer over `byteLength` bytes at `pointer`. */
  view(pointer: Pointer, byteLength: number): ArrayBuffer;
  /** The numeric address of a pointer (0n for NULL). */
  address(pointer: Pointer): bigint;
  /** The address of the first byte of `buffer`, valid while it is alive. */
  pointerOf(buffer: Uint8Array): Pointer;
}
