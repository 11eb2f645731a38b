// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: parsing one frame's bytes into a {@linkcode Frame}.
 *
 * @module
 */
import {
  ErrorCode,
  FrameKind,
  HEADER_SIZE,
  MAGIC,
  MAX_FRAME_FDS,
  MAX_PING_BODY,
  MIN_MAX_FRAME_SIZE,
} from "./constants.ts";
import { FrameError } from "./errors.ts";
import type { Frame } from "./types.ts";

// ignoreBOM: a leading U+FEFF is part of the text (a method "\uFEFFx" is not "x").
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function text(bytes: Uint8Array, offset: number): string {
  // Short ASCII (method names) skips TextDecoder.
  if (bytes.length <= 64) {
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i]! > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new FrameError(ErrorCode.MALFORMED_FRAME, "Invalid UTF-8 text", offset);
  }
}

export function malformed(message: string, offset: number): FrameError {
  return new FrameError(ErrorCode.MALFORMED_FRAME, message, offset);
}

/** Throws unless the id is non-zero exactly when `want`. */
function needId(id: number, want: boolean, offset: number): void {
  if ((id !== 0) !== want) {
    throw malformed(want ? "Request id 0 is not allowed" : `Id must be 0, got ${id}`, offset + 6);
  }
}

/** The method name at `bytes[from]` (its length byte first; the body ends at `end`). */
function methodOf(bytes: Uint8Array, from: number, end: number, at: number): string {
  const n = bytes[from];
  if (n === undefined || from >= end || n === 0 || n > end - from - 1) {
    throw malformed(`Bad method length ${from < end ? n : "(missing)"}`, at);
  }
  return methodText(bytes, from + 1, n, at + 1);
}

/** An error code and its message. */
function coded(body: Uint8Array, at: number): readonly [number, string] {
  if (body.length < 2) throw malformed("Body too short for an error code", at);
  return [(body[0]! << 8) | body[1]!, text(body.subarray(2), at + 2)] as const;
}

/** Throws unless `body` is exactly `n` bytes. */
function exact(body: Uint8Array, n: number, name: string, at: number): void {
  if (body.length !== n) {
    throw malformed(`${name} body must be ${n} bytes, got ${body.length}`, at);
  }
}

/** The method decoded last: a peer sends the same few names over and over. */
let lastMethod = "";

/**
 * The `n`-byte method name at `bytes[from]`: the last one decoded again when
 * the bytes are the same ASCII (compared in place, nothing allocated).
 */
function methodText(bytes: Uint8Array, from: number, n: number, at: number): string {
  const last = lastMethod;
  if (last.length === n) {
    let i = 0;
    while (i < n && bytes[from + i] === last.charCodeAt(i)) i++;
    if (i === n) return last; // a match is all ASCII: `last` holds no code unit over 0x7f
  }
  const method = text(bytes.subarray(from, from + n), at);
  // Only pure ASCII is cached: then one byte is one UTF-16 code unit.
  if (method.length === n) lastMethod = method;
  return method;
}

/**
 * Parses one frame from `bytes[start..end)` (kind byte onward, no length
 * field), which starts at stream `offset` + 4. The returned payloads are
 * views into `bytes` (the hot kinds make no other view). With `fds` (the
 * FDS feature was negotiated), the flags byte of REQUEST, RESPONSE and
 * NOTIFY is their descriptor count (0..253); any other non-zero flags byte
 * is malformed.
 */
export function parse(
  bytes: Uint8Array,
  offset: number,
  fds = false,
  start = 0,
  end: number = bytes.length,
): Frame {
  const kind = bytes[start]!;
  const flags = bytes[start + 1]!;
  if (
    flags !== 0 &&
    !(fds && flags <= MAX_FRAME_FDS &&
      (kind === FrameKind.request || kind === FrameKind.response || kind === FrameKind.notify))
  ) {
    throw malformed(`Non-zero flags 0x${flags.toString(16)}`, offset + 5);
  }
  const id = ((bytes[start + 2]! << 24) | (bytes[start + 3]! << 16) | (bytes[start + 4]! << 8) |
    bytes[start + 5]!) >>> 0;
  const from = start + 6; // the body
  const at = offset + HEADER_SIZE;
  switch (kind) {
    case FrameKind.request: {
      needId(id, true, offset);
      const m = methodOf(bytes, from, end, at);
      const payload = bytes.subarray(from + 1 + bytes[from]!, end);
      return flags
        ? { kind: "request", id, method: m, payload, fdCount: flags }
        : { kind: "request", id, method: m, payload };
    }
    case FrameKind.response: {
      needId(id, true, offset);
      const payload = bytes.subarray(from, end);
      return flags
        ? { kind: "response", id, payload, fdCount: flags }
        : { kind: "response", id, payload };
    }
    case FrameKind.notify: {
      needId(id, false, offset);
      const m = methodOf(bytes, from, end, at);
      const payload = bytes.subarray(from + 1 + bytes[from]!, end);
      return flags
        ? { kind: "notify", method: m, payload, fdCount: flags }
        : { kind: "notify", method: m, payload };
    }
  }
  const body = bytes.subarray(from, end);
  switch (kind) {
    case FrameKind.error: {
      const [code, message] = coded(body, at);
      return { kind: "error", id, code, message };
    }
    case FrameKind.cancel:
      needId(id, true, offset);
      exact(body, 0, "CANCEL", at);
      return { kind: "cancel", id };
    case FrameKind.ping:
    case FrameKind.pong:
      if (body.length > MAX_PING_BODY) throw malformed("PING/PONG body over 64 bytes", at);
      return { kind: kind === FrameKind.ping ? "ping" : "pong", id, payload: body };
    case FrameKind.hello: {
      needId(id, false, offset);
      exact(body, 16, "HELLO", at);
      const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
      for (let i = 0; i < 4; i++) {
        if (body[i] !== MAGIC[i]) {
          throw new FrameError(ErrorCode.BAD_MAGIC, "HELLO without the IPCL magic", at);
        }
      }
      const maxFrameSize = v.getUint32(12);
      if (maxFrameSize < MIN_MAX_FRAME_SIZE) {
        throw malformed(`maxFrameSize ${maxFrameSize} below ${MIN_MAX_FRAME_SIZE}`, at + 12);
      }
      return {
        kind: "hello",
        minVersion: v.getUint16(4),
        maxVersion: v.getUint16(6),
        features: v.getUint32(8),
        maxFrameSize,
      };
    }
    case FrameKind.accept: {
      needId(id, false, offset);
      exact(body, 10, "ACCEPT", at);
      const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
      const maxFrameSize = v.getUint32(6);
      if (maxFrameSize < MIN_MAX_FRAME_SIZE) {
        throw malformed(`maxFrameSize ${maxFrameSize} below ${MIN_MAX_FRAME_SIZE}`, at + 6);
      }
      return { kind: "accept", version: v.getUint16(0), features: v.getUint32(2), maxFrameSize };
    }
    case FrameKind.reject: {
      needId(id, false, offset);
      const [code, message] = coded(body, at);
      return { kind: "reject", code, message };
    }
    case FrameKind.goodbye:
      needId(id, false, offset);
      return { kind: "goodbye", reason: text(body, at) };
    default:
      throw malformed(`Unknown frame kind 0x${kind.toString(16)}`, offset + 4);
  }
}
