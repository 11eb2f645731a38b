// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: how a Semaphore waits without blocking the event loop. Waiters of
 * one Semaphore object queue in call order; one pump per object hands them
 * units, taking them with `sem_trywait`, else sleeping in `sem_timedwait` on
 * a worker thread in slices of at most 100 ms. Past a per-process cap on
 * parked threads the pump polls with backoff instead.
 *
 * @module
 */
import { backend, errnoError, errors, libc } from "../_ffi/mod.ts";
import type { Pointer } from "../_ffi/mod.ts";
import { EAGAIN } from "../_ffi/constants.ts";
import { checkSemWords, closeSemaphore, semShared, semWords } from "./_semaphore_open.ts";

/** Longest time one blocking sem_timedwait holds a worker thread. */
const SLICE_MS = 100;
/**
 * Most worker threads all semaphores in this process park at once (Node's
 * libuv pool has only 4 threads, shared with its file system calls: take 1).
 */
function maxParked(): number {
  return backend().smallPool ? 1 : 4;
}
let parked = 0;
const parkedWatchers = new Set<() => void>();

function setParked(n: number): void {
  parked = n;
  for (const watch of [...parkedWatchers]) watch();
}

/**
 * Resolves once `test` holds for the number of sem_timedwait slices parked
 * on worker threads now (for tests: "a wait is parked", "no slice is left").
 */
export function parkedSlices(test: (parked: number) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const watch = () => {
      if (!test(parked)) return;
      parkedWatchers.delete(watch);
      resolve();
    };
    parkedWatchers.add(watch);
    watch();
  });
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** The waiting side of one Semaphore object, and its open/closed state. */
export class SemaphoreWaiter {
  /** Whether the Semaphore was closed. */
  closed = false;
  readonly #sem: Pointer;
  /** The `sem_t`'s words, checked before each call into glibc. */
  readonly #words: Int32Array;
  readonly #mapped: boolean;
  readonly #name: string;
  #waiters: Waiter[] = [];
  #pumping = false;
  #inFlight = false;

  /**
   * @param sem The open `sem_t *`.
   * @param mapped Whether it was mapped by this library (munmap it) or by `sem_open` (sem_close).
   * @param name The semaphore's name, for errors.
   */
  constructor(sem: Pointer, mapped: boolean, name: string) {
    this.#sem = sem;
    this.#words = semWords(sem);
    this.#mapped = mapped;
    this.#name = name;
  }

  /** Take one unit if the value is above 0 and nobody is queued first. */
  tryTake(): boolean {
    if (this.#waiters.length > 0) return false; // queued waiters come first
    return this.#take();
  }

  /** Take one unit now if possible, else queue and wait for one; `signal` aborts. */
  wait(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    try {
      if (this.#waiters.length === 0 && this.#take()) return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
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
      if (!this.#pumping) this.#pump().catch((err) => this.#fail(err));
    });
  }

  /**
   * Mark closed, reject every queued wait with BadResource, and close the
   * semaphore now, or once the worker call in flight returns.
   */
  close(): void {
    this.closed = true;
    for (const w of this.#waiters.splice(0)) {
      this.#settle(w);
      w.reject(new errors.BadResource(`Cannot wait on semaphore "${this.#name}": it was closed`));
    }
    if (!this.#inFlight) closeSemaphore(this.#sem, this.#mapped); // else after the worker call returns
  }

  /** Throw InvalidData when the semaphore's memory no longer holds one (see checkSemWords). */
  checkMemory(action: string): void {
    checkSemWords(this.#words, action, this.#name);
  }

  #take(): boolean {
    this.checkMemory("wait on");
    if (libc().sem_trywait(this.#sem) === 0) return true;
    const errno = backend().errno();
    if (errno === EAGAIN) return false;
    throw errnoError(errno, "sem_trywait", this.#name);
  }

  /** Post back a unit taken for nobody, unless the semaphore's memory was overwritten meanwhile. */
  #giveBack(): void {
    if (semShared(this.#words)) libc().sem_post(this.#sem);
  }

  /** Reject every queued wait with `err` (the pump stopped on it: the semaphore is unusable). */
  #fail(err: unknown): void {
    for (const w of this.#waiters.splice(0)) {
      this.#settle(w);
      w.reject(err);
    }
  }

  #settle(w: Waiter): void {
    if (w.onAbort) w.signal!.removeEventListener("abort", w.onAbort);
  }

  /** Hand units to queued waiters until none is left. */
  async #pump(): Promise<void> {
    this.#pumping = true;
    let delay = 1;
    try {
      while (this.#waiters.length > 0 && !this.closed) {
        if (this.#take()) {
          this.#give();
          delay = 1;
          continue;
        }
        if (parked < maxParked() && backend().offThread) {
          setParked(parked + 1);
          this.#inFlight = true;
          try {
            this.checkMemory("wait on");
            const deadline = encodeRealtime(Date.now() + SLICE_MS);
            const r = await libc().sem_timedwait_blocking(this.#sem, deadline);
            this.#inFlight = false;
            if (this.closed) {
              if (r === 0) this.#giveBack(); // what nobody takes
              closeSemaphore(this.#sem, this.#mapped);
              return;
            }
            if (r === 0) this.#give();
          } finally {
            this.#inFlight = false;
            setParked(parked - 1); // after the unit it took, if any, went where it belongs
          }
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
      this.#giveBack(); // everyone aborted meanwhile
      return;
    }
    this.#settle(w);
    w.resolve();
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
