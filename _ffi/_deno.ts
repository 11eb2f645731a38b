// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The Deno host: FFI on `Deno.dlopen`, sockets on `Deno.listen`, signals on
 * `Deno.addSignalListener`.
 *
 * @module
 */
import type { FunctionsOf, Host, Pointer, SymbolTable, TimerHandle } from "./_backend.ts";
import { denoTransport } from "./_deno_transport.ts";

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
  return locateErrno()[0]!;
}

/** The host used when running on Deno (made once, by host.ts). */
export function denoHost(): Host {
  return {
    runtime: "deno",
    os: Deno.build.os,
    arch: Deno.build.arch,
    smallPool: false,
    inheritedKeepExecFlag: true,
    errorClasses: Deno.errors as unknown as Host["errorClasses"],
    socketTransport: denoTransport,
    signalMaskLimit: undefined,
    addSignalListener(name: string, listener: () => void): void {
      Deno.addSignalListener(name as Deno.Signal, listener);
    },
    removeSignalListener(name: string, listener: () => void): void {
      Deno.removeSignalListener(name as Deno.Signal, listener);
    },
    exit(code: number): never {
      return Deno.exit(code);
    },
    onExit(): void {
      // Deno's exit does not wait for calls parked on its FFI pool.
    },
    env: Deno.env,
    refTimer(timer: TimerHandle, ref: boolean): void {
      if (ref) Deno.refTimer(timer as unknown as number);
      else Deno.unrefTimer(timer as unknown as number);
    },
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
}
