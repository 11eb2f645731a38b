// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: how the Channel's ring copies message bytes in and out. Small
 * messages between 4-aligned positions are copied as 32-bit words (faster
 * than `set` for a few dozen bytes), larger ones with `set`.
 *
 * @module
 */

/** Messages up to this size are copied word by word instead of with `set`. */
export const SMALL = 256;
const NONE = new Int32Array(0);

/** An Int32Array over a caller's buffer, kept while the same buffer comes back. */
export class WordView {
  #of: Uint8Array | undefined;
  #length = 0;
  #view: Int32Array = NONE;

  /**
   * The words of `bytes` (from its start), or an empty array when it is not
   * 4-aligned. Made again when the same array comes back with another length
   * (a view that tracks a resizable ArrayBuffer): words kept from before
   * would drop or zero the bytes past its old end.
   */
  of(bytes: Uint8Array): Int32Array {
    if (bytes !== this.#of || bytes.length !== this.#length) {
      this.#of = bytes;
      this.#length = bytes.length;
      this.#view = (bytes.byteOffset & 3) === 0
        ? new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2)
        : NONE;
    }
    return this.#view;
  }
}

/**
 * Copy `len` bytes from `src8[from]` to `dst8[to]`; `src32`/`dst32` are the
 * same memory as words (empty when not 4-aligned).
 */
export function copy(
  dst8: Uint8Array,
  dst32: Int32Array,
  to: number,
  src8: Uint8Array,
  src32: Int32Array,
  from: number,
  len: number,
): void {
  if (len <= SMALL && ((to | from) & 3) === 0 && dst32 !== NONE && src32 !== NONE) {
    const words = len >> 2, a = to >> 2, b = from >> 2;
    for (let i = 0; i < words; i++) dst32[a + i] = src32[b + i]!;
    for (let i = words << 2; i < len; i++) dst8[to + i] = src8[from + i]!;
  } else if (from === 0 && len === src8.length) {
    dst8.set(src8, to); // a whole message or batch: no subarray to allocate
  } else {
    dst8.set(src8.subarray(from, from + len), to);
  }
}
