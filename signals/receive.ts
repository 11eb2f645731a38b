// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Receiving the classic signals through the runtime's own listeners:
 * {@linkcode onSignal} (a callback) and {@linkcode signals} (an async
 * iterable). Both remove every listener they added when disposed.
 *
 * @module
 */
import {
  addListener,
  KeepAlive,
  listenable,
  type ListenableSignal,
  removeListener,
} from "./_listen.ts";
import type { SignalName } from "./names.ts";

export type { ListenableSignal } from "./_listen.ts";

/**
 * A registration made by {@linkcode onSignal}; disposing it removes the
 * listener.
 */
export class SignalSubscription implements Disposable {
  #remove: (() => void) | undefined;

  /** @internal Use {@linkcode onSignal}. */
  constructor(remove: () => void) {
    this.#remove = remove;
  }

  /** Whether the listener was removed. */
  get closed(): boolean {
    return this.#remove === undefined;
  }

  /** Remove the listener. Idempotent. */
  close(): void {
    const remove = this.#remove;
    this.#remove = undefined;
    remove?.();
  }

  /** Same as {@linkcode SignalSubscription.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Call `handler` each time this process receives `signal`.
 *
 * Built on `Deno.addSignalListener`, so it accepts the classic catchable
 * signals only (not SIGKILL, SIGSTOP, SIGILL, SIGFPE, SIGSEGV), and a burst
 * of the same signal may arrive as one call. The listener does not keep the
 * process alive. For realtime signals and their values, see
 * {@linkcode SignalQueue}.
 *
 * @param signal A catchable classic signal, by name or number.
 * @param handler Called with the signal's name.
 * @returns A subscription; dispose it to remove the listener.
 * @throws {TypeError} On an unknown or uncatchable signal.
 * @throws {Deno.errors.NotSupported} On a realtime signal.
 *
 * @example Reload on SIGHUP
 * ```ts
 * import assert from "node:assert/strict";
 * import { onSignal, signals } from "@ipc/linux/signals";
 *
 * const seen: string[] = [];
 * const subscription = onSignal("SIGHUP", (name) => seen.push(name));
 * using stream = signals(["SIGHUP"]); // a pending next() keeps the process alive
 * Deno.kill(Deno.pid, "SIGHUP");
 * await stream.next();
 * subscription.close(); // removes the listener
 * assert.deepEqual(seen, ["SIGHUP"]);
 * ```
 */
export function onSignal(
  signal: SignalName | number,
  handler: (signal: ListenableSignal) => void,
): SignalSubscription {
  const name = listenable(signal, "listen for");
  if (typeof handler !== "function") {
    throw new TypeError(`Cannot listen for ${name}: handler is not a function`);
  }
  const listener = () => handler(name);
  addListener(name, listener);
  return new SignalSubscription(() => removeListener(name, listener));
}

/** Options for {@linkcode signals}. */
export interface SignalsOptions {
  /**
   * Stop listening; a pending or later `next()` rejects with
   * `signal.reason` (a `for await` loop throws it).
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/**
 * The async iterator returned by {@linkcode signals}: yields signal names as
 * they arrive and buffers those not yet consumed, each name at most once (a
 * signal that arrives again while it is still buffered coalesces with it, as
 * a pending signal does in the kernel).
 */
export class SignalIterator implements AsyncIterableIterator<ListenableSignal>, Disposable {
  #queue: ListenableSignal[] = [];
  #waiters: Array<{
    resolve(r: IteratorResult<ListenableSignal>): void;
    reject(e: unknown): void;
  }> = [];
  #cleanup: Array<() => void> = [];
  #done = false;
  #failure: { reason: unknown } | undefined;
  /** Keeps the event loop alive while a `next()` waits (listeners alone do not). */
  #keepAlive = new KeepAlive();

