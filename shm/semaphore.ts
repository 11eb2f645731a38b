// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * POSIX named semaphores (`sem_open` family), interoperable with C's
 * `sem_open`/`sem_post` and Python's `posix_ipc.Semaphore`.
 *
 * @module
 */
import { check, cstring, errors, libc, type Pointer, posixName } from "../_ffi/mod.ts";
import { NAME_MAX } from "../_ffi/constants.ts";
import { fileId, stillNames } from "./_object_file.ts";
import { semOpen, semPath } from "./_semaphore_open.ts";
import { SemaphoreWaiter } from "./_semaphore_wait.ts";
import type { SemaphoreOpenOptions, SemaphoreWaitOptions } from "./types.ts";

/**
 * A POSIX named semaphore: a counter shared by processes. `wait()` takes one
 * unit (waiting while the value is 0, without blocking the event loop),
 * `post()` adds one and wakes a waiter in any process.
 *
 * Waiting uses `sem_timedwait` on a worker thread in slices of at most
 * 100 ms (re-checking cancellation between slices). At most one such call per
 * Semaphore object and four per process (one on Node.js) are in flight; further waiters poll.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @example A lock between processes
 * ```ts
 * import assert from "node:assert/strict";
 * import { Semaphore } from "@ipc/linux/shm";
 *
 * using lock = Semaphore.open(`doc_sem_${Deno.pid}`, {
 *   create: true,
 *   value: 1,
 *   unlinkOnClose: true,
 * });
 * await lock.wait();
 * assert.equal(lock.tryWait(), false); // held
 * lock.post();
 * assert.equal(lock.value, 1);
 * ```
 */
export class Semaphore implements Disposable {
  #name: string;
  #sem: Pointer;
  #owner: boolean;
  #unlinkOnClose: boolean;
  #waits: SemaphoreWaiter;
  /** The created file's identity, so close unlinks only that file (not a later one of the name). */
  #id: string | null | undefined;

  private constructor(
    name: string,
    sem: Pointer,
    mapped: boolean,
    owner: boolean,
    unlinkOnClose: boolean,
  ) {
    this.#name = name;
    this.#sem = sem;
    this.#owner = owner;
    this.#unlinkOnClose = unlinkOnClose;
    this.#waits = new SemaphoreWaiter(sem, mapped, name);
  }

