// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: opening a named semaphore: the checks of its initial value and
 * mode, `sem_open` with create and exclusive semantics, and the owner record
 * of a semaphore this process creates.
 *
 * @module
 */
import { backend, cstring, errnoError, libc, type Pointer } from "../_ffi/mod.ts";
import { EEXIST, O_CREAT, O_EXCL } from "../_ffi/constants.ts";
import { checkMode, recordOwnerPath, SHM_DIR } from "./_mapping.ts";
import type { SemaphoreOpenOptions } from "./types.ts";

const SEM_VALUE_MAX = 0x7fffffff;

/**
 * Check the options, then open the semaphore `posix`, creating it first when
 * `create` is set (an existing one is opened, unless `exclusive`).
 */
export function semOpen(
  posix: string,
  options: SemaphoreOpenOptions,
): { sem: Pointer; created: boolean } {
  const value = options.value ?? 0;
  const mode = checkMode(options.mode ?? 0o600, `open semaphore ${JSON.stringify(posix)}`);
  if (typeof value !== "number") {
    throw new TypeError(
      `Cannot open semaphore ${JSON.stringify(posix)}: value must be a number, got ${typeof value}`,
    );
  }
  if (!Number.isInteger(value) || value < 0 || value > SEM_VALUE_MAX) {
    throw new RangeError(
      `Cannot open semaphore ${
        JSON.stringify(posix)
      }: value ${value} is not in 0..${SEM_VALUE_MAX}`,
    );
  }
  const lib = libc();
  const cname = cstring(posix);
  let created = false;
  let sem: Pointer = null;
  if (options.create) {
    sem = lib.sem_open(cname, O_CREAT | O_EXCL, mode, value);
    if (sem !== null) created = true;
    else {
      const errno = backend().errno();
      if (errno !== EEXIST || options.exclusive) throw errnoError(errno, "sem_open", posix);
    }
  }
  if (sem === null) {
    sem = lib.sem_open(cname, 0, 0, 0);
    if (sem === null) throw errnoError(backend().errno(), "sem_open", posix);
  }
  if (created) recordOwnerPath(`${SHM_DIR}/sem.${posix.slice(1)}`);
  return { sem, created };
}
