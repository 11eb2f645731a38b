// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: anonymous shared memory (`memfd_create`) that can be passed over
 * a Unix socket, and the checks of a descriptor received from a peer before
 * it is mapped: a regular file (memfds are), large enough, and sealed
 * against shrinking so the peer cannot make this process crash with SIGBUS.
 *
 * @module
 */
import { backend, check, cstring, errnoError, errors, inspect } from "../_ffi/mod.ts";
import { socketLib } from "../_ffi/socket.ts";
import {
  F_ADD_SEALS,
  F_GET_SEALS,
  F_SEAL_SHRINK,
  F_SEAL_WRITE,
  MFD_ALLOW_SEALING,
  MFD_CLOEXEC,
} from "../_ffi/_socket_struct.ts";
import { Mapping } from "./_mapping.ts";
import { closeQuietly, reserve } from "./_object_file.ts";

/** Writes through new shared writable mappings are sealed off (Linux 5.1): mmap(PROT_WRITE) is EPERM. */
const F_SEAL_FUTURE_WRITE = 0x10;
const F_GETFL = 3;
const O_ACCMODE = 3;
const O_RDWR = 2;
const EINVAL = 22;

/** Options of anonymous shared memory. */
export interface AnonymousOptions {
  /**
   * Seal the memory against shrinking (`F_SEAL_SHRINK`), so no process it is
   * passed to can be made to crash with SIGBUS by a truncation. It can still
   * grow. @default {true}
   */
  seal?: boolean;
}

/** Options for attaching memory received as a descriptor. */
export interface FromFdOptions {
  /** Map it read-only even if the descriptor allows writing. @default {false} */
  readOnly?: boolean;
  /**
   * Refuse memory that is not sealed against shrinking (`F_SEAL_SHRINK`):
   * whoever can truncate it could make this process crash (SIGBUS). Set to
   * false to accept an unsealed memfd or a regular file you trust.
   * @default {true}
   */
  requireSeal?: boolean;
  /** The least size in bytes the memory must have. @default {1} */
  minSize?: number;
}

/**
 * Create a memfd of `size` bytes (reserved, so a full tmpfs fails now with
 * ENOSPC, not later with SIGBUS), sealed against shrinking unless told not
 * to. Returns the descriptor (close-on-exec).
 */
export function createMemfd(size: number, options: AnonymousOptions, what: string): number {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Cannot ${what}: options must be an object`);
  }
  const seal = options.seal ?? true;
  if (typeof seal !== "boolean") throw new TypeError(`Cannot ${what}: seal must be a boolean`);
  const lib = socketLib();
  const fd = check(
    lib.memfd_create(cstring("ipc-linux"), MFD_CLOEXEC | MFD_ALLOW_SEALING),
    "memfd_create",
  );
  try {
    reserve(fd, 0, size, "memfd");
    if (seal) check(lib.fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK), "fcntl", "F_ADD_SEALS");
    return fd;
  } catch (err) {
    closeQuietly(fd);
    throw err;
  }
}

/** The seals of `fd` (0 for a file that cannot be sealed). */
export function sealsOf(fd: number): number {
  const seals = socketLib().fcntl(fd, F_GET_SEALS, 0);
  if (seals >= 0) return seals;
  const errno = backend().errno();
  if (errno === EINVAL) return 0; // not a memfd (or a file system without seals)
  throw errnoError(errno, "fcntl", "F_GET_SEALS");
}

/**
 * Check a descriptor received from a peer and map it (`size` from fstat).
 * The descriptor stays open and is not closed on failure.
 *
 * @throws {Deno.errors.InvalidData} When it is not a regular file, too small, or not sealed.
 */
export function mapReceivedFd(
  fd: number,
  options: FromFdOptions,
  what: string,
): { mapping: Mapping; writable: boolean } {
  const { size, writable } = checkReceivedFd(fd, options, what);
  return { mapping: Mapping.map(fd, size, writable, `fd ${fd}`), writable };
}

/**
 * Check a descriptor received from a peer: a regular file (memfds are) of at
 * least `minSize` bytes, sealed against shrinking unless `requireSeal` is
 * false. Returns its size and whether it may be mapped writable.
 *
 * @throws {Deno.errors.InvalidData} When it is not acceptable memory.
 */
export function checkReceivedFd(
  fd: number,
  options: FromFdOptions,
  what: string,
): { size: number; writable: boolean } {
  if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) {
    throw new TypeError(`Cannot ${what}: ${String(fd)} is not a descriptor`);
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Cannot ${what}: options must be an object`);
  }
  const { readOnly = false, requireSeal = true, minSize = 1 } = options;
  if (typeof readOnly !== "boolean" || typeof requireSeal !== "boolean") {
    throw new TypeError(`Cannot ${what}: readOnly and requireSeal must be booleans`);
  }
  if (!Number.isSafeInteger(minSize) || minSize < 1) {
    throw new RangeError(`Cannot ${what}: minSize ${minSize} is not a positive integer`);
  }
  // Passing the descriptor is the trust: its owner may be another user.
  const { size } = inspect(fd, `fd ${fd}`, { minSize, allowOtherOwner: true });
  const bad = (why: string) => new errors.InvalidData(`Cannot ${what} from fd ${fd}: ${why}`);
  const seals = sealsOf(fd);
  if (requireSeal && (seals & F_SEAL_SHRINK) === 0) {
    throw bad(
      "it is not sealed against shrinking (F_SEAL_SHRINK): its sender could crash this " +
        "process (SIGBUS); pass requireSeal: false to trust it",
    );
  }
  const access = check(socketLib().fcntl(fd, F_GETFL, 0), "fcntl", fd) & O_ACCMODE;
  const writable = !readOnly && access === O_RDWR &&
    (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) === 0;
  return { size, writable };
}
