// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode SysvSemaphoreSet}: a System V semaphore set (`semget(2)`).
 *
 * @module
 */
import { KIND_NAME, removeObject } from "./_common.ts";
import { type OpenedSet, openSet, openSetById } from "./_semaphore_open.ts";
import { type SemaphoreIo, semctl } from "./_semaphore_io.ts";
import { SemaphoreCalls } from "./_semaphore_calls.ts";
import type {
  SemaphoreOperation,
  SysvOperateOptions,
  SysvSemaphoreOptions,
  SysvSemaphoreStat,
  SysvWaitOptions,
} from "./types.ts";

/**
 * A System V semaphore set: an array of counters in the kernel, changed by
 * atomic groups of operations (`semop`) that either all apply or all wait.
 * Shared by key with C (`semop`), Python (`sysv_ipc.Semaphore`, one
 * semaphore per set) and any other program.
 *
 * An operation with `undo: true` (`SEM_UNDO`) is reverted by the kernel
 * when this process exits, however it exits, so a lock taken with it is
 * released even by a crash or `kill -9`.
 *
 * Waiting costs: every attempt is a `semtimedop` on the main thread. One
 * that would block retries for `spin` µs (0 by default), then sleeps in
 * `semtimedop` slices of at most `syncWait` µs (a post wakes it at once, as
 * it wakes a blocked C program) with event-loop turns in between for the
 * first 2 ms, then retries on timers up to `pollInterval` ms apart:
 * no thread is parked per waiter, the event loop is held at most `syncWait`
 * µs at a time, and a post during a long wait is seen up to `pollInterval`
 * ms late.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @example A lock released by process exit
 * ```ts
 * import assert from "node:assert/strict";
 * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
 *
 * using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1, value: 1 });
 * await set.operate([{ delta: -1, undo: true }]); // take the lock
 * assert.equal(set.getValue(0), 0);
 * assert.equal(set.tryOperate([{ delta: -1 }]), false); // held
 * await set.operate([{ delta: 1, undo: true }]); // give it back
 * assert.equal(set.getValue(0), 1);
 * set.remove();
 * ```
 */
export class SysvSemaphoreSet implements Disposable {
  readonly #io: SemaphoreIo;
  readonly #key: number;
  readonly #created: boolean;
  readonly #calls: SemaphoreCalls;

  private constructor(opened: OpenedSet) {
    this.#io = opened.io;
    this.#key = opened.key;
    this.#created = opened.created;
    this.#calls = new SemaphoreCalls(opened);
  }

  /**
   * Open (and optionally create) the semaphore set of `key`. A set this call
   * creates gets `count` semaphores, each set to `value` before this returns.
   *
   * System V creates a set at 0 and sets the values after, so another
   * process could open it in between and see zeros. As in UNIX Network
   * Programming (Stevens, vol. 2): a set this call creates under a key
   * (not {@linkcode IPC_PRIVATE}) is then marked initialized by one `semop`
   * that changes no value (so its `stat().lastOperation` is set at once),
   * and a call with `create` that finds the set already there waits until
   * it is marked (its `sem_otime` is set), polling for at most 100 ms,
   * synchronously. After that it uses the set as it is: a set a program
   * made without ever calling `semop` (many C programs, Python's
   * `sysv_ipc`) costs such an open the 100 ms until someone operates on
   * it, though only while the set's last change by `semctl` (its creation,
   * a SETALL) is at most 2 s old. An open without `create` never waits.
   *
   * @param key A key from {@linkcode ftok}, any 32-bit number, or
   *   {@linkcode IPC_PRIVATE} for a new set reachable only by its id.
   * @param options Count, initial value, create / exclusive, mode, waiting;
   *   see {@linkcode SysvSemaphoreOptions}.
   * @returns The set; close it (or `using` it) when done.
   * @throws {TypeError} When the key or an option has the wrong shape, or
   *   `count` is missing for a set this call may create.
   * @throws {RangeError} When the key, mode, count or value is out of range.
   * @throws {Deno.errors.NotFound} When the key has no set and `create` is not set.
   * @throws {Deno.errors.AlreadyExists} When `exclusive` is set and the key has a set.
   * @throws {Deno.errors.PermissionDenied} When the mode forbids access, or the
   *   set is owned by another user and `allowOtherOwner` is not set.
   *
   * @example Two semaphores changed in one atomic step
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
   *
   * using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 2, value: 1 });
   * assert.equal(set.tryOperate([{ index: 0, delta: -1 }, { index: 1, delta: -2 }]), false);
   * assert.deepEqual(set.getAll(), [1, 1]); // all or nothing
   * assert.equal(set.tryOperate([{ index: 0, delta: -1 }, { index: 1, delta: 4 }]), true);
   * assert.deepEqual(set.getAll(), [0, 5]);
   * set.remove();
   * ```
   */
  static open(key: number, options: SysvSemaphoreOptions = {}): SysvSemaphoreSet {
    return new SysvSemaphoreSet(openSet(key, options));
  }

