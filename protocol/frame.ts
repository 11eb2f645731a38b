// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The encoder (PROTOCOL.md §1): frames to bytes; the layout is in `_encode.ts`.
 *
 * @module
 */
import { HEADER_SIZE } from "./constants.ts";
import { checkRoom, EMPTY, encodeMessageInto, lengthField, parts, writeParts } from "./_encode.ts";
import { methodBytes } from "./_method.ts";
import type { Frame } from "./types.ts";

/**
 * The encoded size of `frame`: `10 +` its body, in bytes.
 *
 * @example Size of a request
 * ```ts
 * import assert from "node:assert/strict";
 * import { frameSize } from "@ipc/linux/protocol";
 *
 * const size = frameSize({ kind: "request", id: 1, method: "echo", payload: new Uint8Array(2) });
 * assert.equal(size, 10 + 1 + 4 + 2);
 * ```
 *
 * @param frame The frame.
 * @returns Its size on the wire.
 * @throws {TypeError|RangeError} When a field is not encodable.
 */
export function frameSize(frame: Frame): number {
  const p = parts(frame);
  return HEADER_SIZE + p.head.length + p.tail.length;
}

/**
 * The length in UTF-8 bytes of a method name as a frame carries it, checked
 * as the encoder checks it (and cached, so encoding it again is free).
 *
 * @example A method name's length on the wire
 * ```ts
 * import assert from "node:assert/strict";
 * import { methodLength } from "@ipc/linux/protocol";
 *
 * assert.equal(methodLength("echo"), 4);
 * assert.equal(methodLength("ünï"), 5);
 * assert.throws(() => methodLength(""), RangeError);
 * ```
 *
 * @param method The method name.
 * @returns Its length in bytes (1-255).
 * @throws {TypeError} When it is not a string or holds a lone surrogate.
 * @throws {RangeError} When it is not 1-255 bytes.
 */
export function methodLength(method: string): number {
  return methodBytes(method).length;
}

/**
 * Encodes one frame into a new buffer.
 *
 * @example Encoding and decoding a request
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame, FrameDecoder } from "@ipc/linux/protocol";
 *
 * const bytes = encodeFrame({
 *   kind: "request", id: 7, method: "echo", payload: new TextEncoder().encode("hi"),
 * });
 * assert.deepEqual([...bytes.subarray(0, 5)], [0, 0, 0, 13, 0x10]);
 * const [frame] = new FrameDecoder().push(bytes);
 * assert.equal(frame?.kind, "request");
 * ```
 *
 * @param frame The frame to encode.
 * @returns Its bytes.
 * @throws {TypeError|RangeError} When a field is not encodable (checked before writing).
 */
export function encodeFrame(frame: Frame): Uint8Array {
  const p = parts(frame);
  const out = new Uint8Array(HEADER_SIZE + p.head.length + p.tail.length);
  writeParts(frame.kind, p, out, 0);
  return out;
}

/**
 * Encodes one frame into `target` at `offset`.
 *
 * @example Two frames in one buffer
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrameInto, FrameDecoder } from "@ipc/linux/protocol";
 *
 * const buf = new Uint8Array(64);
 * let n = encodeFrameInto({ kind: "ping", id: 1, payload: new Uint8Array() }, buf, 0);
 * n += encodeFrameInto({ kind: "goodbye", reason: "" }, buf, n);
 * const frames = new FrameDecoder().push(buf.subarray(0, n));
 * assert.deepEqual(frames.map((f) => f.kind), ["ping", "goodbye"]);
 * ```
 *
 * @param frame The frame to encode.
 * @param target Where to write; must have room for {@linkcode frameSize} bytes.
 * @param offset Where in `target` to start.
 * @returns The number of bytes written.
 * @throws {RangeError} When `target` is too small or a field is not encodable.
 */
export function encodeFrameInto(frame: Frame, target: Uint8Array, offset = 0): number {
  if (frame.kind === "request" || frame.kind === "response" || frame.kind === "notify") {
    return encodeMessageInto(frame, target, offset);
  }
  const p = parts(frame);
  const size = HEADER_SIZE + p.head.length + p.tail.length;
  checkRoom(size, target, offset);
  return writeParts(frame.kind, p, target, offset);
}

/**
 * Encodes a frame's head (everything but its trailing payload) and returns it
 * with the payload, so a large payload can be written without a copy.
 *
 * @example Head and payload
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrameHead } from "@ipc/linux/protocol";
 *
 * const payload = new Uint8Array(1 << 20);
 * const [head, tail] = encodeFrameHead({ kind: "response", id: 3, payload });
 * assert.equal(head.length, 10);
 * assert.equal(tail, payload);
 * ```
 *
 * @param frame The frame to encode.
 * @returns `[head, payload]`; writing both in order writes the frame.
 * @throws {TypeError|RangeError} When a field is not encodable.
 */
export function encodeFrameHead(frame: Frame): [Uint8Array, Uint8Array] {
  const p = parts(frame);
  const length = lengthField(p.head.length + p.tail.length);
  const head = new Uint8Array(HEADER_SIZE + p.head.length);
  writeParts(frame.kind, { id: p.id, head: p.head, tail: EMPTY }, head, 0);
  // Patch the length to include the payload written separately.
  new DataView(head.buffer).setUint32(0, length);
  return [head, p.tail];
}