  /** @internal Use {@linkcode signals}. */
  constructor(names: readonly ListenableSignal[], abort: AbortSignal | undefined) {
    // The abort first: if it throws (not an AbortSignal), no listener was added yet.
    if (abort?.aborted) {
      this.#fail(abort.reason);
      return;
    } else if (abort !== undefined) {
      const onAbort = () => this.#fail(abort.reason);
      abort.addEventListener("abort", onAbort, { once: true });
      this.#cleanup.push(() => abort.removeEventListener("abort", onAbort));
    }
    try {
      for (const name of new Set(names)) {
        const listener = () => this.#push(name);
        addListener(name, listener);
        this.#cleanup.push(() => removeListener(name, listener));
      }
    } catch (err) {
      this.#stop(); // a refused listener: none of the others stays behind
      throw err;
    }
  }

  #push(name: ListenableSignal): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve({ value: name, done: false });
    // A signal already buffered is not buffered twice, as the kernel keeps a
    // pending classic signal once: a flood at an iterator nobody reads
    // would otherwise grow the buffer without bound.
    else if (!this.#queue.includes(name)) this.#queue.push(name);
    this.#release();
  }

  #release(): void {
    if (this.#done) this.#keepAlive.dispose();
    else if (this.#waiters.length === 0) this.#keepAlive.release();
  }

  #fail(reason: unknown): void {
    if (this.#done) return;
    this.#stop();
    this.#queue = [];
    const waiters = this.#waiters.splice(0);
    if (waiters.length === 0) this.#failure = { reason };
    for (const waiter of waiters) waiter.reject(reason);
    this.#release();
  }

  #stop(): void {
    this.#done = true;
    for (const fn of this.#cleanup.splice(0)) fn();
  }

  /** Whether the iterator has stopped listening. */
  get closed(): boolean {
    return this.#done;
  }

  /** The next signal received (buffered ones first). */
  next(): Promise<IteratorResult<ListenableSignal>> {
    if (this.#queue.length > 0) {
      return Promise.resolve({ value: this.#queue.shift()!, done: false });
    }
    if (this.#failure !== undefined) {
      const { reason } = this.#failure;
      this.#failure = undefined;
      return Promise.reject(reason);
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    this.#keepAlive.hold();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Stop listening (called by `break` in a `for await` loop). */
  return(): Promise<IteratorResult<ListenableSignal>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stop listening and end the iteration; pending `next()` calls resolve done. Idempotent. */
  close(): void {
    if (this.#done) return;
    this.#stop();
    this.#queue = [];
    for (const waiter of this.#waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
    this.#release();
  }

  /** Same as {@linkcode SignalIterator.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** This iterator. */
  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * Iterate over the signals this process receives from a set.
 *
 * Listening starts at once (signals arriving before the first `next()` are
 * buffered, each name once until it is read) and stops on `break`, `close()`, disposal, or abort. Same limits
 * as {@linkcode onSignal}: classic catchable signals only, and bursts may
 * coalesce. Unlike a bare listener, a pending `next()` keeps the process
 * alive, so a `for await` loop can be a program's only work.
 *
 * @param names The signals to listen for (at least one).
 * @param options An optional AbortSignal.
 * @returns An async iterator of signal names.
 * @throws {TypeError} On an empty list, an unknown or uncatchable signal.
 * @throws {Deno.errors.NotSupported} On a realtime signal.
 *
 * @example Handle SIGUSR1 and SIGUSR2 until told to stop
 * ```ts
 * import assert from "node:assert/strict";
 * import { signals } from "@ipc/linux/signals";
 *
 * const received: string[] = [];
 * const stream = signals(["SIGUSR1", "SIGUSR2"]);
 * Deno.kill(Deno.pid, "SIGUSR2");
 * for await (const name of stream) {
 *   received.push(name);
 *   break; // removes the listeners
 * }
 * assert.deepEqual(received, ["SIGUSR2"]);
 * assert.equal(stream.closed, true);
 * ```
 */
export function signals(
  names: readonly (SignalName | number)[],
  options: SignalsOptions = {},
): SignalIterator {
  if (!Array.isArray(names) || names.length === 0) {
    throw new TypeError("Cannot listen for signals: expected a non-empty array of signals");
  }
  // Array.from visits holes (as undefined), which map would skip and Set then add.
  const resolved = Array.from(names, (name) => listenable(name, "listen for"));
  return new SignalIterator(resolved, options.signal);
}
