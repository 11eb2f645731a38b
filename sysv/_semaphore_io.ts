// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the system calls on a System V semaphore set: `semtimedop` (one
 * non-blocking attempt, or one short kernel wait with a deadline), the
 * `semctl` commands (through the variadic `union semun` argument), and the
 * checks that guard them.
 *
 * @module
 */
import { lookUntil } from "../_ffi/sleep.ts";
import { backend, libc } from "../_ffi/mod.ts";
import {
  DS_MAX_SIZE,
  GETALL,
  GETVAL,
  IPC_NOWAIT,
  IPC_STAT,
  OFFSETS,
  readLong,
  SEM_UNDO,
  SEMBUF_SIZE,
  SEMVMX,
  SETALL,
  SETVAL,
  writeSembuf,
} from "../_ffi/_sysv_struct.ts";
import { encodeTimespec, TIMESPEC_SIZE } from "../_ffi/struct.ts";
import {
  baseStat,
  closedError,
  integer,
  kernelLimit,
  KIND_NAME,
  statDs,
  sysvError,
  time,
} from "./_common.ts";
import { wide } from "../_ffi/wide.ts";
import type { SemaphoreOperation, SysvSemaphoreStat } from "./types.ts";

const EAGAIN = 11;
const EINTR = 4;
/**
 * SEMOPM, the most operations one semop may carry: the third field of
 * `/proc/sys/kernel/sem` (`SEMMSL SEMMNS SEMOPM SEMMNI`), read once, on
 * first use; 500 (the kernel's default) when it is unreadable or malformed.
 */
export const systemSemaphoreOps: () => number = kernelLimit("sem", 2, 500);

/**
 * How long (ms) an opener that passed `create` but found the set already
 * there waits for its creator to finish initializing it (see
 * {@linkcode waitInitialized}).
 */
export const INIT_WAIT_MS = 100;
/** A set created (or last changed by semctl) more than this many seconds ago is not being initialized. */
const INIT_RECENT_S = 2;

/**
 * Mark set `id`, just created and initialized by this process, as ready
 * (Stevens, UNIX Network Programming vol. 2): one semop on semaphore 0 that
 * leaves its value as it is but sets `sem_otime`, which
 * {@linkcode waitInitialized} waits for (SETALL sets only `sem_ctime`). A
 * wait-for-zero (read permission is enough) when the value is 0, else +1
 * then -1 in one call, or -1 then +1 at SEMVMX; never SEM_UNDO, never
 * blocking. Best effort: false when none applied (a mode without read or
 * write for the owner), and openers then wait their bound.
 */
export function markInitialized(id: number): boolean {
  const sops = new Uint8Array(2 * SEMBUF_SIZE);
  writeSembuf(sops, 0, 0, 0, IPC_NOWAIT);
  if (libc().semtimedop(id, sops.subarray(0, SEMBUF_SIZE), wide(1), null) === 0) return true;
  for (const first of [1, -1]) {
    writeSembuf(sops, 0, 0, first, IPC_NOWAIT);
    writeSembuf(sops, 1, 0, -first, IPC_NOWAIT);
    if (libc().semtimedop(id, sops, wide(2), null) === 0) return true;
  }
  return false;
}

/**
 * Wait until set `id`, which another process created, has had a semop
 * (`sem_otime` ≠ 0: its creator marked it initialized, see
 * {@linkcode markInitialized}), polling IPC_STAT for at most
 * {@linkcode INIT_WAIT_MS} ms, sleeping synchronously in between. It does
 * not wait for a set whose `sem_ctime` (creation, or the last SETALL, SETVAL
 * or IPC_SET) is more than 2 s old: a creator that never calls semop (many
 * C programs) costs its openers the bound only in those first seconds.
 * Returns whether the set was seen initialized; after the bound it is used
 * as it is.
 */
