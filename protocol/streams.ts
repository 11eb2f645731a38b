// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Web-stream adapters over the encoder and decoder.
 *
 * @module
 */
import { FrameDecoder, type FrameDecoderOptions } from "./decoder.ts";
import { encodeFrame } from "./frame.ts";
import type { Frame } from "./types.ts";

/**
 * Turns frames into bytes, one chunk per frame.
 *
 * @example Round trip through streams
 * ```ts
 * import assert from "node:assert/strict";
 * import { FrameDecoderStream, FrameEncoderStream, type Frame } from "@ipc/linux/protocol";
 *
 * const frames: Frame[] = [{ kind: "ping", id: 9, payload: new Uint8Array([1]) }];
 * const out = await Array.fromAsync(
 *   ReadableStream.from(frames).pipeThrough(new FrameEncoderStream())
 *     .pipeThrough(new FrameDecoderStream()),
 * );
 * assert.deepEqual(out, frames);
 * ```
 */
export class FrameEncoderStream extends TransformStream<Frame, Uint8Array> {
  /** Constructs a new instance. */
  constructor() {
    super({
      transform(frame, controller) {
        controller.enqueue(encodeFrame(frame));
      },
    });
  }
}

/**
 * Turns a byte stream into frames. Errors the stream with a
 * {@linkcode FrameError} on malformed input, and when the input ends in the
 * middle of a frame. The frames in front of a malformed one come out first:
 * the stream errors once they are delivered, with the next chunk or at the
 * end of the input.
 *
 * @example Decoding chunks split anywhere
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame, FrameDecoderStream } from "@ipc/linux/protocol";
 *
 * const bytes = encodeFrame({ kind: "goodbye", reason: "bye" });
 * const chunks = [bytes.subarray(0, 3), bytes.subarray(3)];
 * const frames = await Array.fromAsync(
 *   ReadableStream.from(chunks).pipeThrough(new FrameDecoderStream()),
 * );
 * assert.deepEqual(frames, [{ kind: "goodbye", reason: "bye" }]);
 * ```
 */
export class FrameDecoderStream extends TransformStream<Uint8Array, Frame> {
  /**
   * Constructs a new instance.
   *
   * @param options Decoder options (`maxFrameSize`).
   */
  constructor(options: FrameDecoderOptions = {}) {
    const decoder = new FrameDecoder(options);
    super({
      transform(chunk, controller) {
        // Payloads are views into the chunk; streams hand chunks over, so that is safe.
        const frames: Frame[] = [];
        try {
          decoder.push(chunk, frames);
        } catch (err) {
          // Frames in front of a malformed one are delivered first: the
          // stream fails on the next chunk or at its end (the decoder keeps
          // the error), since failing now would discard them unread.
          if (frames.length === 0) throw err;
        }
        for (const frame of frames) controller.enqueue(frame);
      },
      flush() {
        if (decoder.error) throw decoder.error;
        if (decoder.buffered > 0) {
          throw new SyntaxError(
            `Stream ended inside a frame (${decoder.buffered} bytes buffered at byte ${decoder.offset})`,
          );
        }
      },
    });
  }
}
