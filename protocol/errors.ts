// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Errors of the protocol layer.
 *
 * @module
 */
import { errorCodeName } from "./constants.ts";

/**
 * A malformed or oversized frame: the byte stream broke PROTOCOL.md. `offset`
 * is the position in the stream (counting from the first byte ever pushed)
 * of the offending field; `code` is the {@linkcode ErrorCode} to send back.
 *
 * @example Catching a malformed frame
 * ```ts
 * import assert from "node:assert/strict";
 * import { ErrorCode, FrameDecoder, FrameError } from "@ipc/linux/protocol";
 *
 * const decoder = new FrameDecoder();
 * assert.throws(() => decoder.push(new Uint8Array([0, 0, 0, 6, 0xee, 0, 0, 0, 0, 0])), (e) => {
 *   assert.ok(e instanceof FrameError && e instanceof SyntaxError);
 *   assert.equal(e.code, ErrorCode.MALFORMED_FRAME);
 *   assert.equal(e.offset, 4);
 *   return true;
 * });
 * ```
 */
export class FrameError extends SyntaxError {
  /** The error code to report to the peer (`MALFORMED_FRAME` or `FRAME_TOO_LARGE`). */
  readonly code: number;
  /** Byte offset in the stream of the offending field. */
  readonly offset: number;

  /**
   * Constructs a new instance.
   *
   * @param code An {@linkcode ErrorCode}.
   * @param message What is wrong.
   * @param offset Byte offset in the stream.
   */
  constructor(code: number, message: string, offset: number) {
    super(`${message} (${errorCodeName(code)} at byte ${offset})`);
    this.name = "FrameError";
    this.code = code;
    this.offset = offset;
  }
}

/**
 * An error reported by the peer in an `ERROR` or `REJECT` frame, or thrown by
 * a request handler to choose the code sent back.
 *
 * @example Choosing an application error code
 * ```ts
 * import assert from "node:assert/strict";
 * import { RemoteError } from "@ipc/linux/protocol";
 *
 * const err = new RemoteError(4001, "quota exceeded");
 * assert.equal(err.code, 4001);
 * assert.equal(err.codeName, "APPLICATION");
 * ```
 */
export class RemoteError extends Error {
  /** The error code: an {@linkcode ErrorCode} or an application code (1000–65535). */
  readonly code: number;

  /**
   * Constructs a new instance.
   *
   * @param code The error code.
   * @param message The peer's message.
   * @param options Standard error options (`cause`).
   */
  constructor(code: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RemoteError";
    this.code = code;
  }

  /** The code's name, e.g. `"HANDLER_ERROR"`. */
  get codeName(): string {
    return errorCodeName(this.code);
  }
}