export function waitInitialized(id: number): boolean {
  const ds = new Uint8Array(DS_MAX_SIZE);
  const state = lookUntil(INIT_WAIT_MS, () => {
    // IPC_STAT failing (removed, no read permission): the next call reports it.
    if (semStat(id, IPC_STAT, ds) !== 0) return "gone";
    if (readLong(ds, OFFSETS.sem_otime) !== 0) return "initialized";
    const ctime = readLong(ds, OFFSETS.sem_ctime);
    return Math.floor(Date.now() / 1000) - ctime > INIT_RECENT_S ? "old" : "being made";
  }, (found) => found !== "being made");
  return state === "initialized";
}

/** semctl with an integer (or no) fourth argument. */
export function semctl(id: number, cmd: number, arg: number | null = null): number {
  return libc().semctl(id, 0, cmd, wide(arg ?? 0));
}

/** semctl with a buffer argument (IPC_STAT), as the shared helpers take it. */
export function semStat(id: number, cmd: number, buf: Uint8Array): number {
  return libc().semctl_buf(id, 0, cmd, buf);
}

/** Set (or clear) IPC_NOWAIT on each encoded operation, in place; returns `sops`. */
function nowait(sops: Uint8Array, set: boolean): Uint8Array {
  for (let at = 4; at < sops.length; at += SEMBUF_SIZE) {
    // the flags are a little-endian short; IPC_NOWAIT (0o4000) is in the high byte
    sops[at + 1] = set ? sops[at + 1]! | (IPC_NOWAIT >> 8) : sops[at + 1]! & ~(IPC_NOWAIT >> 8);
  }
  return sops;
}

/** One semaphore set id and the calls on it. */
export class SemaphoreIo {
  readonly id: number;
  readonly count: number;
  readonly object: string;
  closed = false;
  readonly #timeout = new Uint8Array(TIMESPEC_SIZE);
  #timeoutUs = -1;
  /** Where {@linkcode SemaphoreIo.prototype.encode} writes (no allocation per call). */
  #scratch = new Uint8Array(4 * SEMBUF_SIZE);

  constructor(id: number, count: number, object: string) {
    this.id = id;
    this.count = count;
    this.object = object;
  }

  /** Throw BadResource when closed. */
  check(action: string): void {
    if (this.closed) throw closedError("sem", action, this.object);
  }

  /** Check a semaphore index. */
  index(action: string, index: unknown): number {
    return integer(action, "index", index, 0, this.count - 1) ?? 0;
  }

