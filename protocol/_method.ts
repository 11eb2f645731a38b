// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: method names as UTF-8 bytes, checked and cached (a connection
 * sends the same few names over and over).
 *
 * @module
 */
import { MAX_METHOD_LENGTH } from "./constants.ts";

const encoder = new TextEncoder();
const cache = new Map<string, Uint8Array>();
let lastName: string | undefined;
let lastBytes: Uint8Array = new Uint8Array(0);

/**
 * The UTF-8 bytes of a method name.
 *
 * @throws {TypeError} When it is not a string, or holds a lone surrogate
 * (the peer would receive a different name).
 * @throws {RangeError} When it is not 1-255 bytes.
 */
export function methodBytes(method: string): Uint8Array {
  // The name asked for last: a client checks and then encodes the same one.
  // (Only a name that passed the checks below is ever `lastName`.)
  if (lastName !== undefined && method === lastName) return lastBytes;
  let bytes = cache.get(method);
  if (bytes === undefined) {
    if (typeof method !== "string") {
      throw new TypeError(`Cannot encode frame: method must be a string, got ${typeof method}`);
    }
    if (!method.isWellFormed()) {
      throw new TypeError(
        `Cannot encode frame: method ${JSON.stringify(method)} holds a lone surrogate`,
      );
    }
    bytes = encoder.encode(method);
    if (bytes.length === 0 || bytes.length > MAX_METHOD_LENGTH) {
      throw new RangeError(
        `Cannot encode frame: method "${method}" is ${bytes.length} bytes, must be 1-255`,
      );
    }
    if (cache.size >= 1024) cache.clear();
    cache.set(method, bytes);
  }
  lastName = method;
  lastBytes = bytes;
  return bytes;
}
