// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the one machinery behind every wait on a native event (descriptor
 * readiness in `poller.ts`, futex words in `futex.ts`) that neither blocks
 * the event loop nor parks one thread per waiter.
 *
 * Every waiter of one kind shares ONE native call running on the FFI worker
 * pool. A driver either makes that call for the current set of waiters and
 * kicks it (an eventfd write, a futex wake) whenever the set changes, so it
 * returns and is made again with the new set (futex_waitv); or it keeps its
 * own interest set in the kernel, which the call in flight watches (epoll):
 * then a new waiter is registered synchronously ({@linkcode HubDriver.add})
 * and no kick is needed, only when the last waiter leaves. When nobody waits,
 * no call is pending, so the process can exit. A waiter that leaves while the
 * call is in flight, when the call may be its own (it was the last one, or
 * the driver rebuilds the call per set), settles only once that call has
 * returned: when a wait settles, no native call started for it is still
 * pending (op sanitizers see no leak). Where calls cannot leave the main
 * thread (Bun), the hub checks without waiting and naps on a timer in
 * between, backing off.
 *
 * @module
 */
import { backend } from "./libc.ts";

/** Longest nap between checks when calls cannot leave the thread (Bun). */
const MAX_NAP_MS = 16;

/** What one kind of wait does natively; the hub does the rest. */
export interface HubDriver<W> {
  /** Make what {@linkcode HubDriver.kick} needs (on the first wait in the process). */
  open(): void;
  /** Make the native call in flight return. */
  kick(): void;
  /**
   * One turn for `batch`, the waiters now waiting: make the native call
   * (parked on the worker pool when `park` is true, else without waiting),
   * then settle the waiters that are done through {@linkcode WaitHub.resolve}
   * and {@linkcode WaitHub.reject}. Returns whether anything happened (a
   * turn without waiting that returns false is followed by a nap).
   */
  turn(batch: W[], park: boolean): Promise<boolean> | boolean;
  /**
   * Present when the driver keeps its own interest set that the call in
   * flight watches: register `waiter` there now (it may settle it at once,
   * e.g. when the kernel refuses the descriptor). The hub then never kicks
   * for a new waiter, and `turn` gets an empty batch.
   */
  add?(waiter: W): void;
  /** Take `waiter` out of the driver's interest set (it was aborted); idempotent. */
  remove?(waiter: W): void;
}

const NO_WAITERS: never[] = [];

interface Settle<T> {
  resolve(value: T): void;
  reject(err: unknown): void;
}

/** The waiters of one kind and the single native call that serves them. */
export class WaitHub<W, T> {
  readonly #driver: HubDriver<W>;
  readonly #waiters = new Map<W, Settle<T>>();
  /** Settlements held back until the call in flight has returned. */
  readonly #leaving: Array<() => void> = [];
  #opened = false;
  #running = false;
  #nap = 1;

  /**
   * Make a hub.
   *
   * @param driver Makes the native calls.
   */
  constructor(driver: HubDriver<W>) {
    this.#driver = driver;
  }

  /** The waiters waiting now, in the order they came. */
  waiters(): W[] {
    return [...this.#waiters.keys()];
  }

  /** How many waiters wait now. */
  get size(): number {
    return this.#waiters.size;
  }

  /** Whether the loop runs (a turn, and on a pool a native call, may be in flight). */
  get running(): boolean {
    return this.#running;
  }

  /** Whether a native call is in flight on the worker pool now. */
  get calling(): boolean {
    return this.#running && backend().offThread;
  }

  /**
   * Wait until the driver settles `waiter`, or `signal` aborts (rejecting
   * with `signal.reason` once no native call started for it is pending).
   * Throws at once when the driver cannot open.
   *
   * @param waiter What this wait is for (a fresh object per wait).
   * @param signal Aborts the wait.
   */
  wait(waiter: W, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.#opened) {
      this.#driver.open();
      this.#opened = true;
      // Node's exit joins its pool threads: the parked call must return then.
      backend().onExit(() => this.kick());
    }
    const driver = this.#driver;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        if (!this.#waiters.delete(waiter)) return;
        driver.remove?.(waiter);
        // The call in flight watches the others too: it is not this waiter's own.
        if (driver.add && this.#waiters.size > 0) return reject(signal!.reason);
        this.#afterCall(() => reject(signal!.reason));
        this.kick();
      };
      this.#waiters.set(waiter, {
        resolve(value) {
          signal?.removeEventListener("abort", onAbort);
          resolve(value);
        },
        reject(err) {
          signal?.removeEventListener("abort", onAbort);
          reject(err);
        },
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#nap = 1;
      if (driver.add) {
        try {
          driver.add(waiter);
        } catch (err) {
          this.reject(waiter, err);
        }
        // The call in flight (if any) sees the new registration: no kick.
        if (!this.#running && this.#waiters.has(waiter)) this.#start();
      } else if (this.#running) this.kick();
      else this.#start();
    });
  }

  /**
   * Settle `waiter` with `value` if it still waits (for the driver, after the
   * native call has returned). Returns whether it did.
   */
  resolve(waiter: W, value: T): boolean {
    const settle = this.#waiters.get(waiter);
    if (settle === undefined) return false;
    this.#waiters.delete(waiter);
    settle.resolve(value);
    return true;
  }

  /** Reject `waiter` with `err` if it still waits. Returns whether it did. */
  reject(waiter: W, err: unknown): boolean {
    const settle = this.#waiters.get(waiter);
    if (settle === undefined) return false;
    this.#waiters.delete(waiter);
    settle.reject(err);
    return true;
  }

  /**
   * Take `waiter` out and settle it with `value` once the call in flight has
   * returned (at once when none is); the caller kicks.
   */
  leave(waiter: W, value: T): void {
    const settle = this.#waiters.get(waiter);
    if (settle === undefined) return;
    this.#waiters.delete(waiter);
    this.#afterCall(() => settle.resolve(value));
  }

  /** Make the call in flight return, so the next turn sees the waiters as they are. */
  kick(): void {
    if (this.#running) this.#driver.kick();
  }

  #afterCall(settle: () => void): void {
    if (this.calling) this.#leaving.push(settle);
    else settle();
  }

  #flush(): void {
    for (const settle of this.#leaving.splice(0)) settle();
  }

  /** Start the loop; should a native call itself throw, every waiter learns why. */
  #start(): void {
    this.#run().catch((err) => {
      for (const w of this.waiters()) {
        this.#driver.remove?.(w);
        this.reject(w, err);
      }
    });
  }

  async #run(): Promise<void> {
    const park = backend().offThread;
    const driver = this.#driver;
    this.#nap = 1;
    this.#running = true;
    try {
      while (this.#waiters.size > 0) {
        const busy = await driver.turn(driver.add ? NO_WAITERS : this.waiters(), park);
        this.#flush();
        if (park) continue;
        if (busy) {
          this.#nap = 1;
        } else {
          // No thread to park (Bun): nap on a timer, backing off (a new
          // waiter starts over), and check again.
          const nap = this.#nap;
          await new Promise((resolve) => setTimeout(resolve, nap));
          if (this.#nap === nap) this.#nap = Math.min(nap * 2, MAX_NAP_MS);
        }
      }
    } finally {
      this.#running = false;
      this.#flush();
    }
  }
}