  /**
   * Check operations and encode them as a `struct sembuf` array in a
   * buffer this handle reuses: valid until the next encode (copy it with
   * `slice()` to keep it across an await).
   */
  encode(operations: unknown): Uint8Array {
    this.check("operate on");
    if (!Array.isArray(operations)) {
      throw new TypeError(`Cannot operate: operations must be an array, got ${typeof operations}`);
    }
    const most = systemSemaphoreOps();
    if (operations.length === 0 || operations.length > most) {
      throw new RangeError(
        `Cannot operate: ${operations.length} operations is not from 1 to ${most} ` +
          "(SEMOPM, the third field of /proc/sys/kernel/sem)",
      );
    }
    const size = operations.length * SEMBUF_SIZE;
    if (this.#scratch.length < size) this.#scratch = new Uint8Array(size);
    const out = this.#scratch.subarray(0, size);
    // a plain loop: forEach skips holes, which would leave the previous
    // call's operation in the reused buffer for the kernel to apply
    for (let i = 0; i < operations.length; i++) {
      const op: SemaphoreOperation = operations[i];
      if (op === null || typeof op !== "object") {
        throw new TypeError(`Cannot operate: operation ${i} must be an object, got ${op}`);
      }
      const index = this.index("operate", op.index);
      const delta = integer("operate", "delta", op.delta, -SEMVMX - 1, SEMVMX);
      if (delta === undefined) throw new TypeError(`Cannot operate: operation ${i} has no delta`);
      if (op.undo !== undefined && typeof op.undo !== "boolean") {
        throw new TypeError(`Cannot operate: undo must be a boolean, got ${typeof op.undo}`);
      }
      writeSembuf(out, i, index, delta, IPC_NOWAIT | (op.undo ? SEM_UNDO : 0));
    }
    return out;
  }

  /** One non-blocking semop (IPC_NOWAIT set on each operation, in place); false when it would block. */
  tryOperate(sops: Uint8Array): boolean {
    this.check("operate on");
    const r = libc().semtimedop(this.id, nowait(sops, true), wide(sops.length / SEMBUF_SIZE), null);
    if (r === 0) return true;
    const errno = backend().errno();
    if (errno === EAGAIN || errno === EINTR) return false;
    throw sysvError(errno, "semop", this.object);
  }

  /**
   * One semtimedop that may sleep up to `microseconds` in the kernel
   * (IPC_NOWAIT cleared on each operation, in place); false when it timed
   * out. Operations that can apply now apply at once, as with a try.
   */
  waitBriefly(sops: Uint8Array, microseconds: number): boolean {
    this.check("operate on");
    if (microseconds !== this.#timeoutUs) {
      encodeTimespec(microseconds / 1000, this.#timeout);
      this.#timeoutUs = microseconds;
    }
    const n = wide(sops.length / SEMBUF_SIZE);
    const r = libc().semtimedop(this.id, nowait(sops, false), n, this.#timeout);
    if (r === 0) return true;
    const errno = backend().errno();
    if (errno === EAGAIN || errno === EINTR) return false; // EAGAIN: the timeout passed
    throw sysvError(errno, "semtimedop", this.object);
  }

  /** IPC_STAT, decoded. */
  stat(): SysvSemaphoreStat {
    this.check("stat");
    const ds = statDs(this.id, semStat, "semctl", `${KIND_NAME.sem} ${this.object}`);
    return {
      ...baseStat(ds, this.id, OFFSETS.sem_ctime),
      count: readLong(ds, OFFSETS.sem_nsems),
      lastOperation: time(readLong(ds, OFFSETS.sem_otime)),
    };
  }

  /** GETVAL. */
  getValue(index: number): number {
    this.check("read");
    const r = libc().semctl(this.id, index, GETVAL, wide(0));
    if (r < 0) throw sysvError(backend().errno(), "semctl", this.object);
    return r;
  }

  /** SETVAL (the union's `int val`, passed in the 64-bit argument slot). */
  setValue(index: number, value: unknown): void {
    this.check("set");
    const checked = integer("set", "value", value ?? NaN, 0, SEMVMX)!;
    if (libc().semctl(this.id, index, SETVAL, wide(checked)) < 0) {
      throw sysvError(backend().errno(), "semctl", this.object);
    }
  }

  /** GETALL into an unsigned short array. */
  getAll(): number[] {
    this.check("read");
    const values = new Uint16Array(this.count);
    const bytes = new Uint8Array(values.buffer);
    if (libc().semctl_buf(this.id, 0, GETALL, bytes) < 0) {
      throw sysvError(backend().errno(), "semctl", this.object);
    }
    return [...values];
  }

  /** SETALL from an unsigned short array. */
  setAll(values: unknown): void {
    this.check("set");
    if (!Array.isArray(values) || values.length !== this.count) {
      throw new TypeError(
        `Cannot set ${KIND_NAME.sem} ${this.object}: values must be an array of ${this.count} numbers`,
      );
    }
    const array = new Uint16Array(this.count);
    for (let i = 0; i < values.length; i++) { // not forEach: a hole is an error, not a 0
      array[i] = integer("set", `values[${i}]`, values[i] ?? NaN, 0, SEMVMX)!;
    }
    if (libc().semctl_buf(this.id, 0, SETALL, new Uint8Array(array.buffer)) < 0) {
      throw sysvError(backend().errno(), "semctl", this.object);
    }
  }
}
