// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: creating, attaching and growing a SharedMemory's mapping, and the
 * checks of its arguments (size, mode, options, access ranges), all made
 * before any syscall or memory access.
 *
 * @module
 */
import { checkInteger } from "../_ffi/validate.ts";
import { lookUntil } from "../_ffi/sleep.ts";
import { createMapped, CREATING_MS } from "./_create.ts";
import { Mapping } from "./_mapping.ts";
import {
  backend,
  checkAllowOtherOwner,
  checkMode,
  errnoError,
  errors,
  inspect,
  libc,
} from "../_ffi/mod.ts";
import { closeQuietly, reserve, shmOpen } from "./_object_file.ts";
import type { SharedMemoryCreateOptions, SharedMemoryOpenOptions } from "./types.ts";

const MAX_SIZE = 2 ** 46;

/** Check a size: an integer in `min..2^46`. */
export function checkSize(size: unknown, what: string, min = 1): number {
  return checkInteger(size, what, "size", min, MAX_SIZE);
}

/**
 * Check the options, create the object exclusively, reserve its memory,
 * record this process as owner and map it read-write. The descriptor stays
 * open (the creator may resize); on failure the name is unlinked again.
 */
export function createSharedMapping(
  posix: string,
  options: SharedMemoryCreateOptions,
): { fd: number; mapping: Mapping } {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Cannot create shared memory: options with a size are required");
  }
  const size = checkSize(options.size, "create shared memory", 1);
  const mode = checkMode(options.mode ?? 0o600, "create shared memory");
  return createMapped(posix, mode, size, `shared memory ${JSON.stringify(posix)}`);
}

/** An empty object changed in the last FRESH_MS ms may still be being made (see CREATING_MS). */
const FRESH_MS = 1000;

/**
 * Attach to an existing object and map all of it, read-only if asked. The
 * object must be a regular file owned by this process's effective uid
 * (unless `allowOtherOwner`). Any size is accepted, 0 included (nothing is
 * mapped then; an empty object made in the last second is looked at again
 * for up to {@linkcode CREATING_MS} ms first). The descriptor is closed,
 * unless a process of another uid may write the object (another owner, or
 * group/other write bits): then it is kept as `guardFd` for
 * {@linkcode guardedRead}/{@linkcode guardedWrite}.
 */
export function openSharedMapping(
  posix: string,
  options: SharedMemoryOpenOptions,
): { mapping: Mapping; guardFd: number } {
  const readOnly = options.readOnly ?? false;
  if (typeof readOnly !== "boolean") {
    throw new TypeError("Cannot open shared memory: readOnly must be a boolean");
  }
  const allowOtherOwner = checkAllowOtherOwner(options.allowOtherOwner, "open shared memory");
  const what = `shared memory ${JSON.stringify(posix)}`;
  const fd = shmOpen(posix, false, !readOnly, 0, what);
  try {
    const { size, othersMayWrite } = lookUntil(
      CREATING_MS,
      () => inspect(fd, what, { allowOtherOwner }),
      (found) => found.size > 0 || Date.now() - found.ctimeMs > FRESH_MS,
    );
    const mapping = Mapping.map(fd, size, !readOnly, posix);
    if (othersMayWrite) return { mapping, guardFd: fd };
    closeQuietly(fd); // the mapping outlives the descriptor
    return { mapping, guardFd: -1 };
  } catch (err) {
    closeQuietly(fd);
    throw err;
  }
}

function shrunk(name: string, action: string, offset: number, length: number, got: number): Error {
  return new errors.InvalidData(
    `Cannot ${action} shared memory "${name}": only ${got} of bytes ${offset}+${length} ` +
      "are left (another process shrank the object under this mapping)",
  );
}

/**
 * Copy `target.length` bytes from `offset` through the descriptor (pread),
 * not the mapping: when another process has shrunk the object, this throws
 * InvalidData where touching the lost pages would kill the process (SIGBUS).
 */
export function guardedRead(fd: number, name: string, target: Uint8Array, offset: number): void {
  let done = 0;
  while (done < target.length) {
    const part = done === 0 ? target : target.subarray(done);
    const n = Number(libc().pread(fd, part, BigInt(part.length), BigInt(offset + done)));
    if (n < 0) throw errnoError(backend().errno(), "pread", name);
    if (n === 0) throw shrunk(name, "read", offset, target.length, done);
    done += n;
  }
}

