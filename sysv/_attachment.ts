// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: one `shmat` attachment of a System V segment, viewed through ONE
 * live ArrayBuffer. Detaching retires that buffer first (see
 * `retireView` in shm/_mapping.ts), so a view kept past close is empty,
 * never a pointer into detached memory.
 *
 * A System V segment cannot shrink, and one removed with IPC_RMID stays
 * attached (and usable) until its last detach: an attachment can never
 * fault the way a truncated POSIX object can (SIGBUS).
 *
 * @module
 */
import { backend, libc, type Pointer } from "../_ffi/mod.ts";
import { MAP_FAILED } from "../_ffi/constants.ts";
import { SHM_RDONLY } from "../_ffi/_sysv_struct.ts";
import { retireView } from "../shm/_mapping.ts";
import { sysvError } from "./_common.ts";

/** One live attachment. */
export class Attachment {
  readonly pointer: Pointer;
  readonly length: number;
  readonly buffer: ArrayBuffer;
  #attached = true;

  private constructor(pointer: Pointer, length: number) {
    this.pointer = pointer;
    this.length = length;
    this.buffer = length === 0 ? new ArrayBuffer(0) : backend().view(pointer, length);
  }

  /** `shmat` the segment `id` of `length` bytes, read-only or read-write. */
  static attach(id: number, length: number, readOnly: boolean, object: string): Attachment {
    const pointer = libc().shmat(id, null, readOnly ? SHM_RDONLY : 0);
    if (backend().address(pointer) === MAP_FAILED) {
      throw sysvError(backend().errno(), "shmat", object);
    }
    return new Attachment(pointer, length);
  }

  /** Retire every view, then `shmdt`. Idempotent. */
  detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    const pointer = this.pointer;
    if (this.length === 0) {
      libc().shmdt(pointer);
      return;
    }
    retireView(this.buffer, pointer, this.length, () => libc().shmdt(pointer));
  }
}
