// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: map and unmap shared-memory objects.
 *
 * A mapping is viewed through ONE live ArrayBuffer created at map time. On
 * unmap that ArrayBuffer is detached first (`transfer(0)`), so every typed
 * array a caller still holds becomes empty instead of pointing at unmapped
 * memory: stale access reads `undefined` or throws a TypeError, never
 * crashes the process.
 *
 * @module
 */
import { backend, errnoError, libc, type Pointer } from "../_ffi/mod.ts";
import {
  MAP_ANONYMOUS,
  MAP_FAILED,
  MAP_FIXED,
  MAP_PRIVATE,
  MAP_SHARED,
  PROT_READ,
  PROT_WRITE,
} from "../_ffi/constants.ts";

/** One live mapping of a shared-memory object. */
export class Mapping {
  readonly pointer: Pointer;
  readonly address: number;
  readonly length: number;
  readonly writable: boolean;
  readonly buffer: ArrayBuffer;
  #mapped = true;

  private constructor(pointer: Pointer, length: number, writable: boolean) {
    this.pointer = pointer;
    this.length = length;
    this.writable = writable;
    this.address = length === 0 ? 0 : Number(backend().address(pointer));
    this.buffer = length === 0 ? new ArrayBuffer(0) : backend().view(pointer, length);
  }

  /** Map `length` bytes of `fd` shared; `length` 0 maps nothing. */
  static map(fd: number, length: number, writable: boolean, object: string): Mapping {
    if (length === 0) return new Mapping(null, 0, writable);
    const prot = writable ? PROT_READ | PROT_WRITE : PROT_READ;
    const pointer = libc().mmap(null, BigInt(length), prot, MAP_SHARED, fd, 0n);
    if (backend().address(pointer) === MAP_FAILED) {
      throw errnoError(backend().errno(), "mmap", object);
    }
    return new Mapping(pointer, length, writable);
  }

  /**
   * Detach every view, then munmap. Idempotent. Where views cannot be
   * detached (Node.js before 21 has no `ArrayBuffer.prototype.transfer`), the
   * shared pages are swapped for private zero pages at the same address
   * instead: a view kept past close reads zeros and writes nowhere shared,
   * rather than faulting, and those pages are unmapped once the buffer (and
   * so every view of it) has been garbage-collected.
   */
  unmap(): void {
    if (!this.#mapped) return;
    this.#mapped = false;
    if (this.length === 0) return;
    const length = BigInt(this.length);
    retireView(this.buffer, this.pointer, this.length, () => libc().munmap(this.pointer, length));
  }
}

/**
 * Take the memory under a live view away safely: detach `buffer` (every
 * typed array over it becomes empty), then `release` the memory (munmap,
 * shmdt). Where views cannot be detached (Node.js before 21), map private
 * zero pages over the range instead (which also releases a mapping or an
 * attached System V segment), unmapped once the buffer is collected.
 */
export function retireView(
  buffer: ArrayBuffer,
  pointer: Pointer,
  byteLength: number,
  release: () => void,
): void {
  if (typeof buffer.transfer === "function") {
    buffer.transfer(0); // detaches: old views become empty, never dangling
    release();
    return;
  }
  const length = BigInt(byteLength);
  const flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
  const placeholder = libc().mmap(pointer, length, PROT_READ | PROT_WRITE, flags, -1, 0n);
  if (backend().address(placeholder) === MAP_FAILED) {
    release(); // out of memory: views stay, unguarded
    return;
  }
  placeholders().register(buffer, { pointer, length });
}

let registry: FinalizationRegistry<{ pointer: Pointer; length: bigint }> | undefined;

/** Unmaps the zero pages left in place of a closed mapping once its buffer is gone. */
function placeholders(): FinalizationRegistry<{ pointer: Pointer; length: bigint }> {
  return registry ??= new FinalizationRegistry(({ pointer, length }) => {
    libc().munmap(pointer, length);
  });
}
