// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Borrowed notifications: the one buffer a connection reuses to assemble
 * large notifications in, lent to the handler and taken back once it is done.
 *
 * @module
 */
import { type Frame, FrameKind } from "../protocol/mod.ts";

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
    if (spare === undefined || spare.length < size) {
      // Grow geometrically (up to the frame limit) so that slowly growing
      // sizes do not reallocate every time.
      const grown = Math.min(Math.max(size, 2 * (spare?.length ?? 0)), maxFrameSize);
      spare = this.#spare = new Uint8Array(Math.max(size, grown));
    }
    this.#busy = true;
    return spare;
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
