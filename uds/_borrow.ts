// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Borrowed notifications: the one buffer a connection reuses to assemble
 * large notifications in, lent to the handler and taken back once it is done.
 *
 * @module
 */
import { type Frame, FrameKind } from "../protocol/mod.ts";

/**
 * Room kept after a notification in the spare buffer: its last read may run
 * this far past its end, fetching the start of the next frame in the same
 * read (see {@linkcode BorrowBuffer.extend}).
 */
const SLACK = 4096;

/** The reused buffer of a connection that lends notification payloads. */
export class BorrowBuffer {
  /** The buffer large notifications are assembled in, reused. */
  #spare: Uint8Array | undefined;
  /** Whether a notification still uses `#spare`. */
  #busy = false;

  /**
   * The decoder's allocator: a notification of `size` bytes gets the spare
   * buffer (grown if needed, up to `maxFrameSize`) unless it is lent out;
   * anything else gets a fresh one.
   */
  allocate(size: number, kind: number, maxFrameSize: number): Uint8Array {
    if (kind !== FrameKind.notify || this.#busy) return new Uint8Array(size);
    let spare = this.#spare;
    if (spare === undefined || spare.length - SLACK < size) {
      // Grow geometrically (up to the frame limit) so that slowly growing
      // sizes do not reallocate every time.
      const old = spare === undefined ? 0 : spare.length - SLACK;
      const grown = Math.min(Math.max(size, 2 * old), maxFrameSize);
      spare = this.#spare = new Uint8Array(Math.max(size, grown) + SLACK);
    }
    this.#busy = true;
    return spare;
  }

  /**
   * `region` (the unfilled end of a notification being assembled in the
   * spare buffer) extended by up to SLACK bytes past it, so that the read
   * completing the notification also takes the next frame's first bytes
   * (without this, a stream of large notifications costs an extra read per
   * frame). Bytes read past the notification are the caller's to copy out
   * before the spare is used again. Any other `region` is returned as is.
   */
  extend(region: Uint8Array): Uint8Array {
    const spare = this.#spare;
    if (spare === undefined || region.buffer !== spare.buffer) return region;
    const end = Math.min(spare.length, region.byteOffset + region.length + SLACK);
    return new Uint8Array(spare.buffer, region.byteOffset, end - region.byteOffset);
  }

  /**
   * Hands `frame` to `handlers.frame`; frees the spare buffer once a
   * borrowed payload is done (when the handler returns or, if it returns a
   * promise, when that settles).
   */
  dispatch(
    frame: Frame,
    handlers: { frame(frame: Frame): void | Promise<unknown> },
  ): void {
    const spare = this.#spare;
    if (spare === undefined || frame.kind !== "notify" || frame.payload.buffer !== spare.buffer) {
      handlers.frame(frame);
      return;
    }
    let result: void | Promise<unknown> = undefined;
    try {
      result = handlers.frame(frame);
    } finally {
      if (result instanceof Promise) {
        const free = () => this.#busy = false;
        result.then(free, free);
      } else {
        this.#busy = false;
      }
    }
  }
}
