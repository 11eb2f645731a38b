// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The Node.js backend of the FFI seam, on koffi (a dependency of the npm
 * package). koffi is loaded on first use, so importing the library without
 * it installed fails only when native code is first needed.
 *
 * Nonblocking symbols run through koffi's async calls (libuv's thread pool);
 * as on Deno, errno is not read after them.
 *
 * @module
 */
import type {
  FunctionsOf,
  Host,
  NativeType,
  Pointer,
  SymbolTable,
  TimerHandle,
} from "./_backend.ts";

interface KoffiFunction {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}
interface Koffi {
  load(path: string): { func(name: string, result: string, params: string[]): KoffiFunction };
  errno(): number;
  view(pointer: unknown, length: number): ArrayBuffer;
  address(pointer: unknown): bigint;
}

const KOFFI_TYPE: Record<NativeType, string> = {
  void: "void",
  i8: "int8",
  u8: "uint8",
  i16: "int16",
  u16: "uint16",
  i32: "int32",
  u32: "uint32",
  i64: "int64",
  u64: "uint64",
  isize: "intptr",
  usize: "uintptr",
  f64: "double",
  pointer: "void *",
  buffer: "void *",
};

const WIDE = new Set<NativeType>(["i64", "u64", "isize", "usize"]);

/** The parts of Node's `process` object a host uses (Node.js and Bun). */
interface NodeProcess {
  readonly platform: string;
  readonly arch: string;
  readonly env: Record<string, string | undefined>;
  on(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
  exit(code: number): never;
  getBuiltinModule?(id: string): { createRequire(url: string): (id: string) => unknown };
}

/** Node's `process` object, where there is one (importing must work everywhere). */
function maybeProcess(): NodeProcess | undefined {
  return (globalThis as { process?: NodeProcess }).process;
}

function nodeProcess(): NodeProcess {
  const proc = maybeProcess();
  if (proc === undefined) {
    throw new Error("Cannot use @ipc/linux here: no Deno, Bun or Node.js process object");
  }
  return proc;
}

/** Load a CommonJS or built-in module synchronously, on Node.js and Bun alike. */
export function requireModule(specifier: string): unknown {
  const mod = maybeProcess()?.getBuiltinModule?.("node:module");
  if (!mod) {
    throw new Error("Cannot load modules: process.getBuiltinModule is missing (Node.js ≥ 20.16)");
  }
  return mod.createRequire(import.meta.url)(specifier);
}

let koffi: Koffi | undefined;

function load(): Koffi {
  if (koffi) return koffi;
  try {
    const mod = requireModule("koffi") as Koffi & { default?: Koffi };
    return koffi = mod.default ?? mod;
  } catch (cause) {
    throw new Error(
      "Cannot load koffi: @ipc/linux needs the koffi package on Node.js (npm install koffi)",
      { cause },
    );
  }
}

function toPointer(value: unknown): Pointer {
  if (value === null || value === undefined || value === 0n || value === 0) return null;
  return value as Pointer;
}

function bind(fn: KoffiFunction, spec: SymbolTable[string]): unknown {
  const wide = WIDE.has(spec.result);
  const pointer = spec.result === "pointer";
  const convert = (r: unknown) => wide ? BigInt(r as number) : pointer ? toPointer(r) : r;
  if (spec.nonblocking) {
    return (...args: unknown[]) =>
      new Promise((resolve, reject) =>
        fn.async(...args, (err: unknown, r: unknown) => err ? reject(err) : resolve(convert(r)))
      );
  }
  if (!wide && !pointer) return fn;
  return (...args: unknown[]) => convert(fn(...args));
}

/**
 * The host parts that come from Node's `process` and timers, shared by the
 * Node.js and Bun hosts.
 */
export function processHost(): Pick<
  Host,
  | "os"
  | "arch"
  | "errorClasses"
  | "socketTransport"
  | "addSignalListener"
  | "removeSignalListener"
  | "exit"
  | "refTimer"
  | "env"
> {
  const proc = maybeProcess();
  return {
    os: proc?.platform ?? "unknown",
    arch: proc?.arch ?? "unknown",
    errorClasses: undefined,
    socketTransport: undefined,
    addSignalListener(name: string, listener: () => void): void {
      nodeProcess().on(name, listener);
    },
    removeSignalListener(name: string, listener: () => void): void {
      nodeProcess().off(name, listener);
    },
    exit(code: number): never {
      return nodeProcess().exit(code);
    },
    env: {
      get: (name: string) => nodeProcess().env[name],
      delete: (name: string) => void delete nodeProcess().env[name],
    },
    refTimer(timer: TimerHandle, ref: boolean): void {
      const t = timer as unknown as { ref(): void; unref(): void };
      if (ref) t.ref();
      else t.unref();
    },
  };
}

/** The FFI calls of the Node.js host, on koffi. */
const nodeFfi: Pick<Host, "offThread" | "open" | "errno" | "view" | "address" | "pointerOf"> = {
  offThread: true,
  open<T extends SymbolTable>(path: string, table: T): FunctionsOf<T> {
    const lib = load().load(path);
    const out: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(table)) {
      try {
        const fn = lib.func(
          spec.name ?? key,
          KOFFI_TYPE[spec.result],
          spec.parameters.map((p) => KOFFI_TYPE[p]),
        );
        out[key] = bind(fn, spec);
      } catch (err) {
        if (!spec.optional) throw err;
      }
    }
    return out as FunctionsOf<T>;
  },
  errno(): number {
    return load().errno();
  },
  view(pointer: Pointer, byteLength: number): ArrayBuffer {
    if (pointer === null) throw new TypeError("Cannot view memory: NULL pointer");
    return load().view(pointer, byteLength);
  },
  address(pointer: Pointer): bigint {
    return pointer === null ? 0n : load().address(pointer);
  },
  pointerOf(buffer: Uint8Array): Pointer {
    return buffer as unknown as Pointer;
  },
};

/** The host used when running on Node.js (made once, by host.ts). */
export function nodeHost(): Host {
  return {
    runtime: "node",
    ...processHost(),
    smallPool: true,
    inheritedKeepExecFlag: false,
    signalMaskLimit: "Node.js clears its main thread's signal mask at startup, so no launcher " +
      "can keep the signal blocked; receive it in a Deno process, or use onSignal for classic " +
      "signals",
    // Node's exit joins libuv's pool threads: a call parked there must return.
    onExit(listener: () => void): void {
      nodeProcess().on("exit", listener);
    },
    ...nodeFfi,
  };
}