  /**
   * Open a semaphore set by its id (as another process or `ipcs -s`
   * reports it), e.g. one made with {@linkcode IPC_PRIVATE}.
   *
   * @param id The set's id.
   * @param options Whether another user's set is acceptable, and how to wait.
   * @returns The set.
   * @throws {Deno.errors.PermissionDenied} When it belongs to another user
   *   (without `allowOtherOwner`) or its mode forbids reading it.
   * @throws {OsError} EINVAL when no set has that id.
   *
   * @example Open by id
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
   *
   * using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 3 });
   * using same = SysvSemaphoreSet.openById(set.id);
   * assert.equal(same.count, 3);
   * set.remove();
   * ```
   */
  static openById(
    id: number,
    options: SysvWaitOptions & { allowOtherOwner?: boolean } = {},
  ): SysvSemaphoreSet {
    return new SysvSemaphoreSet(openSetById(id, options));
  }

  /** The set's id (what `ipcs -s` shows as semid). */
  get id(): number {
    return this.#io.id;
  }

  /** The key it was opened with (0 for {@linkcode IPC_PRIVATE}). */
  get key(): number {
    return this.#key;
  }

  /** Number of semaphores in the set. */
  get count(): number {
    return this.#io.count;
  }

  /** Whether this call created the set. */
  get created(): boolean {
    return this.#created;
  }

  /** Whether {@linkcode SysvSemaphoreSet.prototype.close} has been called. */
  get closed(): boolean {
    return this.#io.closed;
  }

  /**
   * Apply several operations atomically (`semop`), waiting until all can
   * apply. See the class description for what waiting costs.
   *
   * @param operations The operations: which semaphore, the change, and `undo`.
   * @param options A signal to stop waiting (nothing is applied then);
   *   timeouts are `AbortSignal.timeout(ms)`.
   * @returns A promise that resolves once every operation applied.
   * @throws {TypeError} When an operation has the wrong shape.
   * @throws {RangeError} When an index or delta is out of range.
   * @throws {Deno.errors.BadResource} When the handle is closed (also while waiting).
   *
   * @example Wait with a timeout
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
   *
   * using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1 });
   * await assert.rejects(
   *   set.operate([{ delta: -1 }], { signal: AbortSignal.timeout(30) }),
   *   (err: Error) => err.name === "TimeoutError",
   * );
   * setTimeout(() => set.setValue(0, 1), 10);
   * await set.operate([{ delta: -1 }], { signal: AbortSignal.timeout(5000) });
   * assert.equal(set.getValue(0), 0);
   * set.remove();
   * ```
   */
  operate(operations: SemaphoreOperation[], options?: SysvOperateOptions): Promise<void> {
    return this.#calls.operate(operations, options);
  }

  /**
   * Apply several operations atomically if they can all apply now.
   *
   * @param operations The operations.
   * @returns `true` if applied, `false` if one would have to wait (none applied).
   * @throws {TypeError} When an operation has the wrong shape.
   * @throws {RangeError} When an index or delta is out of range.
   * @throws {Deno.errors.BadResource} When the handle is closed.
   *
   * @example Try to take a lock
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
   *
   * using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1, value: 1 });
   * assert.equal(set.tryOperate([{ delta: -1 }]), true);
   * assert.equal(set.tryOperate([{ delta: -1 }]), false);
   * set.remove();
   * ```
   */
  tryOperate(operations: SemaphoreOperation[]): boolean {
    return this.#io.tryOperate(this.#io.encode(operations));
  }

