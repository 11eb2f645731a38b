// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode SysvSharedMemory}: a System V shared memory segment
 * (`shmget(2)`, `shmat(2)`) as a guarded, live byte view.
 *
 * @module
 */
import { access } from "../shm/_shared_memory_setup.ts";
import type { Attachment } from "./_attachment.ts";
import { closedError, KIND_NAME, removeObject } from "./_common.ts";
import {
  type OpenedSegment,
  openSegment,
  openSegmentById,
  segmentStat,
  shmctl,
} from "./_segment_open.ts";
import type { SysvSharedMemoryOptions, SysvSharedMemoryStat } from "./types.ts";

/**
 * A System V shared memory segment attached to this process: a live view of
 * bytes that every process attaching the same key (C `shmat`, Python
 * `sysv_ipc.SharedMemory`) sees at once.
 *
 * `bytes` is a live Uint8Array over the segment. After
 * {@linkcode SysvSharedMemory.prototype.close} (which detaches), views taken
 * from it become empty instead of pointing at detached memory, so a stale
 * view can never crash the process. A segment another process removes
 * (`IPC_RMID`) stays attached and usable here until this handle closes, and
 * segments cannot shrink: no SIGBUS, ever.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @example Two attachments of one segment
 * ```ts
 * import assert from "node:assert/strict";
 * import { IPC_PRIVATE, SysvSharedMemory } from "@ipc/linux/sysv";
 *
 * using writer = SysvSharedMemory.open(IPC_PRIVATE, { size: 100 });
 * using reader = SysvSharedMemory.openById(writer.id, { readOnly: true });
 * writer.bytes.set([1, 2, 3]);
 * assert.deepEqual(reader.read(0, 3), new Uint8Array([1, 2, 3]));
 * assert.equal(reader.size, 100);
 * assert.throws(() => reader.write(new Uint8Array([9])), Deno.errors.PermissionDenied);
 * writer.remove();
 * ```
 */
export class SysvSharedMemory implements Disposable {
  readonly #id: number;
  readonly #key: number;
  readonly #object: string;
  readonly #attachment: Attachment;
  readonly #bytes: Uint8Array;
  readonly #readOnly: boolean;
  readonly #created: boolean;
  #closed = false;

  private constructor(opened: OpenedSegment) {
    this.#id = opened.id;
    this.#key = opened.key;
    this.#object = opened.object;
    this.#attachment = opened.attachment;
    this.#bytes = new Uint8Array(opened.attachment.buffer);
    this.#readOnly = opened.readOnly;
    this.#created = opened.created;
  }

  /**
   * Get (and optionally create) the segment of `key` and attach it.
   *
   * @param key A key from {@linkcode ftok}, any 32-bit number, or
   *   {@linkcode IPC_PRIVATE} for a new segment reachable only by its id.
   * @param options Size, create / exclusive, mode, read-only; see
   *   {@linkcode SysvSharedMemoryOptions}.
   * @returns The attached segment; close it (or `using` it) to detach.
   * @throws {TypeError} When the key or an option has the wrong shape, or
   *   `size` is missing for a segment this call may create.
   * @throws {RangeError} When the key, mode or size is out of range.
   * @throws {Deno.errors.NotFound} When the key has no segment and `create` is not set.
   * @throws {Deno.errors.AlreadyExists} When `exclusive` is set and the key has a segment.
   * @throws {Deno.errors.PermissionDenied} When the mode forbids the access, or
   *   the segment is owned by another user and `allowOtherOwner` is not set.
   * @throws {OsError} EINVAL when `size` is larger than an existing segment.
   *
   * @example Create or open by key
   * ```ts
   * import assert from "node:assert/strict";
   * import { SysvSharedMemory } from "@ipc/linux/sysv";
   *
   * const key = 0x5e000000 + Math.floor(Math.random() * 0xffffff);
   * using a = SysvSharedMemory.open(key, { create: true, size: 4096 });
   * using b = SysvSharedMemory.open(key);
   * a.bytes[0] = 42;
   * assert.equal(b.bytes[0], 42);
   * assert.equal(a.created && !b.created, true);
   * a.remove();
   * ```
   */
  static open(key: number, options: SysvSharedMemoryOptions = {}): SysvSharedMemory {
    return new SysvSharedMemory(openSegment(key, options));
  }

  /**
   * Attach a segment by its id (as another process or `ipcs -m` reports
   * it), e.g. one made with {@linkcode IPC_PRIVATE}.
   *
   * @param id The segment's id.
   * @param options Read-only, and whether another user's segment is acceptable.
   * @returns The attached segment.
   * @throws {Deno.errors.PermissionDenied} When it belongs to another user
   *   (without `allowOtherOwner`) or its mode forbids the access.
   * @throws {OsError} EINVAL when no segment has that id.
   *
   * @example Attach by id, read-only
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSharedMemory } from "@ipc/linux/sysv";
   *
   * using seg = SysvSharedMemory.open(IPC_PRIVATE, { size: 8 });
   * seg.write(new TextEncoder().encode("hi"));
   * using view = SysvSharedMemory.openById(seg.id, { readOnly: true });
   * assert.equal(new TextDecoder().decode(view.read(0, 2)), "hi");
   * seg.remove();
   * ```
   */
  static openById(
    id: number,
    options: { readOnly?: boolean; allowOtherOwner?: boolean } = {},
  ): SysvSharedMemory {
    return new SysvSharedMemory(openSegmentById(id, options));
  }

