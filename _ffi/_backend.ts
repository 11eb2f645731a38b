// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The seam between this library and the JavaScript runtime it runs on: its
 * foreign-function interface, its stream sockets, its signal listeners, exit
 * hooks and timers, its architecture and its error classes. The runtime is
 * decided once, in `host.ts`; everything else asks {@linkcode Host} and never
 * looks at `Deno`, `Bun` or `process` itself. The Deno host lives in
 * `_deno.ts`, and Node (koffi) and Bun (bun:ffi) hosts implement the same
 * interface (`scripts/check_host.ts` keeps it so).
 *
 * @module
 */
import type { Transport } from "./_transport.ts";

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

/** A constructor of one of the error classes this library throws. */
export type ErrorClass = new (message?: string, options?: ErrorOptions) => Error;

/** A timer handle as `setInterval`/`setTimeout` return it. */
export type TimerHandle = ReturnType<typeof setInterval>;

/** What this library needs from the runtime it runs on. */
export interface Host {
  /** Which runtime this is: for messages only, never to branch on. */
  readonly runtime: "deno" | "node" | "bun";
  /** The operating system (`"linux"` is the only one this library runs on). */
  readonly os: string;
  /** The CPU architecture as the runtime spells it (`"x86_64"`, `"arm64"`, …). */
  readonly arch: string;
  /**
   * True when `nonblocking` calls run on a small pool shared with the
   * runtime's own I/O (Node's libuv pool: 4 threads, shared with fs, dns and
   * zlib): a call must not hold a thread long, and few may be parked at once.
   */
  readonly smallPool: boolean;
  /**
   * The runtime's own error classes by name (`Deno.errors`), or `undefined`
   * when the library provides look-alike classes.
   */
  readonly errorClasses: Readonly<Record<string, ErrorClass>> | undefined;
  /**
   * The runtime's own stream-socket transport (Unix and TCP), or `undefined`
   * when the portable `node:net` transport (uds/_node_transport.ts) is the one.
   */
  readonly socketTransport: Transport | undefined;
  /**
   * True when descriptors inherited across exec still have close-on-exec
   * clear when the program runs (Deno); Node.js and Bun set it on every
   * descriptor at startup. Where true, a descriptor with it set was opened
   * by this process, so socket activation can tell its own from inherited ones.
   */
  readonly inheritedKeepExecFlag: boolean;
  /**
   * Why this runtime cannot keep a signal blocked in every thread for a
   * signalfd to read it (`undefined` when it can).
   */
  readonly signalMaskLimit: string | undefined;
  /** Add a listener for a classic signal through the runtime (never a raw handler). */
  addSignalListener(name: string, listener: () => void): void;
  /** Remove a listener added with {@linkcode Host.addSignalListener}. */
  removeSignalListener(name: string, listener: () => void): void;
  /** End the process with `code`. */
  exit(code: number): never;
  /**
   * Call `listener` when the process exits, where the runtime's exit waits
   * for calls parked on its thread pool (Node joins libuv's threads): such a
   * call must then be made to return. Does nothing where exit does not wait.
   */
  onExit(listener: () => void): void;
  /**
   * The process environment (`Deno.env`, `process.env`); both change the C
   * library's `environ` too.
   */
  readonly env: {
    get(name: string): string | undefined;
    delete(name: string): void;
  };
  /** Let `timer` keep the process alive (`true`) or not (`false`). */
  refTimer(timer: TimerHandle, ref: boolean): void;
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

/** The FFI part of {@linkcode Host} (its old name). */
export type Backend = Host;
