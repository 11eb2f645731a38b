// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the checks a System V message queue's calls (sysv/_queue_io.ts)
 * make before any system call: a send's type and data (its size against
 * `msgmax`), and a receive's options, turned into a request that is checked
 * once and reused while the options repeat.
 *
 * @module
 */
import { honestBytes, isBytes, realLength } from "../_ffi/bytes.ts";
import { IPC_NOWAIT, MSG_NOERROR } from "../_ffi/_sysv_struct.ts";
import { integer, kernelLimit } from "./_common.ts";
import { wide } from "../_ffi/wide.ts";
import type { SysvTryReceiveOptions } from "./types.ts";

const encoder = new TextEncoder();

/** `/proc/sys/kernel/msgmax`: the largest message (8192 when unreadable). */
export const systemMessageMax: () => number = kernelLimit("msgmax", 0, 8192);

/** A send's checked `type` (a safe integer ≥ 1) and `data`: its bytes (a string as UTF-8). */
export function messageBytes(type: unknown, data: unknown): Uint8Array {
  integer("send", "type", type, 1, Number.MAX_SAFE_INTEGER);
  let bytes: Uint8Array;
  if (typeof data === "string") bytes = encoder.encode(data);
  else if (isBytes(data)) bytes = honestBytes(data); // its real memory, whatever its length claims
  else {
    throw new TypeError(
      `Cannot send: data must be a string or a Uint8Array, got ${typeof data}`,
    );
  }
  const max = systemMessageMax();
  const length = realLength(bytes);
  if (length > max) {
    throw new RangeError(
      `Cannot send: message of ${length} bytes is larger than msgmax ${max} ` +
        "(/proc/sys/kernel/msgmax)",
    );
  }
  return bytes;
}

/** A checked receive request. */
export interface ReceiveRequest {
  type: number;
  maxSize: number;
  /** `type` and `maxSize` as the BigInts `msgrcv`'s 64-bit arguments take (see {@linkcode wide}). */
  wideType: bigint;
  wideSize: bigint;
  flags: number;
  /** Whether the size is a caller's buffer's (the `…Into` calls). */
  into: boolean;
}

/** The receive requests of one queue handle, kept for reuse. */
export class ReceiveRequests {
  /** The request of a receive without options. */
  #defaultRequest: ReceiveRequest | undefined;
  /** The request of the last receiveInto without options. */
  #intoRequest: ReceiveRequest | undefined;
  /** The last request made from options: the next one equal to it reuses it. */
  #lastRequest: ReceiveRequest | undefined;

  /**
   * Check receive options (before any syscall). With `buffer` (the
   * `…Into` calls) the buffer's length is the largest size accepted.
   */
  request(o: SysvTryReceiveOptions | undefined, buffer?: Uint8Array): ReceiveRequest {
    if (buffer !== undefined && !(buffer instanceof Uint8Array)) {
      throw new TypeError(`Cannot receive: buffer must be a Uint8Array, got ${typeof buffer}`);
    }
    if (o === undefined) { // the common calls: checked once
      if (buffer === undefined) return this.#defaultRequest ??= this.request({});
      const last = this.#intoRequest;
      if (last?.maxSize === buffer.length) return last;
      return this.#intoRequest = this.request({}, buffer);
    }
    const type =
      integer("receive", "type", o.type, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) ?? 0;
    const maxSize = buffer !== undefined
      ? Math.min(buffer.length, 0x7fff_ffff)
      : integer("receive", "maxSize", o.maxSize, 0, 0x7fff_ffff) ?? systemMessageMax();
    if (o.noError !== undefined && typeof o.noError !== "boolean") {
      throw new TypeError(`Cannot receive: noError must be a boolean, got ${typeof o.noError}`);
    }
    const flags = IPC_NOWAIT | (o.noError ? MSG_NOERROR : 0);
    const into = buffer !== undefined;
    const last = this.#lastRequest;
    // requests are never changed: an equal one is reused, allocating nothing per call
    if (
      last !== undefined && last.type === type && last.maxSize === maxSize &&
      last.flags === flags && last.into === into
    ) return last;
    return this.#lastRequest = {
      type,
      maxSize,
      wideType: wide(type),
      wideSize: wide(maxSize),
      flags,
      into,
    };
  }
}
