// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: turn a `node:fs`/`node:net` error (which carries an errno name in
 * `code`) into this library's error class for that errno, so callers can
 * `instanceof errors.NotFound` (= `Deno.errors.NotFound` on Deno) on every
 * runtime.
 *
 * @module
 */
import { errnoError, errnoNumber } from "../_ffi/errno.ts";
import type { Address } from "../_ffi/_transport.ts";

/** An address as error messages quote it: the socket path, or `host:port`. */
export function describeAddress(address: Address): string {
  return address.transport === "unix" ? address.path : `${address.hostname}:${address.port}`;
}

/**
 * The library error for `err`, or `err` itself when it names no errno.
 *
 * @param err What node:fs or node:net threw.
 * @param call The operation, e.g. `"connect"`.
 * @param object What it was called on, e.g. a socket path.
 */
export function osError(err: unknown, call: string, object?: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  const errno = typeof code === "string" ? errnoNumber(code) : undefined;
  if (errno === undefined) return err;
  const mapped = errnoError(errno, call, object);
  Object.defineProperty(mapped, "cause", { value: err, configurable: true, writable: true });
  return mapped;
}

/** Runs one `node:fs` operation, throwing its failure as {@linkcode osError} does. */
export async function fsCall<T>(call: string, object: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw osError(err, call, object);
  }
}
