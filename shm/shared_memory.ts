// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * POSIX shared memory (`shm_open` + `mmap`) as a guarded, live byte view.
 *
 * @module
 */
import { posixName } from "../_ffi/mod.ts";
import { Mapping } from "./_mapping.ts";
import { closeQuietly, shmUnlink } from "./_object_file.ts";
import { checkSize, createSharedMapping, openSharedMapping } from "./_shared_memory_setup.ts";
import { SharedMemoryIo } from "./_shared_memory_io.ts";
import type { SharedMemoryCreateOptions, SharedMemoryOpenOptions } from "./types.ts";
import {
  type AnonymousOptions,
  createMemfd,
  type FromFdOptions,
  mapReceivedFd,
} from "./_anonymous.ts";

/**
 * A POSIX shared-memory object mapped into this process: a named block of
 * memory that other processes (Deno, C, Python's
 * `multiprocessing.shared_memory`) map too. Reads and writes are zero-copy.
 *
 * Names are given with or without the leading slash: `"psm_abc"` and
 * `"/psm_abc"` are the same object, so `SharedMemory.open("psm_abc")` opens
 * what Python's `SharedMemory(name="psm_abc")` created.
 *
 * After {@linkcode SharedMemory.close} every view handed out is detached
 * (empty), so a stale access cannot crash the process.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @example Create, write and read back from a second attachment
 * ```ts
 * import assert from "node:assert/strict";
 * import { SharedMemory } from "@ipc/linux/shm";
 *
 * const name = `/doc_shm_${Deno.pid}`;
 * using shm = SharedMemory.create(name, { size: 100, unlinkOnClose: true });
 * shm.bytes.set([1, 2, 3]);
 * using reader = SharedMemory.open(name, { readOnly: true });
 * assert.equal(reader.size, 100); // the exact size, not a page-rounded one
 * assert.deepEqual(reader.read(0, 3), new Uint8Array([1, 2, 3]));
 * assert.throws(() => reader.write(new Uint8Array([9])), Deno.errors.PermissionDenied);
 * ```
 */
export class SharedMemory implements Disposable {
  readonly #io: SharedMemoryIo;

  private constructor(
    name: string,
    fd: number,
    mapping: Mapping,
    readOnly: boolean,
    owner: boolean,
    unlinkOnClose: boolean,
  ) {
    this.#io = new SharedMemoryIo(name, fd, mapping, readOnly, owner, unlinkOnClose);
  }

  /**
   * Create a new object (exclusively: an existing name is an error), give it
   * `size` bytes, reserve them, and map it read-write.
   *
   * @param name The object's name, with or without the leading `/`.
   * @param options Size, mode and lifetime.
   * @returns The mapped object; this process is its owner.
   * @throws {TypeError} For a malformed name or options.
   * @throws {RangeError} For a size or mode out of range.
   * @throws {Deno.errors.AlreadyExists} When the name exists (`EEXIST`).
   * @throws {Error} With `code` `"ENOSPC"` when /dev/shm cannot hold `size` bytes.
   *
   * @example Exclusive create
   * ```ts
   * import assert from "node:assert/strict";
   * import { SharedMemory } from "@ipc/linux/shm";
   *
   * const name = `doc_create_${Deno.pid}`;
   * using shm = SharedMemory.create(name, { size: 4096, unlinkOnClose: true });
   * assert.equal(shm.name, `/${name}`);
   * assert.throws(() => SharedMemory.create(name, { size: 1 }), Deno.errors.AlreadyExists);
   * ```
   */
  static create(name: string, options: SharedMemoryCreateOptions): SharedMemory {
    const posix = posixName(name, "shared memory");
    const { fd, mapping } = createSharedMapping(posix, options);
    return new SharedMemory(posix, fd, mapping, false, true, options.unlinkOnClose ?? false);
  }

