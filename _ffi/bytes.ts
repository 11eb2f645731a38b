// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: what a caller's bytes really are. A system call reads or writes
 * the memory behind a Uint8Array for as many bytes as it is told, and a
 * Uint8Array's `length` can lie (an own property, a subclass's getter): so
 * every length passed next to a caller's buffer comes from the engine's own
 * typed-array getters, taken once here.
 *
 * @module
 */

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);
const lengthGetter = Object.getOwnPropertyDescriptor(TypedArrayPrototype, "length")!.get!;
const offsetGetter = Object.getOwnPropertyDescriptor(TypedArrayPrototype, "byteOffset")!.get!;
const bufferGetter = Object.getOwnPropertyDescriptor(TypedArrayPrototype, "buffer")!.get!;
const tagGetter = Object.getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag)!.get!;

/** Whether `value` really is a Uint8Array (of any realm; a subclass too), whatever it claims. */
export function isBytes(value: unknown): value is Uint8Array {
  return tagGetter.call(value) === "Uint8Array";
}

/**
 * The real length of a Uint8Array: the memory a system call may touch
 * (0 once its buffer is detached; less once a resizable one shrank).
 */
export function realLength(bytes: Uint8Array): number {
  return lengthGetter.call(bytes);
}

/** The real buffer of a Uint8Array (its `buffer` can lie too). */
export function realBuffer(bytes: Uint8Array): ArrayBufferLike {
  return bufferGetter.call(bytes);
}

/**
 * `bytes` as the memory it really covers: itself when its `length` is true,
 * else a plain Uint8Array over its real buffer, offset and length (so no
 * later `length`, `subarray` or `set` of the caller's object is consulted).
 */
export function honestBytes(bytes: Uint8Array): Uint8Array {
  const length = lengthGetter.call(bytes);
  return bytes.length === length
    ? bytes
    : new Uint8Array(bufferGetter.call(bytes), offsetGetter.call(bytes), length);
}
