// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * What request and notification handlers receive and return.
 *
 * @module
 */
import type { FdLike, ReceivedFd } from "./received_fd.ts";
import { honestBytes, isBytes } from "../_ffi/bytes.ts";

/**
 * What a handler may return: bytes, text (sent as UTF-8), nothing (empty),
 * or a {@linkcode ResponseWithFds} to pass descriptors back. Returned bytes
 * of 16 KiB or more are written without a copy, so do not modify them after
 * returning them.
 */
export type ResponseBody = Uint8Array | string | undefined | void | ResponseWithFds;

/**
 * A response that passes descriptors back (at most 253; the FDS feature,
 * negotiated when both ends use `transport: "native"`; without it the
 * request fails with a HANDLER_ERROR saying so). They are duplicated when
 * the handler returns (so they must still be open then: no `using` in the
 * handler for them); the client gets the duplicates, yours stay open.
 */
export interface ResponseWithFds {
  /** The response bytes or text. @default {empty} */
  payload?: Uint8Array | string;
  /** The descriptors to pass. */
  fds: readonly FdLike[];
}

const encoder = new TextEncoder();
const NONE: readonly ReceivedFd[] = Object.freeze([]);
const decoder = new TextDecoder();

/** A request as the handler sees it. */
export interface ServerRequest {
  /** The request id chosen by the client. */
  readonly id: number;
  /** The method name. */
  readonly method: string;
  /** The request bytes (valid for as long as you keep a reference). */
  readonly payload: Uint8Array;
  /**
   * The descriptors the client passed (FDS feature). Each is closed when the
   * handler returns (or its promise settles) unless you `take()` it.
   */
  readonly fds: readonly ReceivedFd[];
  /** The payload as UTF-8 text. */
  text(): string;
  /** The payload parsed as JSON. */
  json(): unknown;
}

/** A notification from a client. */
export interface ServerNotification {
  /** The method name. */
  readonly method: string;
  /**
   * The notification bytes: yours to keep, unless the server was started
   * with `borrowNotifications: true` (then valid only until the
   * notification handler returns or its promise settles).
   */
  readonly payload: Uint8Array;
  /**
   * The descriptors the client passed (FDS feature). Each is closed when the
   * handler returns (or its promise settles) unless you `take()` it.
   */
  readonly fds: readonly ReceivedFd[];
  /** The payload as UTF-8 text. */
  text(): string;
  /** The payload parsed as JSON. */
  json(): unknown;
}

export class Message implements ServerRequest, ServerNotification {
  readonly id: number;
  readonly method: string;
  readonly payload: Uint8Array;
  readonly fds: readonly ReceivedFd[];
  constructor(id: number, method: string, payload: Uint8Array, fds: readonly ReceivedFd[] = NONE) {
    this.id = id;
    this.method = method;
    this.payload = payload;
    this.fds = fds;
  }
  text(): string {
    return decoder.decode(this.payload);
  }
  json(): unknown {
    return JSON.parse(this.text());
  }
}

/**
 * Turns a payload argument into bytes: a Uint8Array's real bytes, whatever
 * its `length` claims (a frame is sized by that length, and the bytes past
 * the real ones would be stale bytes of the write buffer: earlier frames,
 * maybe another connection's).
 */
export function toBytes(value: unknown, what: string): Uint8Array {
  if (isBytes(value)) return honestBytes(value);
  if (typeof value === "string") return encoder.encode(value);
  if (value === undefined) return new Uint8Array();
  throw new TypeError(`Cannot ${what}: payload must be a Uint8Array or a string`);
}
