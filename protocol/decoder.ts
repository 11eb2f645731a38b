// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The push-based frame decoder: chunks in, frames out (PROTOCOL.md §1).
 *
 * @module
 */
import { DEFAULT_MAX_FRAME_SIZE, ErrorCode } from "./constants.ts";
import { FrameError } from "./errors.ts";
import type { Frame } from "./types.ts";
import { malformed, parse } from "./_parse.ts";

/** Options for {@linkcode FrameDecoder}. */
export interface FrameDecoderOptions {
  /**
   * The largest frame accepted, in bytes (length field included). Checked as
   * soon as the length arrives, before anything is buffered.
   * @default {16777216}
   */
  maxFrameSize?: number;
}

function checkMax(value: number): number {
  if (!Number.isInteger(value) || value < 16 || value > 0xffff_ffff + 4) {
    throw new RangeError(`Cannot set maxFrameSize: ${value} is not an integer in 16..2^32+3`);
  }
  return value;
}

/**
 * A push-based decoder: feed it chunks of a byte stream, get whole frames.
 * Frames may be split anywhere; a frame that fits in one chunk is decoded
 * without copying (its payload is a `subarray` of the chunk, so copy it if
 * you reuse the chunk's memory). The size of each frame is checked against
 * {@linkcode FrameDecoder.maxFrameSize} before a byte of it is buffered. After
 * an error the decoder stays failed and throws the same error again.
 *
 * @example Frames split at every byte
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame, FrameDecoder } from "@ipc/linux/protocol";
 *
 * const bytes = encodeFrame({ kind: "notify", method: "tick", payload: new Uint8Array([1, 2]) });
 * const decoder = new FrameDecoder();
 * const frames = [];
 * for (const byte of bytes) frames.push(...decoder.push(new Uint8Array([byte])));
 * assert.deepEqual(frames, [{ kind: "notify", method: "tick", payload: new Uint8Array([1, 2]) }]);
 * ```
 */
export class FrameDecoder {
  #max: number;
  #offset = 0; // stream offset of the next byte to consume
  #lengthBytes = new Uint8Array(4);
  #lengthFill = 0;
  #frame: Uint8Array | undefined; // the frame being assembled (kind byte onward)
  #frameFill = 0;
  #frameStart = 0;
  #error: FrameError | undefined;

  /**
   * Constructs a new instance.
   *
   * @param options Decoder options.
   * @throws {RangeError} When `maxFrameSize` is out of range.
   */
  constructor(options: FrameDecoderOptions = {}) {
    this.#max = checkMax(options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE);
  }

  /** The largest frame accepted, in bytes; may be changed between pushes. */
  get maxFrameSize(): number {
    return this.#max;
  }

  set maxFrameSize(value: number) {
    this.#max = checkMax(value);
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes of an incomplete frame held inside the decoder. */
  get buffered(): number {
    return this.#lengthFill + this.#frameFill;
  }

  /** The error that failed this decoder, if any. */
  get error(): FrameError | undefined {
    return this.#error;
  }

  #fail(err: unknown): never {
    if (err instanceof FrameError) this.#error = err;
    throw err;
  }