  /** The segment's id (what `ipcs -m` shows as shmid). */
  get id(): number {
    return this.#id;
  }

  /** The key it was opened with (0 for {@linkcode IPC_PRIVATE}). */
  get key(): number {
    return this.#key;
  }

  /** Size in bytes (exact, not page-rounded). */
  get size(): number {
    return this.#attachment.length;
  }

  /** Whether this attachment is read-only (`SHM_RDONLY`). */
  get readOnly(): boolean {
    return this.#readOnly;
  }

  /** Whether this call created the segment. */
  get created(): boolean {
    return this.#created;
  }

  /** Whether {@linkcode SysvSharedMemory.prototype.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The live bytes of a read-write attachment: writes are seen by every
   * process at once. Empty once the handle is closed.
   *
   * @throws {Deno.errors.BadResource} When the handle is closed.
   * @throws {Deno.errors.PermissionDenied} When attached read-only (a write
   *   through a view would crash the process): use `read()`.
   */
  get bytes(): Uint8Array {
    this.#check("get bytes of");
    return access.bytes(this.#bytes, this.#object, this.#readOnly);
  }

  /**
   * Copy bytes out of the segment.
   *
   * @param offset Where to start.
   * @param length How many bytes; the rest of the segment by default.
   * @returns A fresh copy.
   * @throws {RangeError} When the range is outside the segment.
   * @throws {Deno.errors.BadResource} When the handle is closed.
   */
  read(offset = 0, length?: number): Uint8Array {
    this.#check("read");
    return access.read(this.#bytes, this.#object, offset, length);
  }

  /**
   * Copy bytes of the segment into `target`.
   *
   * @param target Where to copy; its length is how many bytes.
   * @param offset Where to start in the segment.
   * @throws {RangeError} When the range is outside the segment.
   * @throws {Deno.errors.BadResource} When the handle is closed.
   */
  readInto(target: Uint8Array, offset = 0): void {
    this.#check("read");
    access.readInto(this.#bytes, this.#object, target, offset);
  }

  /**
   * Copy bytes into the segment.
   *
   * @param source The bytes.
   * @param offset Where to write them.
   * @throws {RangeError} When the range is outside the segment.
   * @throws {Deno.errors.PermissionDenied} When attached read-only.
   * @throws {Deno.errors.BadResource} When the handle is closed.
   */
  write(source: Uint8Array, offset = 0): void {
    this.#check("write");
    access.write(this.#bytes, this.#object, source, offset, this.#readOnly);
  }

  /**
   * The segment's state: owner, mode, size, attachments, creator and last pid.
   *
   * @returns What `shmctl(IPC_STAT)` reports.
   * @throws {Deno.errors.BadResource} When the handle is closed.
   *
   * @example Count attachments
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSharedMemory } from "@ipc/linux/sysv";
   *
   * using seg = SysvSharedMemory.open(IPC_PRIVATE, { size: 64 });
   * const s = seg.stat();
   * assert.equal(s.size, 64);
   * assert.equal(s.attachments, 1);
   * assert.equal(s.creatorPid, Deno.pid);
   * seg.remove();
   * assert.equal(seg.stat().removed, true); // still attached: freed at the last detach
   * ```
   */
  stat(): SysvSharedMemoryStat {
    this.#check("stat");
    return segmentStat(this.#id, this.#object);
  }

  /**
   * Mark the segment for removal (`IPC_RMID`): its key is freed now, and the
   * memory when the last process detaches. This attachment stays usable
   * until closed. Works on a closed handle too (the segment is named by its id).
   *
   * @throws {Deno.errors.PermissionDenied} When this user is neither its owner nor its creator.
   *
   * @example Remove, keep using, then detach
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSharedMemory } from "@ipc/linux/sysv";
   *
   * const seg = SysvSharedMemory.open(IPC_PRIVATE, { size: 4 });
   * const view = seg.bytes;
   * seg.remove();
   * view[0] = 1; // still attached
   * seg.close();
   * assert.equal(view.length, 0); // detached: the old view is empty, never dangling
   * ```
   */
  remove(): void {
    removeObject(this.#id, shmctl, "shmctl", `${KIND_NAME.shm} ${this.#object}`);
  }

  /**
   * Detach the segment (`shmdt`). Views from `bytes` become empty. The
   * segment lives on until removed. Calling it again does nothing.
   *
   * @example Close twice
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSharedMemory } from "@ipc/linux/sysv";
   *
   * const seg = SysvSharedMemory.open(IPC_PRIVATE, { size: 16 });
   * seg.remove();
   * seg.close();
   * seg.close();
   * assert.equal(seg.closed, true);
   * assert.throws(() => seg.bytes, Deno.errors.BadResource);
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#attachment.detach();
  }

  /** Same as {@linkcode SysvSharedMemory.prototype.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  #check(action: string): void {
    if (this.#closed) throw closedError("shm", action, this.#object);
  }
}
