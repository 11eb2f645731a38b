// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: how a System V operation waits. System V objects have no file
 * descriptor to poll and message queues have no timed receive, so a wait
 * can neither join the process-wide poll(2) nor simply sleep in the kernel
 * with a deadline. Parking a blocking call on the FFI thread pool is not an
 * option either (it cannot be cancelled and would hold one of 32 shared
 * threads per waiter). So:
 *
 * 1. Every first attempt is a non-blocking call (`IPC_NOWAIT`) on the main
 *    thread: errno is exact, and an aborted wait has consumed nothing.
 * 2. An attempt that would block repeats for `spin` µs (default 50 for
 *    queues, 0 for semaphore sets), yielding the CPU in between: this
 *    catches a peer running right now. The clock is read every 8 tries
 *    (it costs about as much as a try), and the µs count from the first
 *    read: a spin makes at least 8 tries.
 * 3. Then one call sleeps in the kernel on the main thread for at most
 *    `syncWait` µs (default 200): `semtimedop` with that timeout for
 *    semaphore sets; for queues a blocking `msgrcv`/`msgsnd` that a
 *    per-thread timer's signal ends (`_ffi/interrupt.ts`: SIGRTMAX with a
 *    handler that does nothing; the kernel never restarts these calls, so
 *    they fail with EINTR having taken or given nothing). A peer that
 *    answers within it wakes the waiter at once, as it wakes a blocked C
 *    program. Where the signal is not available (see interrupt.ts) queues
 *    make a non-blocking try instead.
 * 4. Then, for up to 2 ms, the same brief kernel wait repeats after each
 *    turn of the event loop (`setImmediate`, a few µs; a zero-delay
 *    `setTimeout` is really 1 ms or more): timers and I/O run between the
 *    sleeps, the waiter sleeps in the kernel rather than burning the CPU,
 *    and a peer that answers late (preempted on a busy machine) is still
 *    seen at once.
 * 5. Then the pauses double from 1 ms up to `pollInterval` ms (default 10),
 *    each followed by a non-blocking try: no thread is parked, and an idle
 *    waiter costs about 100 cheap system calls a second. The price is
 *    latency: a message that arrives during a long wait is seen up to
 *    `pollInterval` ms late.
 *
 * With `spin` 0, step 1 is skipped where a try would most likely fail
 * and the call starts with step 3: always for semaphore sets (a
 * `semtimedop` that can apply returns at once, costing what a try costs);
 * for queues (whose kernel wait costs three system calls more than a try)
 * on the next three calls after one whose try failed, as in a ping-pong.
 *
 * Steps 2 and 4 adapt: after several waits in a row longer than 5 ms (an
 * idle peer), they shrink to an eighth, so an idle waiter hardly burns CPU
 * or holds the event loop; one quick wait restores them.
 *
 * Cost: a brief wait holds the event loop for at most `syncWait` µs at a
 * time; a queue's costs three more system calls than a try (arm, disarm,
 * and a check that the thread does not block the signal).
 *
 * @module
 */
import { libc } from "../_ffi/mod.ts";

/** How long (ms) brief waits go on between event-loop turns before the pauses grow. */
const HOT_MS = 2;
/** After this many idle waits in a row, spin and retry hot an eighth as long. */
const MISSES_BEFORE_BACKOFF = 4;
/** A wait longer than this (ms) means the peer was idle, not just slow. */
const IDLE_MS = 5;

/** A spin reads the clock every this many tries; its `spin` µs count from the first read. */
const CLOCK_EVERY = 8;
/** With spin 0, how many calls after a failed try start with the kernel wait (queues). */
const SKIPS_AFTER_FAILED_TRY = 3;

/** One non-blocking try: the value, or `undefined` when it would block. */
export type Attempt<T> = () => T | undefined;

/** The waiting strategy of one handle. */
export class SysvWaiter {
  readonly #spinMs: number;
  readonly #pollMs: number;
  readonly #closedError: () => Error;
  readonly #pending = new Set<(err: Error) => void>();
  /** Whether a kernel wait costs more than a try (queues), or the same (semaphore sets). */
  readonly #costlyWait: boolean;
  #misses = 0;
  /** With spin 0 and a costly wait: how many more calls start with it. */
  #skips = 0;
  /** Whether waits include a kernel wait (`syncWait` > 0). */
  readonly #kernelWait: boolean;

