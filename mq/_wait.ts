// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: how a queue waits.
 *
 * The queue's descriptor is a blocking one, and every call carries an
 * absolute timeout, so no call can block for longer than asked:
 *
 * 1. A try passes a zero deadline: the kernel returns ETIMEDOUT at once
 *    instead of sleeping (the same as O_NONBLOCK's EAGAIN).
 * 2. When that finds the queue full or empty, tries repeat for a few
 *    microseconds (`spin`, default 50 µs), yielding the CPU in between:
 *    this catches a peer that is running right now.
 * 3. Then one call sleeps in the kernel on the main thread for at most
 *    `syncWait` (default 200 µs). A peer that answers within it hands its
 *    message over directly, exactly as to a blocked C program: no thread hop.
 *    The deadline's distance matters: one that falls before the CPU's next
 *    scheduler tick becomes the CPU's first timer, so arming it and
 *    cancelling it (when a message ends the sleep) each reprogram the
 *    clock-event device, a VM exit under KVM. Measured with C on a 2-vCPU
 *    Firecracker guest (HZ=250), per round trip of a ping-pong over a
 *    blocking mq_receive: +14 µs at 200 µs deadlines, +8 at 1 ms, +3 at
 *    3 ms, nothing at ≥ 5 ms; PR_SET_TIMERSLACK changes nothing (the mqueue
 *    code arms its timer with no slack). A `syncWait` beyond the tick gives
 *    blocking-class wake-ups and holds the event loop that much longer.
 * 4. Longer waits go to the process-wide poller, which reports only
 *    readiness: the caller then tries again on the main thread, so errno is
 *    exact and an aborted wait consumes nothing.
 *
 * Steps 2 and 3 adapt: after several waits in a row that outlasted them by
 * far (an idle queue) they shrink to an eighth, so an idle consumer hardly
 * ever holds the event loop or burns CPU.
 *
 * @module
 */
import { errors, libc, waitReady } from "../_ffi/mod.ts";
import { TIMESPEC_SIZE } from "../_ffi/struct.ts";
import { CLOCK_REALTIME, POLLIN } from "../_ffi/constants.ts";
import { diagnostics } from "../_diagnostics.ts";

/** After this many long waits in a row, use an eighth of the budget. */
const MISSES_BEFORE_BACKOFF = 4;
/** A wait longer than this (ms) after the budget means the queue was idle. */
const IDLE_MS = 1;

/** A deadline already passed: the call returns at once instead of sleeping. */
export const NOW: Uint8Array = new Uint8Array(TIMESPEC_SIZE);

/** A call that returns `undefined` when it timed out (the queue was full or empty). */
export type Attempt<T> = (deadline: Uint8Array) => T | undefined;

/** The waiting strategy of one queue handle. */
export class QueueWaiter {
  readonly #name: string;
  readonly #spinMs: number;
  readonly #budgetNs: number;
  readonly #pending = new Set<AbortController>();
  readonly #deadline = new Uint8Array(TIMESPEC_SIZE);
  readonly #clock = new BigInt64Array(this.#deadline.buffer);
  #misses = 0;

  /**
   * @param name The queue's name, for the error when it closes mid-wait.
   * @param spin How long tries repeat before sleeping.
   * @param syncWait The longest one call may sleep on the main thread.
   */
  constructor(name: string, spin: number, syncWait: number) {
    this.#name = name;
    this.#spinMs = spin / 1000;
    this.#budgetNs = syncWait * 1000;
  }

  /**
   * The first attempt of an operation. Without a spin it is the brief sleep
   * of step 3 at once: one system call that returns at once when the queue
   * is ready and otherwise waits, instead of a try that finds it empty (or
   * full) followed by the sleep, as a blocking call in C does.
   */
  first<T>(attempt: Attempt<T>): T | undefined {
    return this.#spinMs <= 0 && this.#budgetNs > 0 ? this.#briefly(attempt) : attempt(NOW);
  }

  /**
   * Call `attempt` until it returns a value: once with a short deadline on
   * the main thread (unless {@linkcode QueueWaiter.first} already slept),
   * then after each readiness report from the poller (with
   * {@linkcode NOW}). The value is produced synchronously right after the
   * successful call, so nothing else runs between the system call and the
   * code that reads its results.
   */
  async waitFor<T>(
    fd: number,
    events: number,
    signal: AbortSignal | undefined,
    attempt: Attempt<T>,
  ): Promise<T> {
    const slept = this.#spinMs <= 0; // first() already made the brief sleep
    let result = this.#spin(attempt) ?? (slept ? undefined : this.#briefly(attempt));
    if (result !== undefined) return result;
    if (diagnostics.mqWait.hasSubscribers) {
      diagnostics.mqWait.publish({
        name: this.#name,
        operation: events === POLLIN ? "receive" : "send",
      });
    }
    const since = performance.now();
    for (;;) {
      await this.#wait(fd, events, signal);
      result = attempt(NOW);
      if (result !== undefined) break;
    }
    if (performance.now() - since > IDLE_MS) this.#misses++;
    else this.#misses = 0;
    return result;
  }

  /** Try again and again for a few microseconds, yielding the CPU in between. */
  #spin<T>(attempt: Attempt<T>): T | undefined {
    if (this.#spinMs <= 0) return undefined;
    const lib = libc();
    const spin = this.#misses < MISSES_BEFORE_BACKOFF ? this.#spinMs : this.#spinMs / 8;
    const deadline = performance.now() + spin;
    do {
      lib.sched_yield(); // a peer waiting for this CPU gets it now
      const result = attempt(NOW);
      if (result !== undefined) {
        this.#misses = 0;
        return result;
      }
    } while (performance.now() < deadline);
    return undefined;
  }

  /** One call allowed to sleep in the kernel until the budget's deadline. */
  #briefly<T>(attempt: Attempt<T>): T | undefined {
    if (this.#budgetNs <= 0) return undefined;
    const budget = this.#misses < MISSES_BEFORE_BACKOFF ? this.#budgetNs : this.#budgetNs / 8;
    libc().clock_gettime(CLOCK_REALTIME, this.#deadline);
    let ns = this.#clock[1]! + BigInt(Math.round(budget));
    let sec = this.#clock[0]!;
    if (ns >= 1_000_000_000n) {
      sec += 1n;
      ns -= 1_000_000_000n;
    }
    this.#clock[0] = sec;
    this.#clock[1] = ns;
    const result = attempt(this.#deadline);
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
