// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: open, size, map and unmap shared-memory objects; owner records.
 *
 * A mapping is viewed through ONE live ArrayBuffer created at map time. On
 * unmap that ArrayBuffer is detached first (`transfer(0)`), so every typed
 * array a caller still holds becomes empty instead of pointing at unmapped
 * memory: stale access reads `undefined` or throws a TypeError, never
 * crashes the process.
 *
 * @module
 */
import {
  backend,
  check,
  cstring,
  errnoError,
  libc,
  openError,
  type Pointer,
  readTextFile,
} from "../_ffi/mod.ts";
import {
  EINVAL,
  EISDIR,
  ENOENT,
  ESRCH,
  MAP_ANONYMOUS,
  MAP_FAILED,
  MAP_FIXED,
  MAP_PRIVATE,
  MAP_SHARED,
  O_CLOEXEC,
  O_CREAT,
  O_EXCL,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  PROT_READ,
  PROT_WRITE,
} from "../_ffi/constants.ts";
import { decodeStat, STAT_SIZE } from "../_ffi/struct.ts";

/** Where Linux keeps POSIX shared memory and named semaphores. */
export const SHM_DIR = "/dev/shm";
/** The extended attribute that records which process owns an object. */
export const OWNER_XATTR = "user.ipc_linux.owner";

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

/** Record this process as the owner of an open object (best effort). */
export function recordOwnerFd(fd: number): void {
  const value = cstring(String(libc().getpid()));
  libc().fsetxattr(fd, cstring(OWNER_XATTR), value, BigInt(value.length - 1), 0);
}

/** Record this process as the owner of a file by path (best effort). */
export function recordOwnerPath(path: string): void {
  const value = cstring(String(libc().getpid()));
  libc().setxattr(cstring(path), cstring(OWNER_XATTR), value, BigInt(value.length - 1), 0);
}

/** The owner pid recorded on a file, or undefined when none is recorded. */
export function readOwner(path: string): number | undefined {
  const out = new Uint8Array(32);
  const n = Number(libc().getxattr(cstring(path), cstring(OWNER_XATTR), out, 32n));
  if (n <= 0) return undefined;
  const pid = Number(new TextDecoder().decode(out.subarray(0, n)));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Whether a process is alive: it exists (kill(pid, 0); EPERM still means it
 * exists) and is not a zombie, which has exited and only waits for its parent
 * to reap it (a peer whose parent never waits for it must still count as gone).
 */
export function pidAlive(pid: number): boolean {
  if (pid <= 0) return false;
  if (libc().kill(pid, 0) !== 0 && backend().errno() === ESRCH) return false;
  try {
    // /proc/<pid>/stat: "pid (comm) S …", the state after the last ")".
    const stat = readTextFile(`/proc/${pid}/stat`);
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    // Gone between the two looks, or /proc hides it (hidepid): ask kill again.
    return libc().kill(pid, 0) === 0 || backend().errno() !== ESRCH;
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
 * open until a writer came.
 */
export function openToLook(path: string): number {
  return libc().open(cstring(path), O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
}

/** The device and inode of an open descriptor, as a string (undefined when fstat fails). */
export function fdId(fd: number): string | undefined {
  const st = new Uint8Array(STAT_SIZE);
  return libc().fstat(fd, st) === 0 ? decodeStat(st).id : undefined;
}

/**
 * The identity (device and inode) of the file at `path`: undefined when it
 * is gone, or `null` when it cannot be opened to look (its mode forbids it).
 */
export function fileId(path: string): string | null | undefined {
  const fd = openToLook(path);
  if (fd < 0) return backend().errno() === ENOENT ? undefined : null;
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