  #start(length: number, lengthOffset: number): void {
    if (length < 6) throw malformed(`Frame length ${length} is below 6`, lengthOffset);
    if (length + 4 > this.#max) {
      throw new FrameError(
        ErrorCode.FRAME_TOO_LARGE,
        `Frame of ${length + 4} bytes exceeds the limit of ${this.#max}`,
        lengthOffset,
      );
    }
  }

  /**
   * Consumes a chunk and returns the frames it completed (possibly none).
   *
   * @param chunk The next bytes of the stream.
   * @returns The completed frames, in order.
   * @throws {FrameError} When the stream is malformed or a frame is too large.
   */
  push(chunk: Uint8Array): Frame[] {
    if (this.#error) throw this.#error;
    const frames: Frame[] = [];
    try {
      let i = 0;
      const n = chunk.length;
      while (i < n) {
        if (this.#frame !== undefined) {
          const take = Math.min(this.#frame.length - this.#frameFill, n - i);
          this.#frame.set(chunk.subarray(i, i + take), this.#frameFill);
          this.#frameFill += take;
          i += take;
          this.#offset += take;
          if (this.#frameFill === this.#frame.length) frames.push(this.#finish());
        } else if (this.#lengthFill === 0 && n - i >= 4) {
          const length = ((chunk[i] << 24) | (chunk[i + 1] << 16) | (chunk[i + 2] << 8) |
            chunk[i + 3]) >>> 0;
          this.#start(length, this.#offset);
          if (n - i - 4 >= length) {
            // Fast path: the whole frame is in this chunk; no copy.
            frames.push(parse(chunk.subarray(i + 4, i + 4 + length), this.#offset));
            i += 4 + length;
            this.#offset += 4 + length;
          } else {
            this.#frameStart = this.#offset;
            this.#frame = new Uint8Array(length);
            this.#frameFill = 0;
            i += 4;
            this.#offset += 4;
          }
        } else {
          this.#lengthBytes[this.#lengthFill++] = chunk[i++];
          this.#offset++;
          if (this.#lengthFill === 4) {
            const b = this.#lengthBytes;
            const length = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
            this.#lengthFill = 0;
            this.#start(length, this.#offset - 4);
            this.#frameStart = this.#offset - 4;
            this.#frame = new Uint8Array(length);
            this.#frameFill = 0;
          }
        }
      }
    } catch (err) {
      this.#fail(err);
    }
    return frames;
  }

  #finish(): Frame {
    const bytes = this.#frame!;
    this.#frame = undefined;
    this.#frameFill = 0;
    return parse(bytes, this.#frameStart);
  }

  /**
   * When a frame larger than `threshold` is being assembled, the part of its
   * buffer still to be filled, so a reader can read straight into it (then
   * call {@linkcode FrameDecoder.commit}); otherwise `undefined`.
   *
   * @example Reading a large frame without an extra copy
   * ```ts
   * import assert from "node:assert/strict";
   * import { encodeFrame, FrameDecoder } from "@ipc/linux/protocol";
   *
   * const bytes = encodeFrame({ kind: "response", id: 1, payload: new Uint8Array(100_000) });
   * const decoder = new FrameDecoder();
   * decoder.push(bytes.subarray(0, 20));
   * const target = decoder.pendingBuffer(65536)!;
   * target.set(bytes.subarray(20));
   * const [frame] = decoder.commit(target.length);
   * assert.equal(frame.kind, "response");
   * ```
   *
   * @param threshold Only frames larger than this many bytes qualify.
   * @returns The unfilled region, or `undefined`.
   */
  pendingBuffer(threshold = 0): Uint8Array | undefined {
    const frame = this.#frame;
    if (frame === undefined || frame.length <= threshold || this.#error) return undefined;
    return frame.subarray(this.#frameFill);
  }

  /**
   * Records that `n` bytes were written into {@linkcode FrameDecoder.pendingBuffer}.
   *
   * @param n Bytes written.
   * @returns The completed frame, if this finished it.
   * @throws {RangeError} When `n` is more than the pending region.
   * @throws {FrameError} When the completed frame is malformed.
   */
  commit(n: number): Frame[] {
    if (this.#error) throw this.#error;
    const frame = this.#frame;
    if (
      frame === undefined || !Number.isInteger(n) || n < 0 || n > frame.length - this.#frameFill
    ) {
      throw new RangeError(`Cannot commit ${n} bytes: no pending frame has that much room`);
    }
    this.#frameFill += n;
    this.#offset += n;
    if (this.#frameFill < frame.length) return [];
    try {
      return [this.#finish()];
    } catch (err) {
      this.#fail(err);
    }
  }
}
