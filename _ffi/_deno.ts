// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The Deno backend of the FFI seam, on `Deno.dlopen`.
 *
 * @module
 */
import type { Backend, FunctionsOf, Pointer, SymbolTable } from "./_backend.ts";

let errnoView: Int32Array | undefined;

function open<T extends SymbolTable>(path: string, table: T): FunctionsOf<T> {
  locateErrno(); // before any call whose errno matters
  const lib = Deno.dlopen(path, table as unknown as Deno.ForeignLibraryInterface);
  return lib.symbols as unknown as FunctionsOf<T>;
}

function locateErrno(): Int32Array {
  if (errnoView === undefined) {
    // errno lives in thread-local storage; the main thread's slot never moves.
    const lib = Deno.dlopen("libc.so.6", {
      __errno_location: { parameters: [], result: "pointer" },
    });
    const location = lib.symbols.__errno_location();
    errnoView = new Int32Array(
      Deno.UnsafePointerView.getArrayBuffer(location!, 4),
    );
  }
  return errnoView;
}

function errno(): number {
  return locateErrno()[0];
}

/** The backend used when running on Deno. */
export const denoBackend: Backend = {
  runtime: "deno",
  offThread: true,
  open,
  errno,
  view(pointer: Pointer, byteLength: number): ArrayBuffer {
    if (pointer === null) throw new TypeError("Cannot view memory: NULL pointer");
    return Deno.UnsafePointerView.getArrayBuffer(
      pointer as unknown as Deno.PointerObject,
      byteLength,
    );
  },
  address(pointer: Pointer): bigint {
    return BigInt(Deno.UnsafePointer.value(pointer as Deno.PointerValue));
  },
  pointerOf(buffer: Uint8Array): Pointer {
    return Deno.UnsafePointer.of(buffer as Uint8Array<ArrayBuffer>) as unknown as Pointer;
  },
};