  /**
   * One semaphore's value (`GETVAL`).
   *
   * @param index Which semaphore.
   * @returns Its value.
   * @throws {RangeError} When the index is out of range.
   *
   * @example Read a value
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
   *
   * using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 2, value: 3 });
   * assert.equal(set.getValue(1), 3);
   * set.remove();
   * ```
   */
  getValue(index: number): number {
    return this.#io.getValue(this.#io.index("read", index));
  }

  /**
   * Set one semaphore's value (`SETVAL`); clears every process's undo
   * record for it.
   *
   * @param index Which semaphore.
   * @param value The new value, 0 … 32767.
   * @throws {RangeError} When the index or value is out of range.
   *
   * @example Set a value
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
   *
   * using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1 });
   * set.setValue(0, 7);
   * assert.equal(set.getValue(0), 7);
   * set.remove();
   * ```
   */
  setValue(index: number, value: number): void {
    const i = this.#io.index("set", index);
    this.#io.setValue(i, value);
  }

  /**
   * Every semaphore's value (`GETALL`).
   *
   * @returns The values, by index.
   *
   * @example Read all values
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
   *
   * using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 3, value: 2 });
   * assert.deepEqual(set.getAll(), [2, 2, 2]);
   * set.remove();
   * ```
   */
  getAll(): number[] {
    return this.#io.getAll();
  }

  /**
   * Set every semaphore's value at once (`SETALL`).
   *
   * @param values One value per semaphore, 0 … 32767.
   * @throws {TypeError} When `values` is not an array of `count` numbers.
   * @throws {RangeError} When a value is out of range.
   *
   * @example Set all values
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
   *
   * using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 2 });
   * set.setAll([4, 5]);
   * assert.deepEqual(set.getAll(), [4, 5]);
   * set.remove();
   * ```
   */
  setAll(values: number[]): void {
    this.#io.setAll(values);
  }

  /**
   * The set's state: owner, mode, count, last operation time.
   *
   * @returns What `semctl(IPC_STAT)` reports.
   * @throws {Deno.errors.BadResource} When the handle is closed.
   *
   * @example Inspect a set
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
   *
   * using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 4, mode: 0o660 });
   * const s = set.stat();
   * assert.equal(s.count, 4);
   * assert.equal(s.mode, 0o660);
   * assert.equal(s.lastOperation, null);
   * set.remove();
   * ```
   */
  stat(): SysvSemaphoreStat {
    return this.#io.stat();
  }

  /**
   * Remove the set (`IPC_RMID`) now: waiters in every process fail with
   * EIDRM. This handle stays open but every further call on it fails.
   * Works on a closed handle too (the set is named by its id).
   *
   * @throws {Deno.errors.PermissionDenied} When this user is neither its owner nor its creator.
   *
   * @example Remove a set
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
   *
   * using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1 });
   * set.remove();
   * assert.throws(() => set.getValue(0));
   * ```
   */
  remove(): void {
    removeObject(
      this.id,
      (id, cmd) => semctl(id, cmd),
      "semctl",
      `${KIND_NAME.sem} ${this.#io.object}`,
    );
  }

  /**
   * Close this handle: pending operations reject with
   * `Deno.errors.BadResource`. The set lives on until removed, and
   * `undo` operations are reverted only when the process exits. Calling it
   * again does nothing.
   *
   * @example Close twice
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvSemaphoreSet } from "@ipc/linux/sysv";
   *
   * const set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1 });
   * set.remove();
   * set.close();
   * set.close();
   * assert.equal(set.closed, true);
   * assert.throws(() => set.tryOperate([{ delta: 1 }]), Deno.errors.BadResource);
   * ```
   */
  close(): void {
    if (this.#io.closed) return;
    this.#io.closed = true;
    this.#calls.close();
  }

  /** Same as {@linkcode SysvSemaphoreSet.prototype.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