  /**
   * @param spinMicroseconds How long tries repeat before polling.
   * @param pollMilliseconds The longest pause between two polls.
   * @param closedError The error pending waits reject with on close.
   * @param kernelWait Whether waits include a brief kernel wait (`syncWait` > 0).
   * @param costlyWait Whether a kernel wait that need not sleep costs more than a try.
   */
  constructor(
    spinMicroseconds: number,
    pollMilliseconds: number,
    closedError: () => Error,
    kernelWait: boolean,
    costlyWait: boolean,
  ) {
    this.#kernelWait = kernelWait;
    this.#spinMs = spinMicroseconds / 1000;
    this.#pollMs = pollMilliseconds;
    this.#closedError = closedError;
    this.#costlyWait = costlyWait;
  }

  /**
   * Whether a call starts with a try; false (spin 0, see the module
   * description) when it starts with the kernel wait, through
   * {@linkcode SysvWaiter.prototype.waitFor}. Call it once per call.
   */
  startWithTry(): boolean {
    if (this.#spinMs > 0 || !this.#kernelWait) return true;
    if (!this.#costlyWait) return false;
    if (this.#skips <= 0) return true;
    this.#skips--;
    return false;
  }

  /** Record the outcome of a call's first try; returns it. */
  tried(ok: boolean): boolean {
    this.#skips = ok ? 0 : SKIPS_AFTER_FAILED_TRY;
    if (ok) this.#misses = 0;
    return ok;
  }

  /**
   * Run `attempt` until it returns a value (the caller has just tried once,
   * or {@linkcode SysvWaiter.prototype.startWithTry} said not to): while spinning, once through
   * `briefly` (a short kernel wait, if given), then on timers.
   * Rejects with `signal.reason` on abort and with the closed error on
   * {@linkcode SysvWaiter.prototype.cancelAll}.
   */
  waitFor<T>(
    signal: AbortSignal | undefined,
    attempt: Attempt<T>,
    briefly?: Attempt<T>,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // the spin and the first kernel wait run now, without an async frame:
    // a peer that answers within them costs one settled promise
    const scale = this.#misses < MISSES_BEFORE_BACKOFF ? 1 : 1 / 8;
    let result: T | undefined;
    try {
      result = this.#spin(attempt, scale) ?? briefly?.();
    } catch (err) {
      return Promise.reject(err);
    }
    if (result === undefined) return this.#poll(signal, attempt, briefly, scale);
    this.#misses = 0;
    return Promise.resolve(result);
  }

  /** The rest of a wait: event-loop turns with kernel waits for 2 ms, then growing pauses. */
  async #poll<T>(
    signal: AbortSignal | undefined,
    attempt: Attempt<T>,
    briefly: Attempt<T> | undefined,
    scale: number,
  ): Promise<T> {
    let result: T | undefined;
    const since = performance.now();
    const hotUntil = since + HOT_MS * scale;
    let pause = 0;
    for (;;) {
      await this.#sleep(pause, signal); // pause 0: one event-loop turn
      // while hot, a kernel wait (if any) sleeps instead of burning the CPU
      result = pause === 0 && briefly ? briefly() : attempt();
      if (result !== undefined) break;
      if (pause > 0 || performance.now() >= hotUntil) {
        pause = Math.min(this.#pollMs, pause === 0 ? 1 : pause * 2);
      }
    }
    if (performance.now() - since >= IDLE_MS) this.#misses++;
    else this.#misses = 0;
    return result;
  }

  #spin<T>(attempt: Attempt<T>, scale: number): T | undefined {
    if (this.#spinMs <= 0) return undefined;
    const lib = libc();
    // the clock is read every CLOCK_EVERY tries, from the CLOCK_EVERY-th on:
    // performance.now() costs about as much as a try (≈ 0.3 µs in Deno)
    let deadline = 0;
    for (let tries = 1;; tries++) {
      lib.sched_yield(); // a peer waiting for this CPU gets it now
      const result = attempt();
      if (result !== undefined) return result;
      if (tries % CLOCK_EVERY !== 0) continue;
      const now = performance.now();
      if (deadline === 0) deadline = now + this.#spinMs * scale;
      else if (now >= deadline) return undefined;
    }
  }

  #sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const settle = (err?: unknown) => {
        if (ms === 0) clearImmediate(timer as ReturnType<typeof setImmediate>);
        else clearTimeout(timer as ReturnType<typeof setTimeout>);
        signal?.removeEventListener("abort", onAbort);
        this.#pending.delete(onClose);
        if (err === undefined) resolve();
        else reject(err);
      };
      const onAbort = () => settle(signal!.reason);
      const onClose = (err: Error) => settle(err);
      // pause 0: setImmediate (all three runtimes have it) is one event-loop
      // turn; a zero-delay setTimeout is really 1 ms or more
      const timer = ms === 0 ? setImmediate(() => settle()) : setTimeout(() => settle(), ms);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending.add(onClose);
    });
  }

  /** Reject every pending wait: the handle is being closed. */
  cancelAll(): void {
    for (const reject of [...this.#pending]) reject(this.#closedError());
  }
}
