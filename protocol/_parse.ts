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

/**
 * Parses one frame from `bytes` (kind byte onward, no length field), which
 * starts at stream `offset` + 4. The returned payloads are views into `bytes`.
 * With `fds` (the FDS feature was negotiated), the flags byte of REQUEST,
 * RESPONSE and NOTIFY is their descriptor count (0..253); any other non-zero
 * flags byte is malformed.
 */
export function parse(bytes: Uint8Array, offset: number, fds = false): Frame {
  const kind = bytes[0]!;
  const flags = bytes[1]!;
  if (
    flags !== 0 &&
    !(fds && flags <= MAX_FRAME_FDS &&
      (kind === FrameKind.request || kind === FrameKind.response || kind === FrameKind.notify))
  ) {
    throw malformed(`Non-zero flags 0x${flags.toString(16)}`, offset + 5);
  }
  const id = ((bytes[2]! << 24) | (bytes[3]! << 16) | (bytes[4]! << 8) | bytes[5]!) >>> 0;
  const body = bytes.subarray(6);
  const at = offset + HEADER_SIZE;
  const needId = (want: boolean) => {
    if ((id !== 0) !== want) {
      throw malformed(want ? "Request id 0 is not allowed" : `Id must be 0, got ${id}`, offset + 6);
    }
  };
  const method = () => {
    const n = body[0]!;
    if (body.length < 1 || n === 0 || n > body.length - 1) {
      throw malformed(`Bad method length ${n ?? "(missing)"}`, at);
    }
    return text(body.subarray(1, 1 + n), at + 1);
  };
  const coded = () => {
    if (body.length < 2) throw malformed("Body too short for an error code", at);
    return [(body[0]! << 8) | body[1]!, text(body.subarray(2), at + 2)] as const;
  };
  const exact = (n: number, name: string) => {
    if (body.length !== n) {
      throw malformed(`${name} body must be ${n} bytes, got ${body.length}`, at);
    }
  };
  const view = () => new DataView(body.buffer, body.byteOffset, body.byteLength);
  switch (kind) {
    case FrameKind.request: {
      needId(true);
      const m = method();
      const payload = body.subarray(1 + body[0]!);
      return flags
        ? { kind: "request", id, method: m, payload, fdCount: flags }
        : { kind: "request", id, method: m, payload };
    }
    case FrameKind.response:
      needId(true);
      return flags
        ? { kind: "response", id, payload: body, fdCount: flags }
        : { kind: "response", id, payload: body };
    case FrameKind.error: {
      const [code, message] = coded();
      return { kind: "error", id, code, message };
    }
    case FrameKind.notify: {
      needId(false);
      const m = method();
      const payload = body.subarray(1 + body[0]!);
      return flags
        ? { kind: "notify", method: m, payload, fdCount: flags }
        : { kind: "notify", method: m, payload };
    }
    case FrameKind.cancel:
      needId(true);
      exact(0, "CANCEL");
      return { kind: "cancel", id };
    case FrameKind.ping:
    case FrameKind.pong:
      if (body.length > MAX_PING_BODY) throw malformed("PING/PONG body over 64 bytes", at);
      return { kind: kind === FrameKind.ping ? "ping" : "pong", id, payload: body };
    case FrameKind.hello: {
      needId(false);
      exact(16, "HELLO");
      const v = view();
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
      needId(false);
      exact(10, "ACCEPT");
      const v = view();
      const maxFrameSize = v.getUint32(6);
      if (maxFrameSize < MIN_MAX_FRAME_SIZE) {
        throw malformed(`maxFrameSize ${maxFrameSize} below ${MIN_MAX_FRAME_SIZE}`, at + 6);
      }
      return { kind: "accept", version: v.getUint16(0), features: v.getUint32(2), maxFrameSize };
    }
    case FrameKind.reject: {
      needId(false);
      const [code, message] = coded();
      return { kind: "reject", code, message };
    }
    case FrameKind.goodbye:
      needId(false);
      return { kind: "goodbye", reason: text(body, at) };
    default:
      throw malformed(`Unknown frame kind 0x${kind.toString(16)}`, offset + 4);
  }
}
