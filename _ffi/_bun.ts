// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The Bun backend of the FFI seam, on `bun:ffi`. Bun has no nonblocking FFI
 * calls: symbols marked `nonblocking` run synchronously here and resolve a
 * Promise, so `offThread` is false and waiters poll with a zero timeout on a
 * timer instead of parking a thread (see poller.ts).
 *
 * @module
 */
import type { FunctionsOf, Host, NativeType, Pointer, SymbolTable } from "./_backend.ts";
import { processHost, requireModule } from "./_node.ts";

interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: Record<string, (...args: unknown[]) => unknown> };
  toArrayBuffer(pointer: number, offset: number, length: number): ArrayBuffer;
  ptr(buffer: Uint8Array): number;
}

const BUN_TYPE: Record<NativeType, string> = {
  void: "void",
  i8: "i8",
  u8: "u8",
  i16: "i16",
  u16: "u16",
  i32: "i32",
  u32: "u32",
  i64: "i64",
  u64: "u64",
  isize: "i64",
  usize: "u64",
  f64: "f64",
  pointer: "ptr",
  // bun:ffi's "buffer" type refuses null; buffers travel as pointers instead.
  buffer: "ptr",
};

const WIDE = new Set<NativeType>(["i64", "u64", "isize", "usize"]);

let ffi: BunFfi | undefined;
let errnoView: Int32Array | undefined;

function load(): BunFfi {
  return ffi ??= requireModule("bun:ffi") as BunFfi;
}

function locateErrno(): Int32Array {
  if (errnoView) return errnoView;
  const { symbols } = load().dlopen("libc.so.6", {
    __errno_location: { args: [], returns: "ptr" },
  });
  return errnoView = new Int32Array(
    load().toArrayBuffer(symbols.__errno_location!() as number, 0, 4),
  );
}

/** The FFI calls of the Bun host, on bun:ffi. */
const bunFfi: Pick<Host, "offThread" | "open" | "errno" | "view" | "address" | "pointerOf"> = {
  offThread: false,
  open<T extends SymbolTable>(path: string, table: T): FunctionsOf<T> {
    locateErrno();
    const specs: Record<string, { args: string[]; returns: string }> = {};
    const names = new Map<string, string[]>();
    for (const [key, spec] of Object.entries(table)) {
      const cName = spec.name ?? key;
      // bun:ffi binds one signature per C name: aliases get their own dlopen.
      names.set(cName, [...(names.get(cName) ?? []), key]);
      specs[key] = {
        args: spec.parameters.map((p) => BUN_TYPE[p]),
        returns: BUN_TYPE[spec.result],
      };
    }
    const out: Record<string, unknown> = {};
    for (const [cName, keys] of names) {
      for (const key of keys) {
        const spec = table[key]!;
        let fn: (...args: unknown[]) => unknown;
        try {
          fn = load().dlopen(path, { [cName]: specs[key]! }).symbols[cName]!;
        } catch (err) {
          if (spec.optional) continue;
          throw err;
        }
        const wide = WIDE.has(spec.result);
        const pointer = spec.result === "pointer";
        const buffers = spec.parameters.flatMap((p, i) => p === "buffer" ? [i] : []);
        const call = (...args: unknown[]) => {
          for (const i of buffers) {
            const b = args[i] as Uint8Array | null;
            args[i] = b === null || b.byteLength === 0 ? null : load().ptr(b);
          }
          const r = fn(...args);
          return wide ? BigInt(r as number) : pointer ? (r ? r as Pointer : null) : r;
        };
        out[key] = spec.nonblocking ? (...args: unknown[]) => Promise.resolve(call(...args)) : call;
      }
    }
    return out as FunctionsOf<T>;
  },
  errno(): number {
    return locateErrno()[0]!;
  },
  view(pointer: Pointer, byteLength: number): ArrayBuffer {
    if (pointer === null) throw new TypeError("Cannot view memory: NULL pointer");
    return load().toArrayBuffer(pointer as unknown as number, 0, byteLength);
  },
  address(pointer: Pointer): bigint {
    return pointer === null ? 0n : BigInt(pointer as unknown as number);
  },
  pointerOf(buffer: Uint8Array): Pointer {
    return load().ptr(buffer) as unknown as Pointer;
  },
};

/** The host used when running on Bun (made once, by host.ts). */
export function bunHost(): Host {
  return {
    runtime: "bun",
    ...processHost(),
    smallPool: false,
    inheritedKeepExecFlag: false,
    signalMaskLimit: "Bun unblocks every signal on its main thread while its event loop sleeps, " +
      "so a blocked signal would kill the process instead of waiting to be read; receive it in " +
      "a Deno process, or use onSignal for classic signals",
    onExit(): void {
      // No call is ever parked on another thread (offThread is false).
    },
    ...bunFfi,
  };
}