  /**
   * Open (or create) a named semaphore.
   *
   * An existing semaphore (opened, or found by `create` without `exclusive`)
   * is checked before it is mapped: its file `/dev/shm/sem.<name>` must be a
   * regular file (not a symbolic link or directory) of at least 32 bytes
   * holding a process-shared glibc semaphore, or the call throws
   * `InvalidData` naming what is wrong; and it must be owned by this
   * process's effective uid unless `allowOtherOwner` is set, or the call
   * throws `PermissionDenied` naming the owner (/dev/shm is world-writable:
   * another user may create the name first and choose its value).
   *
   * @param name The name, with or without the leading `/` (at most 251 bytes).
   * @param options Creation flags, initial value, mode, lifetime, trust.
   * @returns The open semaphore.
   * @throws {TypeError} For a malformed name.
   * @throws {RangeError} For a value or mode out of range.
   * @throws {Deno.errors.NotFound} When it does not exist and `create` is false.
   * @throws {Deno.errors.AlreadyExists} With `exclusive` when it exists.
   * @throws {Deno.errors.PermissionDenied} When another uid owns it (and
   *   `allowOtherOwner` is not set), or its mode forbids the access.
   * @throws {Deno.errors.InvalidData} When its name holds something that is
   *   not a semaphore (wrong type, size or contents).
   *
   * @example Create exclusively
   * ```ts
   * import assert from "node:assert/strict";
   * import { Semaphore } from "@ipc/linux/shm";
   *
   * const name = `doc_sem_open_${Deno.pid}`;
   * using sem = Semaphore.open(name, { create: true, exclusive: true, value: 2 });
   * assert.equal(sem.value, 2);
   * assert.throws(
   *   () => Semaphore.open(name, { create: true, exclusive: true }),
   *   Deno.errors.AlreadyExists,
   * );
   * Semaphore.unlink(name);
   * ```
   *
   * @example A squatted name is refused, never trusted
   * ```ts
   * import assert from "node:assert/strict";
   * import { Semaphore } from "@ipc/linux/shm";
   *
   * const name = `doc_sem_squat_${Deno.pid}`;
   * const file = `/dev/shm/sem.${name}`;
   * Deno.writeFileSync(file, new Uint8Array(0)); // an empty file put there first
   * assert.throws(() => Semaphore.open(name, { create: true }), Deno.errors.InvalidData);
   * Deno.removeSync(file);
   * ```
   */
  static open(name: string, options: SemaphoreOpenOptions = {}): Semaphore {
    const posix = posixName(name, "semaphore", NAME_MAX - 4);
    const { sem, created, mapped } = semOpen(posix, options);
    const semaphore = new Semaphore(
      posix,
      sem,
      mapped,
      created,
      created && (options.unlinkOnClose ?? false),
    );
    if (semaphore.#unlinkOnClose) semaphore.#id = fileId(semaphore.#path());
    return semaphore;
  }

  /**
   * Remove a semaphore's name; processes that have it open keep using it.
   *
   * @param name The name, with or without the leading `/`.
   * @throws {Deno.errors.NotFound} When no semaphore has that name.
   *
   * @example Unlink
   * ```ts
   * import assert from "node:assert/strict";
   * import { Semaphore } from "@ipc/linux/shm";
   *
   * const name = `doc_sem_unlink_${Deno.pid}`;
   * Semaphore.open(name, { create: true }).close();
   * Semaphore.unlink(name);
   * assert.throws(() => Semaphore.open(name), Deno.errors.NotFound);
   * ```
   */
  static unlink(name: string): void {
    const posix = posixName(name, "semaphore", NAME_MAX - 4);
    check(libc().sem_unlink(cstring(posix)), "sem_unlink", posix);
  }

  /** The name, with its leading `/`. */
  get name(): string {
    return this.#name;
  }

  /** Whether {@linkcode Semaphore.close} was called. */
  get closed(): boolean {
    return this.#waits.closed;
  }

  /**
   * The current value (0 while some process waits).
   *
   * @throws {Deno.errors.BadResource} After close.
   */
  get value(): number {
    this.#check("read");
    const out = new Int32Array(1);
    check(
      libc().sem_getvalue(this.#sem, new Uint8Array(out.buffer)),
      "sem_getvalue",
      this.#name,
    );
    return out[0]!;
  }

  /**
   * Add one to the value, waking one waiter in any process.
   *
   * @throws {Deno.errors.BadResource} After close.
   * @throws {Error} With `code` `"EOVERFLOW"` at the maximum value.
   * @throws {Deno.errors.InvalidData} When another process overwrote the semaphore's memory
   *   (glibc would abort this process).
   */
  post(): void {
    this.#check("post");
    this.#waits.checkMemory("post on");
    check(libc().sem_post(this.#sem), "sem_post", this.#name);
  }

  /**
   * Take one unit if the value is above 0, without waiting.
   *
   * @returns Whether a unit was taken.
   * @throws {Deno.errors.BadResource} After close.
   */
  tryWait(): boolean {
    this.#check("wait on");
    return this.#waits.tryTake();
  }

  /**
   * Take one unit, waiting (without blocking the event loop) while the value
   * is 0. Waiters of one Semaphore object are served in order. An aborted
   * wait rejects at once and takes nothing; the worker-thread call it may
   * have started (`sem_timedwait`, at most 100 ms) ends in the background, so
   * `deno test --sanitize-ops` may see it pending for that long.
   *
   * @param options `signal` aborts the wait.
   * @throws {Deno.errors.BadResource} After close, or when closed while waiting.
   *
   * @example Wait with a timeout
   * ```ts
   * import assert from "node:assert/strict";
   * import { Semaphore } from "@ipc/linux/shm";
   *
   * using sem = Semaphore.open(`doc_sem_wait_${Deno.pid}`, { create: true, unlinkOnClose: true });
   * await assert.rejects(
   *   sem.wait({ signal: AbortSignal.timeout(50) }),
   *   (err: Error) => err.name === "TimeoutError",
   * );
   * setTimeout(() => sem.post(), 10);
   * await sem.wait();
   * ```
   */
  wait(options: SemaphoreWaitOptions = {}): Promise<void> {
    try {
      this.#check("wait on");
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#waits.wait(options.signal);
  }

  /**
   * Close the semaphore (its value and name stay). Pending waits reject with
   * `BadResource`. The creator unlinks the name if `unlinkOnClose` was set.
   * Idempotent.
   */
  close(): void {
    if (this.#waits.closed) return;
    this.#waits.close(); // rejects pending waits; sem_close now or after the worker call
    if (this.#owner && this.#unlinkOnClose) {
      // Only while the name is still ours: another process may have unlinked
      // it and created a new semaphore under it.
      if (!stillNames(this.#path(), this.#id)) return;
      try {
        Semaphore.unlink(this.#name);
      } catch {
        // already unlinked
      }
    }
  }

  /** Same as {@linkcode Semaphore.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  #path(): string {
    return semPath(this.#name);
  }

  #check(action: string): void {
    if (this.#waits.closed) {
      throw new errors.BadResource(`Cannot ${action} semaphore "${this.#name}": it is closed`);
    }
  }
}