  /**
   * Attach to an existing object and map all of it (its exact size; an
   * object of size 0 maps nothing and has empty `bytes`). An empty object
   * changed in the last second may be a creator's between its `shm_open`
   * and its `ftruncate`: it is looked at again for up to 250 ms (this call
   * blocks meanwhile) before it is taken as empty. Before mapping it
   * checks what the name holds: a regular file (not a symbolic link, a
   * directory or a FIFO: `InvalidData`), owned by this process's effective
   * uid unless `allowOtherOwner` is set (`PermissionDenied` naming the
   * owner: /dev/shm is world-writable, anyone may create a name first).
   * When a process of another uid may write the object (another owner, or
   * group/other write bits in its mode), it could also shrink it under this
   * mapping: `read`, `readInto` and `write` of such an attachment then copy
   * through the descriptor (`pread`/`pwrite`, a system call each) and throw
   * `InvalidData` on a shrunk object instead of dying of SIGBUS; `bytes` is
   * the raw mapping and cannot be guarded.
   *
   * @param name The object's name, with or without the leading `/`.
   * @param options `readOnly` maps it PROT_READ; `allowOtherOwner` trusts another uid's object.
   * @returns The mapped object; closing it never unlinks the name.
   * @throws {TypeError} For a malformed name.
   * @throws {Deno.errors.NotFound} When no object has that name.
   * @throws {Deno.errors.PermissionDenied} When the mode forbids the access,
   *   or another uid owns the object and `allowOtherOwner` is not set.
   * @throws {Deno.errors.InvalidData} When the name holds no regular file.
   *
   * @example Attach read-only
   * ```ts
   * import assert from "node:assert/strict";
   * import { SharedMemory } from "@ipc/linux/shm";
   *
   * const name = `doc_open_${Deno.pid}`;
   * using owner = SharedMemory.create(name, { size: 10, unlinkOnClose: true });
   * owner.write(new TextEncoder().encode("hi"));
   * using reader = SharedMemory.open(name, { readOnly: true });
   * assert.equal(new TextDecoder().decode(reader.read(0, 2)), "hi");
   * assert.equal(reader.readOnly, true);
   * ```
   *
   * @example Trust another user's object on purpose
   * ```ts
   * import assert from "node:assert/strict";
   * import { SharedMemory } from "@ipc/linux/shm";
   *
   * const name = `doc_open_other_${Deno.pid}`;
   * // Imagine a service of another uid created this, readable by all:
   * using theirs = SharedMemory.create(name, { size: 16, mode: 0o644, unlinkOnClose: true });
   * using view = SharedMemory.open(name, { readOnly: true, allowOtherOwner: true });
   * assert.equal(view.size, 16);
   * ```
   */
  static open(name: string, options: SharedMemoryOpenOptions = {}): SharedMemory {
    const posix = posixName(name, "shared memory");
    const { mapping, guardFd } = openSharedMapping(posix, options);
    return new SharedMemory(posix, guardFd, mapping, !mapping.writable, false, false);
  }

  /**
   * Create anonymous shared memory (`memfd_create`): no name in /dev/shm,
   * nothing to unlink or sweep; it lives while a process maps it or holds its
   * descriptor. Pass {@linkcode SharedMemory.fd} over a `UnixSocket` and the
   * peer attaches with {@linkcode SharedMemory.fromFd}. Sealed against
   * shrinking by default, so no peer can make another crash with SIGBUS.
   *
   * @param size Its size in bytes.
   * @param options Whether to seal it.
   * @returns The mapped memory; this process is its owner (it may grow it).
   * @throws {RangeError} For a size out of range.
   *
   * @example Anonymous memory attached again through its descriptor
   * ```ts
   * import assert from "node:assert/strict";
   * import { SharedMemory } from "@ipc/linux/shm";
   *
   * using shm = SharedMemory.anonymous(4096);
   * shm.bytes.set([1, 2, 3]);
   * assert.equal(shm.name, "");
   * assert.ok(shm.fd >= 0); // what a peer receives over a UnixSocket
   * assert.throws(() => shm.resize(16), RangeError); // it can grow, never shrink
   * ```
   */
  static anonymous(size: number, options: AnonymousOptions = {}): SharedMemory {
    const checked = checkSize(size, "create anonymous shared memory");
    const fd = createMemfd(checked, options, "create anonymous shared memory");
    try {
      return new SharedMemory("", fd, Mapping.map(fd, checked, true, "memfd"), false, true, false);
    } catch (err) {
      closeQuietly(fd);
      throw err;
    }
  }

