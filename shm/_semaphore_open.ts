// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: opening a named semaphore: the checks of its initial value and
 * mode, `sem_open` with create and exclusive semantics, and the owner record
 * of a semaphore this process creates.
 *
 * An EXISTING semaphore is not opened with `sem_open`, which maps whatever
 * file holds the name (a 0-byte file someone else put there kills the
 * process with SIGBUS on first use; garbage aborts it in the futex code).
 * It is opened here instead: O_NOFOLLOW, then fstat on that descriptor (a
 * regular file of at least `sizeof(sem_t)` bytes, owned by this process's
 * effective uid unless `allowOtherOwner`), then its words are read and
 * checked against glibc's layout, and only then is that same descriptor
 * mapped, exactly as `sem_open` would (so C and Python peers interoperate).
 *
 * @module
 */
import {
  backend,
  checkAllowOtherOwner,
  checkMode,
  cstring,
  errnoError,
  errors,
  inspect,
  libc,
  openError,
  type Pointer,
} from "../_ffi/mod.ts";
import {
  EEXIST,
  MAP_FAILED,
  MAP_SHARED,
  O_CLOEXEC,
  O_CREAT,
  O_EXCL,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_RDWR,
  PROT_READ,
  PROT_WRITE,
} from "../_ffi/constants.ts";
import { SHM_DIR } from "./_object_file.ts";
import { checkInteger } from "../_ffi/validate.ts";
import { recordOwnerPath } from "./_owner.ts";
import type { SemaphoreOpenOptions } from "./types.ts";

const SEM_VALUE_MAX = 0x7fffffff;
/** `sizeof(sem_t)` on 64-bit glibc: the size of the file `sem_open` creates. */
const SEM_SIZE = 32;
/**
 * glibc's `struct new_sem` (64-bit): u32 value at 0, u32 waiter count at 4,
 * i32 `private` at 8, which a process-shared semaphore holds as FUTEX_SHARED.
 */
const PRIVATE_AT = 8;
const FUTEX_SHARED = 128;
/** How often a create races with another process's unlink before giving up. */
const ATTEMPTS = 4;

/** An open semaphore: the `sem_t *`, and how to let it go. */
export interface OpenedSemaphore {
  sem: Pointer;
  /** Whether this call created it. */
  created: boolean;
  /** Whether it was mapped here (munmap to close), not by `sem_open` (sem_close). */
  mapped: boolean;
}

/**
 * The words of an open semaphore's `sem_t` (a view of its shared memory,
 * used only while it is open).
 */
export function semWords(sem: Pointer): Int32Array {
  return new Int32Array(backend().view(sem, SEM_SIZE));
}

/**
 * Throw InvalidData when the `sem_t` no longer holds a process-shared
 * semaphore: glibc passes its `private` word into the futex call, and a
 * futex error it does not expect aborts the process ("The futex facility
 * returned an unexpected error code"). Any process that may write the file
 * can put anything there; checked before each call into glibc.
 */
export function checkSemWords(words: Int32Array, action: string, name: string): void {
  if (semShared(words)) return;
  const shared = Atomics.load(words, PRIVATE_AT >> 2);
  throw new errors.InvalidData(
    `Cannot ${action} semaphore "${name}": another process overwrote its memory (word at byte ${PRIVATE_AT} is ${shared}, not ${FUTEX_SHARED}); glibc would abort this process`,
  );
}

/** Whether the `sem_t` still holds a process-shared semaphore (see {@linkcode checkSemWords}). */
export function semShared(words: Int32Array): boolean {
  return Atomics.load(words, PRIVATE_AT >> 2) === FUTEX_SHARED;
}

/** The file behind the semaphore `posix` ("/name"). */
export function semPath(posix: string): string {
  return `${SHM_DIR}/sem.${posix.slice(1)}`;
}

/** Let an opened semaphore go: `sem_close`, or munmap for one mapped here. */
export function closeSemaphore(sem: Pointer, mapped: boolean): void {
  if (mapped) libc().munmap(sem, BigInt(SEM_SIZE));
  else libc().sem_close(sem);
}

/**
 * Check the options, then open the semaphore `posix`, creating it first when
 * `create` is set (an existing one is opened, and checked, unless `exclusive`).
 */
export function semOpen(posix: string, options: SemaphoreOpenOptions): OpenedSemaphore {
  const what = `semaphore ${JSON.stringify(posix)}`;
  const value = options.value ?? 0;
  const mode = checkMode(options.mode ?? 0o600, `open ${what}`);
  checkInteger(value, `open ${what}`, "value", 0, SEM_VALUE_MAX);
  const allowOtherOwner = checkAllowOtherOwner(options.allowOtherOwner, `open ${what}`);
  if (!options.create) {
    return { sem: mapExisting(posix, what, allowOtherOwner), created: false, mapped: true };
  }
  const lib = libc();
  for (let attempt = 1;; attempt++) {
    const sem = lib.sem_open(cstring(posix), O_CREAT | O_EXCL, mode, value);
    if (sem !== null) {
      recordOwnerPath(semPath(posix));
      return { sem, created: true, mapped: false };
    }
    const errno = backend().errno();
    if (errno !== EEXIST || options.exclusive) throw errnoError(errno, "sem_open", posix);
    try {
      return { sem: mapExisting(posix, what, allowOtherOwner), created: false, mapped: true };
    } catch (err) {
      // Unlinked between the two calls: create it after all.
      if (!(err instanceof errors.NotFound) || attempt === ATTEMPTS) throw err;
    }
  }
}

/** Open, check and map an existing semaphore (see the module doc). */
function mapExisting(posix: string, what: string, allowOtherOwner: boolean): Pointer {
  const lib = libc();
  const path = cstring(semPath(posix));
  const fd = lib.open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0) throw openError(backend().errno(), "sem_open", posix, what);
  try {
    inspect(fd, what, { minSize: SEM_SIZE, allowOtherOwner });
    const words = new Uint8Array(SEM_SIZE);
    const n = Number(lib.read(fd, words, BigInt(SEM_SIZE)));
    const view = new DataView(words.buffer);
    const bad = (why: string) => new errors.InvalidData(`Cannot open ${what}: ${why}`);
    if (n !== SEM_SIZE) throw bad(`only ${n} of its ${SEM_SIZE} bytes could be read`);
    const value = view.getUint32(0, true);
    if (value > SEM_VALUE_MAX) throw bad(`its value ${value} is over ${SEM_VALUE_MAX}`);
    const shared = view.getInt32(PRIVATE_AT, true);
    if (shared !== FUTEX_SHARED) {
      throw bad(
        `it is not a process-shared semaphore (word at byte ${PRIVATE_AT} is ${shared}, not ${FUTEX_SHARED})`,
      );
    }
    const sem = lib.mmap(null, BigInt(SEM_SIZE), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0n);
    if (backend().address(sem) === MAP_FAILED) throw errnoError(backend().errno(), "mmap", posix);
    return sem;
  } finally {
    lib.close(fd);
  }
}