/**
 * Copy `source` to `offset` through the descriptor (pwrite), after checking
 * the object still has those bytes: a write into an object another process
 * shrank throws InvalidData instead of a SIGBUS.
 */
export function guardedWrite(fd: number, name: string, source: Uint8Array, offset: number): void {
  const { size } = inspect(fd, `shared memory ${JSON.stringify(name)}`, { allowOtherOwner: true });
  if (size < offset + source.length) {
    throw shrunk(name, "write", offset, source.length, Math.max(0, size - offset));
  }
  let done = 0;
  while (done < source.length) {
    const part = done === 0 ? source : source.subarray(done);
    const n = Number(libc().pwrite(fd, part, BigInt(part.length), BigInt(offset + done)));
    if (n < 0) throw errnoError(backend().errno(), "pwrite", name);
    done += n;
  }
}

/**
 * Grow the object behind `fd` (creator only) to `newSize` bytes and remap
 * it, unmapping `old`. Returns `old` itself when the size is unchanged.
 * Shrinking is refused: processes that map the tail would crash (SIGBUS).
 */
export function growSharedMapping(
  fd: number,
  old: Mapping,
  newSize: number,
  owner: boolean,
  name: string,
): Mapping {
  const size = checkSize(newSize, "resize shared memory", 1);
  if (!owner) {
    throw new errors.PermissionDenied(
      `Cannot resize shared memory "${name}": only its creator may resize it`,
    );
  }
  if (size < old.length) {
    throw new RangeError(
      `Cannot resize shared memory "${name}" from ${old.length} to ${size} bytes: ` +
        "shrinking would crash processes that map the tail (SIGBUS)",
    );
  }
  if (size === old.length) return old;
  reserve(fd, old.length, size, name);
  const mapping = Mapping.map(fd, size, true, name);
  old.unmap();
  return mapping;
}

/** Throw the RangeError of an access outside `0..size`. */
export function checkRange(
  name: string,
  size: number,
  offset: number,
  length: number,
  action: string,
): void {
  if (
    !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 ||
    length < 0 || offset + length > size
  ) {
    // Not a number, or not a whole one: a TypeError naming it (not a sum of strings).
    checkInteger(offset, `${action} shared memory "${name}"`, "offset", 0, size);
    checkInteger(length, `${action} shared memory "${name}"`, "length", 0, size);
    throw new RangeError(
      `Cannot ${action} shared memory "${name}": range ${offset}+${length} is outside 0..${size}`,
    );
  }
}

/**
 * Checked access to the live bytes of a segment, shared by SharedMemory and
 * the System V segment: each checks the range (and read-only) before touching
 * memory. `name` names the segment in messages.
 */
export const access = {
  /** The live view of a writable attachment; PermissionDenied when read-only. */
  bytes(bytes: Uint8Array, name: string, readOnly: boolean): Uint8Array {
    if (readOnly) {
      throw new errors.PermissionDenied(
        `Cannot get bytes of shared memory "${name}": it is attached read-only ` +
          "(a write would crash the process); use read() or readInto()",
      );
    }
    return bytes;
  },
  /** A copy of `length` bytes (the rest by default) from `offset`. */
  read(bytes: Uint8Array, name: string, offset: number, length?: number): Uint8Array {
    const len = length ?? bytes.length - offset;
    checkRange(name, bytes.length, offset, len, "read");
    return bytes.slice(offset, offset + len);
  },
  /** Fill `target` from `offset`. */
  readInto(bytes: Uint8Array, name: string, target: Uint8Array, offset: number): void {
    if (!(target instanceof Uint8Array)) {
      throw new TypeError("Cannot read shared memory: target must be a Uint8Array");
    }
    checkRange(name, bytes.length, offset, target.length, "read");
    target.set(bytes.subarray(offset, offset + target.length));
  },
  /** Copy `source` in at `offset`; PermissionDenied when read-only. */
  write(bytes: Uint8Array, name: string, source: Uint8Array, offset: number, readOnly: boolean) {
    if (readOnly) {
      throw new errors.PermissionDenied(
        `Cannot write to shared memory "${name}": it is attached read-only`,
      );
    }
    if (!(source instanceof Uint8Array)) {
      throw new TypeError("Cannot write shared memory: source must be a Uint8Array");
    }
    checkRange(name, bytes.length, offset, source.length, "write");
    bytes.set(source, offset);
  },
};