  /**
   * Attach shared memory received as a descriptor (e.g. over a `UnixSocket`,
   * from `SharedMemory.anonymous` or a peer's `memfd_create`). It must be a
   * memfd or regular file of at least `minSize` bytes and, unless
   * `requireSeal` is false, sealed against shrinking. The whole file is
   * mapped; it is read-only when the descriptor, its seals or `readOnly` say
   * so. The object owns `fd` from then on (closing it closes `fd`); on
   * failure `fd` is left open, still the caller's.
   *
   * @param fd The descriptor.
   * @param options Access, seal and size requirements.
   * @returns The mapped memory (not its owner: it cannot resize it).
   * @throws {Deno.errors.InvalidData} When the descriptor is not acceptable memory.
   *
   * @example Attach through a descriptor
   * ```ts
   * import assert from "node:assert/strict";
   * import { SharedMemory } from "@ipc/linux/shm";
   * import { UnixSocket } from "@ipc/linux/uds";
   *
   * using shm = SharedMemory.anonymous(16);
   * shm.bytes.set([9, 8, 7]);
   * const [a, b] = UnixSocket.pair();
   * using _a = a;
   * using _b = b;
   * await a.send(new Uint8Array([0]), { fds: [shm.fd] });
   * const message = await b.receive();
   * using peer = SharedMemory.fromFd(message!.fds[0]!.take());
   * assert.deepEqual(peer.read(0, 3), new Uint8Array([9, 8, 7]));
   * ```
   */
  static fromFd(fd: number, options: FromFdOptions = {}): SharedMemory {
    const { mapping, writable } = mapReceivedFd(fd, options, "attach shared memory");
    return new SharedMemory("", fd, mapping, !writable, false, false);
  }

  /**
   * Remove a name. Processes that have it mapped keep their memory; the
   * object is freed when the last one unmaps.
   *
   * @param name The object's name, with or without the leading `/`.
   * @throws {Deno.errors.NotFound} When no object has that name.
   *
   * @example Unlink
   * ```ts
   * import assert from "node:assert/strict";
   * import { SharedMemory } from "@ipc/linux/shm";
   *
   * const name = `doc_unlink_${Deno.pid}`;
   * SharedMemory.create(name, { size: 8 }).close();
   * SharedMemory.unlink(name);
   * assert.throws(() => SharedMemory.open(name), Deno.errors.NotFound);
   * ```
   */
  static unlink(name: string): void {
    shmUnlink(posixName(name, "shared memory"));
  }

  /** The name, with its leading `/` (empty for anonymous memory). */
  get name(): string {
    return this.#io.name;
  }

  /**
   * The descriptor, still owned by this object (to pass it to a peer). Kept
   * by the creator and by memory attached with `fromFd`.
   *
   * @throws {Deno.errors.BadResource} When closed, or attached by name with `open`.
   */
  get fd(): number {
    return this.#io.fd;
  }

  /** The mapped size in bytes (0 after close). */
  get size(): number {
    return this.#io.size;
  }

  /** Whether this attachment is read-only. */
  get readOnly(): boolean {
    return this.#io.readOnly;
  }

  /** Whether this process created the object (and may resize it). */
  get owner(): boolean {
    return this.#io.owner;
  }

