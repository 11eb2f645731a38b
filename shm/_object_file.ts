// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the object file behind a shared-memory name in /dev/shm: open,
 * look at, size, compare and unlink it.
 *
 * @module
 */
import { backend, check, cstring, errnoError, libc, openError } from "../_ffi/mod.ts";
import {
  EINVAL,
  EISDIR,
  ELOOP,
  ENOENT,
  O_CLOEXEC,
  O_CREAT,
  O_EXCL,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
} from "../_ffi/constants.ts";
import { decodeStat, STAT_SIZE } from "../_ffi/struct.ts";

/** Where Linux keeps POSIX shared memory and named semaphores. */
export const SHM_DIR = "/dev/shm";

/**
 * Open (or exclusively create) a POSIX shared memory object. O_NONBLOCK: a
 * FIFO someone left in /dev/shm would otherwise block the open until a
 * writer came ({@linkcode inspect} then refuses it). O_NOFOLLOW: a symbolic
 * link in its place is refused. `what` names the object in errors
 * (`channel "/events"`).
 */
export function shmOpen(
  name: string,
  create: boolean,
  writable: boolean,
  mode: number,
  what: string,
): number {
  const flags = (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW |
    (create ? O_CREAT | O_EXCL : 0);
  const fd = libc().shm_open(cstring(name), flags, mode);
  if (fd < 0) {
    // glibc's shm_open reports a directory (EISDIR) as EINVAL; the name itself was checked.
    const errno = backend().errno();
    throw openError(errno === EINVAL ? EISDIR : errno, "shm_open", name, what);
  }
  return fd;
}

/** The size, mode and owner of an open descriptor. */
export function fstat(fd: number, object: string): { size: number; mode: number; uid: number } {
  const st = new Uint8Array(STAT_SIZE);
  check(libc().fstat(fd, st), "fstat", object);
  return decodeStat(st);
}

/**
 * Give an open object `size` bytes and reserve them, so a full /dev/shm
 * fails now with ENOSPC instead of a SIGBUS on first touch. On failure the
 * object gets its old size `from` back, so nobody maps unreserved memory.
 */
export function reserve(fd: number, from: number, size: number, object: string): void {
  check(libc().ftruncate(fd, BigInt(size)), "ftruncate", object);
  if (size > from) {
    const err = libc().posix_fallocate(fd, BigInt(from), BigInt(size - from));
    if (err !== 0) {
      libc().ftruncate(fd, BigInt(from));
      throw errnoError(err, "posix_fallocate", object, `could not reserve ${size} bytes`);
    }
  }
}

/** Close a descriptor, ignoring errors (cleanup paths). */
export function closeQuietly(fd: number): void {
  if (fd >= 0) libc().close(fd);
}

/** Unlink a shared-memory name, with the errno error on failure. */
export function shmUnlink(name: string): void {
  check(libc().shm_unlink(cstring(name)), "shm_unlink", name);
}

/**
 * Open a file in /dev/shm read-only to look at it; -1 (errno set) on
 * failure. O_NONBLOCK: a FIFO someone left there would otherwise block the
 * open until a writer came. O_NOFOLLOW: a symbolic link (which no POSIX
 * object is) fails with ELOOP instead of opening what it points to, which
 * may be a device whose mere open does something (a watchdog, a serial
 * line), or another file to pass off as an object.
 */
export function openToLook(path: string): number {
  return libc().open(cstring(path), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW, 0);
}

/** The device and inode of an open descriptor, as a string (undefined when fstat fails). */
export function fdId(fd: number): string | undefined {
  const st = new Uint8Array(STAT_SIZE);
  return libc().fstat(fd, st) === 0 ? decodeStat(st).id : undefined;
}

/**
 * The identity (device and inode) of the file at `path`: undefined when it
 * is gone, `null` when it cannot be opened to look (its mode forbids it),
 * `"symbolic link"` for one (never the identity of an object).
 */
export function fileId(path: string): string | null | undefined {
  const fd = openToLook(path);
  if (fd < 0) {
    const errno = backend().errno();
    if (errno === ELOOP) return "symbolic link"; // not an object, so not the one we made
    return errno === ENOENT ? undefined : null;
  }
  try {
    return fdId(fd);
  } finally {
    closeQuietly(fd);
  }
}

/**
 * Whether `path` still names the object whose identity was `id` (from
 * {@linkcode fileId} or {@linkcode fdId}): another process may have unlinked
 * it and created a new object under that name, which is not ours to remove.
 * False when the name is gone or names another file; true when either
 * identity could not be read (the caller then unlinks as before).
 */
export function stillNames(path: string, id: string | null | undefined): boolean {
  const now = fileId(path);
  if (now === undefined) return false;
  return now === null || id === null || id === undefined || now === id;
}

/** Unlink the shared-memory `name` if it still names the object `id` ({@linkcode stillNames}). */
export function unlinkIfSame(name: string, id: string | null | undefined): void {
  if (stillNames(`${SHM_DIR}${name}`, id)) unlinkQuietly(name);
}

/** Unlink a shared-memory name, ignoring errors (cleanup paths: it may be gone already). */
export function unlinkQuietly(name: string): void {
  try {
    shmUnlink(name);
  } catch {
    // already gone
  }
}
