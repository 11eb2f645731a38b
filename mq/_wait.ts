// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: how a queue waits.
 *
 * The queue's descriptor is a blocking one, and every call carries an
 * absolute timeout, so no call can block for longer than asked:
 *
 * 1. A try is a call on the queue's non-blocking twin descriptor (EAGAIN at
 *    once; `_open.ts`), or where there is none, one that passes a zero
 *    deadline (the kernel returns ETIMEDOUT instead of sleeping).
 * 2. When that finds the queue full or empty, tries repeat for a few
 *    microseconds (`spin`, default 50 µs), yielding the CPU in between:
 *    this catches a peer that is running right now. The clock is read
 *    every 8 tries (it costs about half a try).
 * 3. Then one call sleeps in the kernel on the main thread for at least
 *    `syncWait` (default 200 µs), until 20 µs past the next scheduler tick
 *    after that (`_deadline.ts`: a deadline before the tick costs every
 *    sleep two timer reprogrammings, VM exits in a virtual machine). A peer
 *    that answers within it hands its message over directly, exactly as to
 *    a blocked C program: no thread hop. When nothing comes, the event loop
 *    waits up to `syncWait` + one tick (4.2 ms at HZ=250).
 * 4. Longer waits go to the process-wide poller, which reports only
 *    readiness: the caller then tries again on the main thread, so errno is
 *    exact and an aborted wait consumes nothing.
 *
 * Steps 2 and 3 adapt: after several waits in a row that outlasted them by
 * far (an idle queue; a wait that a signal ended counts too) they shrink to
 * an eighth, and the sleep is no longer rounded up to the tick, so an idle
 * consumer hardly ever holds the event loop (25 µs by default) or burns
 * CPU. One quick wait restores them.
 *
 * @module
 */
import { errors, libc, waitReady } from "../_ffi/mod.ts";
import { TIMESPEC_SIZE } from "../_ffi/struct.ts";
import { POLLIN } from "../_ffi/constants.ts";
import { diagnostics } from "../_diagnostics.ts";
import { Deadline } from "./_deadline.ts";

/** After this many long waits in a row, use an eighth of the budget. */
const MISSES_BEFORE_BACKOFF = 4;
/** A wait longer than this (ms) after the budget means the queue was idle. */
const IDLE_MS = 1;

/** A spin reads the clock every this many tries. */
const CLOCK_EVERY = 8;

/** A deadline already passed: the call returns at once instead of sleeping. */
export const NOW: Uint8Array = new Uint8Array(TIMESPEC_SIZE);

/** A call that returns `undefined` when it timed out (the queue was full or empty). */
export type Attempt<T> = (deadline: Uint8Array) => T | undefined;

/**
 * A try, then tries again and again for up to `micros` µs, yielding the CPU
 * in between, all on the calling thread (the sleepless `spin` option of
 * `trySend`, `tryReceive` and `tryReceiveInto`): the first value, or
 * `undefined` if the queue stayed full or empty.
 */
export function spinFor<T>(attempt: Attempt<T>, micros: number): T | undefined {
  return attempt(NOW) ?? spin(attempt, micros / 1000);
}

/**
 * Try again and again for `ms`, yielding the CPU in between: the first
 * value, or `undefined`. The clock is read at the start and then every
 * {@linkcode CLOCK_EVERY} tries (`performance.now()` costs about half a try
 * in Deno), so a spin may run up to that many tries past `ms`.
 */
function spin<T>(attempt: Attempt<T>, ms: number): T | undefined {
  const lib = libc();
  const deadline = performance.now() + ms;
  for (let tries = 1;; tries++) {
    lib.sched_yield(); // a peer waiting for this CPU gets it now
    const result = attempt(NOW);
    if (result !== undefined) return result;
    if (tries % CLOCK_EVERY === 0 && performance.now() >= deadline) return undefined;
  }
}

/** The waiting strategy of one queue handle. */
export class QueueWaiter {
  readonly #name: string;
  readonly #spinMs: number;
  readonly #budgetNs: number;
  readonly #pending = new Set<AbortController>();
  readonly #deadline = new Deadline();
  #misses = 0;

  /**
   * @param name The queue's name, for the error when it closes mid-wait.
   * @param spin How long tries repeat before sleeping.
   * @param syncWait The least time one call may sleep on the main thread.
   */
  constructor(name: string, spin: number, syncWait: number) {
    this.#name = name;
    this.#spinMs = spin / 1000;
    this.#budgetNs = syncWait * 1000;
  }

  /**
   * An operation's attempts on the main thread, until one returns a value:
   * a try (or, without a spin, the brief sleep of step 3 at once: one
   * system call that returns when the queue is ready and otherwise waits,
   * as a blocking call in C does), then the spin, then the brief sleep.
   * `undefined` when the queue stayed full or empty: then
   * {@linkcode QueueWaiter.prototype.poll}.
   */
  now<T>(attempt: Attempt<T>): T | undefined {
    if (this.#spinMs <= 0) return this.#briefly(attempt); // without a budget: one try
    let result = attempt(NOW);
    if (result === undefined) {
      const backedOff = this.#misses >= MISSES_BEFORE_BACKOFF;
      result = spin(attempt, backedOff ? this.#spinMs / 8 : this.#spinMs);
      if (result !== undefined) this.#misses = 0;
    }
    return result !== undefined || this.#budgetNs <= 0 ? result : this.#briefly(attempt);
  }

  /**
   * Call `attempt` (with {@linkcode NOW}) after each readiness report from
   * the poller until it returns a value; for after
   * {@linkcode QueueWaiter.prototype.now} found nothing. The value is
   * produced synchronously right after the successful call, so nothing else
   * runs between the system call and the code that reads its results.
   */
  async poll<T>(
    fd: number,
    events: number,
    signal: AbortSignal | undefined,
    attempt: Attempt<T>,
  ): Promise<T> {
    if (diagnostics.mqWait.hasSubscribers) {
      diagnostics.mqWait.publish({
        name: this.#name,
        operation: events === POLLIN ? "receive" : "send",
      });
    }
    const since = performance.now();
    try {
      for (;;) {
        await this.#wait(fd, events, signal);
        const result = attempt(NOW);
        if (result !== undefined) return result;
      }
    } finally {
      // a long wait, also one that a signal ended (a receive with a timeout on an idle queue)
      if (performance.now() - since > IDLE_MS) this.#misses++;
      else this.#misses = 0;
    }
  }

  /**
   * One call allowed to sleep in the kernel for the budget, rounded up to
   * just past a scheduler tick unless backed off (see the module
   * description); without a budget, one try.
   */
  #briefly<T>(attempt: Attempt<T>): T | undefined {
    if (this.#budgetNs <= 0) return attempt(NOW);
    const hot = this.#misses < MISSES_BEFORE_BACKOFF;
    const result = attempt(this.#deadline.in(hot ? this.#budgetNs : this.#budgetNs / 8, hot));
    if (result !== undefined) this.#misses = 0;
    return result;
  }

  /** Wait for readiness; rejects with `signal.reason`, or BadResource on close. */
  async #wait(fd: number, events: number, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#pending.add(controller);
    try {
      await waitReady(fd, events, controller.signal);
    } finally {
      this.#pending.delete(controller);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Reject every pending wait: the queue is being closed. */
  cancelAll(): void {
    for (const controller of this.#pending) {
      controller.abort(
        new errors.BadResource(`Cannot wait: queue "${this.#name}" was closed`),
      );
    }
    this.#pending.clear();
  }
}