  /** Whether {@linkcode SharedMemory.close} was called. */
  get closed(): boolean {
    return this.#io.closed;
  }

  /**
   * The live, zero-copy bytes of the mapping (the same object every time
   * until a resize). Writes are seen at once by every process that maps it.
   *
   * @throws {Deno.errors.BadResource} After close.
   * @throws {Deno.errors.PermissionDenied} On a read-only attachment: a raw
   *   write to read-only memory would crash the process, so use
   *   {@linkcode SharedMemory.read} / {@linkcode SharedMemory.readInto}.
   */
  get bytes(): Uint8Array {
    return this.#io.bytes;
  }

  /**
   * Copy bytes out of the mapping.
   *
   * @param offset Where to start.
   * @param length How many bytes. @default {size - offset}
   * @returns A new array holding the copy.
   * @throws {RangeError} When the range is outside the mapping.
   * @throws {TypeError} When the offset or length is not an integer.
   * @throws {Deno.errors.BadResource} After close.
   * @throws {Deno.errors.InvalidData} When another process shrank the object
   *   (only on an attachment whose object other uids may write: see open).
   */
  read(offset = 0, length?: number): Uint8Array {
    return this.#io.read(offset, length);
  }

  /**
   * Copy bytes out of the mapping into `target` (filling it).
   *
   * @param target Where to copy to; its length is the amount read.
   * @param offset Where to start in the mapping. @default {0}
   * @throws {RangeError} When the range is outside the mapping.
   * @throws {TypeError} When the offset or length is not an integer.
   * @throws {Deno.errors.BadResource} After close.
   * @throws {Deno.errors.InvalidData} When another process shrank the object
   *   (only on an attachment whose object other uids may write: see open).
   */
  readInto(target: Uint8Array, offset = 0): void {
    this.#io.readInto(target, offset);
  }

  /**
   * Copy `source` into the mapping at `offset`.
   *
   * @param source The bytes to write.
   * @param offset Where to write. @default {0}
   * @throws {Deno.errors.PermissionDenied} On a read-only attachment (before touching memory).
   * @throws {RangeError} When the range is outside the mapping.
   * @throws {TypeError} When the offset or length is not an integer.
   * @throws {Deno.errors.BadResource} After close.
   * @throws {Deno.errors.InvalidData} When another process shrank the object
   *   (only on an attachment whose object other uids may write: see open).
   */
  write(source: Uint8Array, offset = 0): void {
    this.#io.write(source, offset);
  }

  /**
   * Grow the object (creator only) and remap it. The old `bytes` view is
   * detached; get the new one from {@linkcode SharedMemory.bytes}. Other
   * attachments keep their old size until they reopen. Shrinking is refused,
   * because processes that still map the tail would crash with SIGBUS.
   *
   * @param newSize The new size in bytes, at least the current size.
   * @throws {Deno.errors.PermissionDenied} When this process is not the creator.
   * @throws {RangeError} When `newSize` is smaller than the current size.
   * @throws {Error} With `code` `"ENOSPC"` when /dev/shm cannot hold it.
   *
   * @example Grow
   * ```ts
   * import assert from "node:assert/strict";
   * import { SharedMemory } from "@ipc/linux/shm";
   *
   * using shm = SharedMemory.create(`doc_resize_${Deno.pid}`, { size: 4, unlinkOnClose: true });
   * shm.bytes.set([1, 2, 3, 4]);
   * shm.resize(8192);
   * assert.equal(shm.size, 8192);
   * assert.deepEqual(shm.read(0, 5), new Uint8Array([1, 2, 3, 4, 0]));
   * ```
   */
  resize(newSize: number): void {
    this.#io.resize(newSize);
  }

  /**
   * Unmap (detaching every view) and close; the creator unlinks the name if
   * `unlinkOnClose` was set. Idempotent.
   */
  close(): void {
    this.#io.close();
  }

  /** Same as {@linkcode SharedMemory.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
