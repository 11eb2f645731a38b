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
import { checkAllocate, checkMax, type FrameDecoderOptions } from "./_decoder_options.ts";

export type { FrameDecoderOptions } from "./_decoder_options.ts";

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
 *
 * @example Assembling large notifications in one reused buffer
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeFrame, FrameDecoder, FrameKind } from "@ipc/linux/protocol";
 *
 * let spare = new Uint8Array(0);
 * const decoder = new FrameDecoder({
 *   allocate: (size, kind) => {
 *     if (kind !== FrameKind.notify) return new Uint8Array(size);
 *     if (spare.length < size) spare = new Uint8Array(size);
 *     return spare; // safe: each payload is consumed before the next push
 *   },
 * });
 * const sums: number[] = [];
 * for (const fill of [1, 2]) {
 *   const bytes = encodeFrame({
 *     kind: "notify", method: "blob", payload: new Uint8Array(100_000).fill(fill),
 *   });
 *   for (let i = 0; i < bytes.length; i += 65536) {
 *     for (const frame of decoder.push(bytes.subarray(i, i + 65536))) {
 *       if (frame.kind === "notify") {
 *         assert.equal(frame.payload.buffer, spare.buffer); // no allocation per frame
 *         sums.push(frame.payload.reduce((a, x) => a + x, 0));
 *       }
 *     }
 *   }
 * }
 * assert.deepEqual(sums, [100_000, 200_000]);
 * ```
 */
export class FrameDecoder {
  #max: number;
  #offset = 0; // stream offset of the next byte to consume
  #lengthFill = 0; // 4: the length is known, its kind byte has not arrived
  #length = 0; // the length field, shifted in a byte at a time while it is split
  readonly #allocate: ((size: number, kind: number) => Uint8Array) | undefined;
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
    this.#allocate = checkAllocate(options.allocate);
    this.fds = options.fds ?? false;
  }

  /** Whether frames may carry a descriptor count (the FDS feature); may be changed between pushes. */
  fds: boolean;

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

  /** Bytes of an incomplete frame (its length field included) held inside the decoder. */
  get buffered(): number {
    return this.#frame === undefined ? this.#lengthFill : 4 + this.#frameFill;
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
   * Frames are appended to `out` as they complete: when the chunk holds
   * well-formed frames followed by a malformed one, `push` throws at the
   * malformed one and `out` holds the frames before it, in order, so a
   * receiver can process them before it fails the stream (PROTOCOL.md §4).
   *
   * @example Frames in front of a malformed one are kept
   * ```ts
   * import assert from "node:assert/strict";
   * import { encodeFrame, type Frame, FrameDecoder, FrameError } from "@ipc/linux/protocol";
   *
   * const ping = encodeFrame({ kind: "ping", id: 1, payload: new Uint8Array() });
   * const bad = new Uint8Array([0, 0, 0, 6, 0xee, 0, 0, 0, 0, 0]); // unknown kind
   * const chunk = new Uint8Array([...ping, ...bad]);
   * const frames: Frame[] = [];
   * assert.throws(() => new FrameDecoder().push(chunk, frames), FrameError);
   * assert.deepEqual(frames, [{ kind: "ping", id: 1, payload: new Uint8Array() }]);
   * ```
   *
   * @param chunk The next bytes of the stream.
   * @param out The array the completed frames are appended to.
   * @returns `out`: the completed frames, in order.
   * @throws {FrameError} When the stream is malformed or a frame is too large
   * (`out` then holds the frames completed before the error).
   */
  push(chunk: Uint8Array, out: Frame[] = []): Frame[] {
    if (this.#error) throw this.#error;
    const frames = out;
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
          const length = ((chunk[i]! << 24) | (chunk[i + 1]! << 16) | (chunk[i + 2]! << 8) |
            chunk[i + 3]!) >>> 0;
          this.#start(length, this.#offset);
          if (n - i - 4 >= length) {
            // Fast path: the whole frame is in this chunk; no copy.
            frames.push(parse(chunk, this.#offset, this.fds, i + 4, i + 4 + length));
            i += 4 + length;
            this.#offset += 4 + length;
          } else if (n - i > 4) {
            this.#open(length, chunk[i + 4]!, this.#offset);
            i += 4;
            this.#offset += 4;
          } else {
            // The kind byte is in the next chunk.
            this.#lengthFill = 4;
            this.#length = length;
            i += 4;
            this.#offset += 4;
          }
        } else if (this.#lengthFill < 4) {
          // A number, not a 4-byte buffer: an idle connection's decoder holds none.
          const before = this.#lengthFill === 0 ? 0 : this.#length;
          this.#length = (before * 256 + chunk[i++]!) >>> 0;
          this.#lengthFill++;
          this.#offset++;
          if (this.#lengthFill === 4) {
            this.#start(this.#length, this.#offset - 4);
          }
        } else {
          // The kind byte arrived: the frame's buffer can be chosen. The byte
          // itself is copied by the first branch on the next turn.
          this.#open(this.#length, chunk[i]!, this.#offset - 4);
          this.#lengthFill = 0;
        }
      }
    } catch (err) {
      this.#fail(err);
    }
    return frames;
  }

  /** Starts assembling a frame of `length` bytes whose length field is at `start`. */
  #open(length: number, kind: number, start: number): void {
    let frame: Uint8Array;
    if (this.#allocate === undefined) {
      frame = new Uint8Array(length);
    } else {
      frame = this.#allocate(length, kind);
      if (!(frame instanceof Uint8Array) || frame.length < length) {
        throw new TypeError(
          `Cannot decode: allocate() must return a Uint8Array of at least ${length} bytes`,
        );
      }
      if (frame.length > length) frame = frame.subarray(0, length);
    }
    this.#frameStart = start;
    this.#frame = frame;
    this.#frameFill = 0;
  }

  #finish(): Frame {
    const bytes = this.#frame!;
    this.#frame = undefined;
    this.#frameFill = 0;
    return parse(bytes, this.#frameStart, this.fds);
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
   * assert.equal(frame?.kind, "response");
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
