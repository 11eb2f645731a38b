// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * POSIX named semaphores (`sem_open` family), interoperable with C's
 * `sem_open`/`sem_post` and Python's `posix_ipc.Semaphore`.
 *
 * @module
 */
import { backend, check, cstring, errnoError, errors, libc, posixName } from "../_ffi/mod.ts";
import type { Pointer } from "../_ffi/mod.ts";
import { EAGAIN, NAME_MAX, O_CREAT, O_EXCL } from "../_ffi/constants.ts";
import { recordOwnerPath, SHM_DIR } from "./_mapping.ts";

/** Options for {@linkcode Semaphore.open}. */
export interface SemaphoreOpenOptions {
  /** Create the semaphore when it does not exist. @default {false} */
  create?: boolean;
  /** With `create`, fail when it already exists (`EEXIST`). @default {false} */
  exclusive?: boolean;
  /** Initial value when this call creates it. @default {0} */
  value?: number;
  /** Permission bits when this call creates it. @default {0o600} */
  mode?: number;
  /** Unlink the name on close, if this call created it. @default {false} */
  unlinkOnClose?: boolean;
}

/** Options for {@linkcode Semaphore.wait}. */
export interface SemaphoreWaitOptions {
  /** Abort the wait; it rejects with `signal.reason` and consumes nothing. */
  signal?: AbortSignal;
}

const SEM_VALUE_MAX = 0x7fffffff;
/** Longest time one blocking sem_timedwait holds a worker thread. */
const SLICE_MS = 100;
/**
 * Most worker threads all semaphores in this process park at once (Node's
 * libuv pool has only 4 threads, shared with its file system calls: take 1).
 */
function maxParked(): number {
  return backend().runtime === "node" ? 1 : 4;
}
let parked = 0;

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

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
  #closed = false;
  #waiters: Waiter[] = [];
  #pumping = false;
  #inFlight = false;

  private constructor(name: string, sem: Pointer, owner: boolean, unlinkOnClose: boolean) {
    this.#name = name;
    this.#sem = sem;
    this.#owner = owner;
    this.#unlinkOnClose = unlinkOnClose;
  }

  /**
   * Open (or create) a named semaphore.
   *
   * @param name The name, with or without the leading `/` (at most 251 bytes).
   * @param options Creation flags, initial value, mode, lifetime.
   * @returns The open semaphore.
   * @throws {TypeError} For a malformed name.
   * @throws {RangeError} For a value or mode out of range.
   * @throws {Deno.errors.NotFound} When it does not exist and `create` is false.
   * @throws {Deno.errors.AlreadyExists} With `exclusive` when it exists.
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
   */
  static open(name: string, options: SemaphoreOpenOptions = {}): Semaphore {
    const posix = posixName(name, "semaphore", NAME_MAX - 4);
    const value = options.value ?? 0;
    const mode = options.mode ?? 0o600;
    if (!Number.isInteger(value) || value < 0 || value > SEM_VALUE_MAX) {
      throw new RangeError(
        `Cannot open semaphore ${
          JSON.stringify(posix)
        }: value ${value} is not in 0..${SEM_VALUE_MAX}`,
      );
    }
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o777) {
      throw new RangeError(`Cannot open semaphore ${JSON.stringify(posix)}: mode ${mode} is bad`);
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
        if (errno !== 17 || options.exclusive) throw errnoError(errno, "sem_open", posix);
      }
    }
    if (sem === null) {
      sem = lib.sem_open(cname, 0, 0, 0);
      if (sem === null) throw errnoError(backend().errno(), "sem_open", posix);
    }
    if (created) recordOwnerPath(`${SHM_DIR}/sem.${posix.slice(1)}`);
    return new Semaphore(posix, sem, created, created && (options.unlinkOnClose ?? false));
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
    return this.#closed;
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
    return out[0];
  }

  /**
   * Add one to the value, waking one waiter in any process.
   *
   * @throws {Deno.errors.BadResource} After close.
   * @throws {Error} With `code` `"EOVERFLOW"` at the maximum value.
   */
  post(): void {
    this.#check("post");
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
    if (this.#waiters.length > 0) return false; // queued waiters come first
    return this.#take();
  }

  /**
   * Take one unit, waiting (without blocking the event loop) while the value
   * is 0. Waiters of one Semaphore object are served in order.
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
    const { signal } = options;
    try {
      this.#check("wait on");
    } catch (err) {
      return Promise.reject(err);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#waiters.length === 0 && this.#take()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) {
            this.#waiters.splice(i, 1);
            reject(signal.reason);
          }
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
      if (!this.#pumping) this.#pump();
    });
  }

  /**
   * Close the semaphore (its value and name stay). Pending waits reject with
   * `BadResource`. The creator unlinks the name if `unlinkOnClose` was set.
   * Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) {
      this.#settle(w);
      w.reject(new errors.BadResource(`Cannot wait on semaphore "${this.#name}": it was closed`));
    }
    if (!this.#inFlight) libc().sem_close(this.#sem); // else after the worker call returns
    if (this.#owner && this.#unlinkOnClose) {
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

  #take(): boolean {
    if (libc().sem_trywait(this.#sem) === 0) return true;
    const errno = backend().errno();
    if (errno === EAGAIN) return false;
    throw errnoError(errno, "sem_trywait", this.#name);
  }

  #settle(w: Waiter): void {
    if (w.onAbort) w.signal!.removeEventListener("abort", w.onAbort);
  }

  /** Hand units to queued waiters until none is left. */
  async #pump(): Promise<void> {
    this.#pumping = true;
    let delay = 1;
    try {
      while (this.#waiters.length > 0 && !this.#closed) {
        if (this.#take()) {
          this.#give();
          delay = 1;
          continue;
        }
        if (parked < maxParked() && backend().offThread) {
          parked++;
          this.#inFlight = true;
          const deadline = encodeRealtime(Date.now() + SLICE_MS);
          let r: number;
          try {
            r = await libc().sem_timedwait_blocking(this.#sem, deadline);
          } finally {
            parked--;
            this.#inFlight = false;
          }
          if (this.#closed) {
            if (r === 0) libc().sem_post(this.#sem); // give back what nobody takes
            libc().sem_close(this.#sem);
            return;
          }
          if (r === 0) this.#give();
        } else {
          // Enough threads are parked in this process: poll with backoff.
          await new Promise((resolve) => setTimeout(resolve, delay));
          delay = Math.min(delay * 2, 20);
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  #give(): void {
    const w = this.#waiters.shift();
    if (w === undefined) {
      libc().sem_post(this.#sem); // everyone aborted meanwhile
      return;
    }
    this.#settle(w);
    w.resolve();
  }

  #check(action: string): void {
    if (this.#closed) {
      throw new errors.BadResource(`Cannot ${action} semaphore "${this.#name}": it is closed`);
    }
  }
}

function encodeRealtime(ms: number): Uint8Array {
  // Off-heap (an ArrayBuffer's own store): a worker thread reads it.
  const out = new Uint8Array(new ArrayBuffer(16));
  const v = new DataView(out.buffer);
  const sec = Math.floor(ms / 1000);
  v.setBigInt64(0, BigInt(sec), true);
  v.setBigInt64(8, BigInt(Math.round((ms - sec * 1000) * 1e6)), true);
  return out;
}
