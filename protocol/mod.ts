// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The `@ipc/linux` wire protocol: length-prefixed binary frames with a
 * handshake, request/response with ids, errors, notifications,
 * cancellation, ping/pong and a draining goodbye. This module is pure (bytes
 * in, frames out) and runs on any JavaScript runtime. The format is specified
 * for other languages in `protocol/PROTOCOL.md`, shipped with this package.
 *
 * @example Encode, split, decode
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame, FrameDecoder } from "@ipc/linux/protocol";
 *
 * const bytes = encodeFrame({ kind: "response", id: 1, payload: new Uint8Array([42]) });
 * const decoder = new FrameDecoder({ maxFrameSize: 1024 });
 * assert.deepEqual(decoder.push(bytes.subarray(0, 7)), []);
 * const [frame] = decoder.push(bytes.subarray(7));
 * assert.deepEqual(frame, { kind: "response", id: 1, payload: new Uint8Array([42]) });
 * ```
 *
 * @module
 */
export * from "./constants.ts";
export * from "./errors.ts";
export type * from "./types.ts";
export * from "./frame.ts";
export * from "./decoder.ts";
export * from "./streams.ts";
export * from "./state.ts";
