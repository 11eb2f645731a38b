// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the options of `FrameDecoder` (decoder.ts) and their checks.
 *
 * @module
 */

/** Options for {@linkcode FrameDecoder}. */
export interface FrameDecoderOptions {
  /**
   * The largest frame accepted, in bytes (length field included). Checked as
   * soon as the length arrives, before anything is buffered.
   * @default {16777216}
   */
  maxFrameSize?: number;
  /**
   * Chooses the buffer a frame that spans several chunks is assembled in:
   * called with the frame's `size` (from its kind byte on, the length field
   * excluded) and its `kind` byte (compare with {@linkcode FrameKind}), once
   * both have arrived and the size passed the `maxFrameSize` check. Return a
   * `Uint8Array` of at least `size` bytes; the frame's payload will be a view
   * into it. Returning the same buffer again is how a receiver reuses memory
   * (no allocation, no page faults per frame), and is safe only once the
   * previous frame assembled in it is no longer used.
   * @default {undefined} (a new `Uint8Array(size)` per frame)
   */
  allocate?: (size: number, kind: number) => Uint8Array;
  /**
   * Accept a descriptor count in the flags byte of REQUEST, RESPONSE and
   * NOTIFY (set once the FDS feature is negotiated; see PROTOCOL.md §6).
   * @default {false}
   */
  fds?: boolean;
}

/** `maxFrameSize` checked: an integer in 16..2^32+3 (a u32 length field and itself). */
export function checkMax(value: number): number {
  if (!Number.isInteger(value) || value < 16 || value > 0xffff_ffff + 4) {
    throw new RangeError(`Cannot set maxFrameSize: ${value} is not an integer in 16..2^32+3`);
  }
  return value;
}

/** `allocate` checked to be a function or undefined. */
export function checkAllocate(
  allocate: unknown,
): ((size: number, kind: number) => Uint8Array) | undefined {
  if (allocate !== undefined && typeof allocate !== "function") {
    throw new TypeError("Cannot create FrameDecoder: allocate is not a function");
  }
  return allocate as ((size: number, kind: number) => Uint8Array) | undefined;
}
