// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: one attachment of a shared-memory object, behind `SharedMemory`:
 * its descriptor and mapping, the checked copies in and out (through the
 * descriptor where other uids may write the object), growth, and close.
 *
 * @module
 */
import { errors } from "../_ffi/mod.ts";
import type { Mapping } from "./_mapping.ts";
import { closeQuietly, fdId, unlinkIfSame } from "./_object_file.ts";
import {
  access,
  checkRange,
  growSharedMapping,
  guardedRead,
  guardedWrite,
} from "./_shared_memory_setup.ts";

/** A mapped object and what this process may do with it; closed once. */
export class SharedMemoryIo {
  /** The name, with its leading `/` (empty for anonymous memory). */
  readonly name: string;
  /** Whether this attachment is read-only. */
  readonly readOnly: boolean;
  /** Whether this process created the object (and may resize it). */
  readonly owner: boolean;
  #fd: number;
  #mapping: Mapping;
  #bytes: Uint8Array;
  readonly #unlinkOnClose: boolean;
  #closed = false;
  /** An attacher whose object other uids may write: copies go through the descriptor. */
  readonly #guarded: boolean;

  constructor(
    name: string,
    fd: number,
    mapping: Mapping,
    readOnly: boolean,
    owner: boolean,
    unlinkOnClose: boolean,
  ) {
    this.name = name;
    this.#fd = fd;
    this.#mapping = mapping;
    this.#bytes = new Uint8Array(mapping.buffer);
    this.readOnly = readOnly;
    this.owner = owner;
    this.#unlinkOnClose = unlinkOnClose;
    this.#guarded = !owner && fd >= 0;
  }

  /** Whether {@linkcode SharedMemoryIo.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The mapped size in bytes (0 after close). */
  get size(): number {
    return this.#closed ? 0 : this.#mapping.length;
  }

  /** The descriptor still held; BadResource when closed or attached by name. */
  get fd(): number {
    if (this.#closed || this.#fd < 0) {
      throw new errors.BadResource(
        `Cannot get the descriptor of shared memory "${this.name}": it is closed or opened by name`,
      );
    }
    return this.#fd;
  }

  /** The live bytes; BadResource after close, PermissionDenied when read-only. */
  get bytes(): Uint8Array {
    this.#check("get bytes of");
    return access.bytes(this.#bytes, this.name, this.readOnly);
  }

  /** A copy of `length` bytes (the rest by default) from `offset`. */
  read(offset: number, length: number | undefined): Uint8Array {
    this.#check("read");
    const len = length ?? this.#mapping.length - offset;
    checkRange(this.name, this.#mapping.length, offset, len, "read");
    if (!this.#guarded) return this.#bytes.slice(offset, offset + len);
    const out = new Uint8Array(len);
    guardedRead(this.#fd, this.name, out, offset);
    return out;
  }

  /** Fill `target` from `offset`. */
  readInto(target: Uint8Array, offset: number): void {
    this.#check("read");
    if (!(target instanceof Uint8Array)) {
      throw new TypeError("Cannot read shared memory: target must be a Uint8Array");
    }
    checkRange(this.name, this.#mapping.length, offset, target.length, "read");
    if (target.length === 0) return; // also a detached buffer: nothing to copy
    if (this.#guarded) guardedRead(this.#fd, this.name, target, offset);
    else target.set(this.#bytes.subarray(offset, offset + target.length));
  }

  /** Copy `source` in at `offset`; PermissionDenied when read-only. */
  write(source: Uint8Array, offset: number): void {
    this.#check("write");
    if (this.readOnly) {
      throw new errors.PermissionDenied(
        `Cannot write to shared memory "${this.name}": it is attached read-only`,
      );
    }
    if (!(source instanceof Uint8Array)) {
      throw new TypeError("Cannot write shared memory: source must be a Uint8Array");
    }
    checkRange(this.name, this.#mapping.length, offset, source.length, "write");
    if (source.length === 0) return; // also a detached buffer: nothing to copy
    if (this.#guarded) guardedWrite(this.#fd, this.name, source, offset);
    else this.#bytes.set(source, offset);
  }

  /** Grow (the owner only) or keep the size; a new mapping detaches the old views. */
  resize(newSize: number): void {
    this.#check("resize");
    const mapping = growSharedMapping(this.#fd, this.#mapping, newSize, this.owner, this.name);
    if (mapping === this.#mapping) return; // same size: `bytes` stays the same object
    this.#mapping = mapping;
    this.#bytes = new Uint8Array(mapping.buffer);
  }

  /** Unmap, unlink where the owner asked to, close the descriptor; once. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#mapping.unmap();
    if (this.owner && this.#unlinkOnClose) unlinkIfSame(this.name, fdId(this.#fd));
    closeQuietly(this.#fd);
    this.#fd = -1;
  }

  #check(action: string): void {
    if (this.#closed) {
      throw new errors.BadResource(
        `Cannot ${action} shared memory "${this.name}": it is closed`,
      );
    }
  }
}
