// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Numbers of the wire format described in PROTOCOL.md.
 *
 * @module
 */

/** The protocol version this implementation speaks. */
export const PROTOCOL_VERSION = 1;

/** The 4-byte magic at the start of every `HELLO` body: `"IPCL"`. */
export const MAGIC: Uint8Array = new Uint8Array([0x49, 0x50, 0x43, 0x4c]);

/**
 * Feature bits of `HELLO`/`ACCEPT` (PROTOCOL.md §6). `FDS`: REQUEST, RESPONSE
 * and NOTIFY frames may carry file descriptors (Unix sockets only).
 */
export const Feature = { FDS: 1 } as const;

/** The most descriptors one frame may carry (SCM_MAX_FD). */
export const MAX_FRAME_FDS = 253;

/** Bytes before the body: length (4), kind (1), flags (1), id (4). */
export const HEADER_SIZE = 10;

/** The largest frame either side accepts before the handshake completes. */
export const HANDSHAKE_MAX_FRAME_SIZE = 256;

/** The smallest `maxFrameSize` a peer may announce. */
export const MIN_MAX_FRAME_SIZE = 1024;

/** The default `maxFrameSize`: 16 MiB. */
export const DEFAULT_MAX_FRAME_SIZE: number = 16 * 1024 * 1024;

/** The largest frame size the length field can express. */
export const ABSOLUTE_MAX_FRAME_SIZE: number = 0xffff_ffff + 4;

/** The largest `PING`/`PONG` body. */
export const MAX_PING_BODY = 64;

/** The longest method name, in UTF-8 bytes. */
export const MAX_METHOD_LENGTH = 255;

/**
 * Frame kinds and their wire values (the byte at offset 4 of a frame).
 *
 * @example The kind byte of an encoded frame
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame, FrameKind } from "@ipc/linux/protocol";
 *
 * assert.equal(encodeFrame({ kind: "cancel", id: 1 })[4], FrameKind.cancel);
 * ```
 */
export const FrameKind = {
  hello: 0x01,
  accept: 0x02,
  reject: 0x03,
  request: 0x10,
  response: 0x11,
  error: 0x12,
  notify: 0x13,
  cancel: 0x14,
  ping: 0x20,
  pong: 0x21,
  goodbye: 0x30,
} as const;

/** The name of a frame kind, such as `"request"`. */
export type FrameKindName = keyof typeof FrameKind;

/**
 * Error codes carried by `REJECT` and `ERROR` frames (PROTOCOL.md §4).
 * Codes 1000–65535 are free for applications.
 *
 * @example Telling a cancelled request from a failed one
 * ```ts
 * import assert from "node:assert/strict";
 * import { ErrorCode, RemoteError } from "@ipc/linux/protocol";
 *
 * const err = new RemoteError(ErrorCode.CANCELLED, "Request cancelled by the client");
 * assert.equal(err.code === ErrorCode.CANCELLED, true);
 * assert.equal(ErrorCode.HANDLER_ERROR, 100);
 * ```
 */
export const ErrorCode = {
  /** Bad kind, flags, body layout or UTF-8. */
  MALFORMED_FRAME: 1,
  /** The frame is larger than the receiver accepts. */
  FRAME_TOO_LARGE: 2,
  /** The frame is not allowed in the receiver's state. */
  UNEXPECTED_FRAME: 3,
  /** A request reused the id of an open request. */
  DUPLICATE_ID: 4,
  /** No common protocol version. */
  UNSUPPORTED_VERSION: 5,
  /** The hello did not start with the magic. */
  BAD_MAGIC: 6,
  /** The server is at its connection limit. */
  SERVER_BUSY: 7,
  /** No hello arrived in time. */
  HANDSHAKE_TIMEOUT: 8,
  /** The server is shutting down. */
  SHUTTING_DOWN: 9,
  /** The request handler failed. */
  HANDLER_ERROR: 100,
  /** The client cancelled the request. */
  CANCELLED: 101,
  /** No handler for the method. */
  UNKNOWN_METHOD: 102,
  /** The response is larger than the client accepts. */
  RESPONSE_TOO_LARGE: 103,
} as const;

/** The name of a predefined error code. */
export type ErrorCodeName = keyof typeof ErrorCode;

const CODE_NAMES = new Map<number, string>(
  Object.entries(ErrorCode).map(([name, code]) => [code, name]),
);

/**
 * The name of an error code (`"CANCELLED"`), `"APPLICATION"` for 1000–65535,
 * or `"UNKNOWN"`.
 *
 * @example Naming a code
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorCodeName } from "@ipc/linux/protocol";
 *
 * assert.equal(errorCodeName(101), "CANCELLED");
 * assert.equal(errorCodeName(4242), "APPLICATION");
 * ```
 *
 * @param code The numeric code.
 * @returns Its name.
 */
export function errorCodeName(code: number): string {
  return CODE_NAMES.get(code) ?? (code >= 1000 && code <= 0xffff ? "APPLICATION" : "UNKNOWN");
}
