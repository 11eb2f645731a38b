// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A client's reconnection: the backoff loop and the callers waiting for the
 * client to be ready again.
 *
 * @module
 */
import type { ReconnectOptions } from "./types.ts";
import { ConnectionClosedError } from "./errors.ts";
import { diagnostics } from "../_diagnostics.ts";

function delay(ms: number, signal: AbortSignal): Promise<void> {
  // Already stopped (e.g. close() failed the attempt in progress): no wait.
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Calls `open` until it succeeds, waiting `initialDelay` before the first
 * attempt and doubling the wait (up to `maxDelay`) after each failure. Calls
 * `giveUp` after `maxAttempts` failures. Once `stop` is aborted it just
 * returns: whoever stopped it (the client's close()) says why.
 */
export async function reconnectLoop(
  options: Required<ReconnectOptions>,
  stop: AbortSignal,
  open: (signal: AbortSignal) => Promise<void>,
  giveUp: (reason: Error) => void,
): Promise<void> {
  const { initialDelay, maxDelay, maxAttempts } = options;
  let wait = initialDelay;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    await delay(wait, stop);
    if (stop.aborted) return;
    try {
      await open(stop);
      if (diagnostics.reconnect.hasSubscribers) {
        diagnostics.reconnect.publish({ attempt, delayMs: wait });
      }
      return;
    } catch (error) {
      if (diagnostics.reconnect.hasSubscribers) {
        diagnostics.reconnect.publish({ attempt, delayMs: wait, error });
      }
      wait = Math.min(wait * 2, maxDelay);
    }
  }
  giveUp(new ConnectionClosedError("Gave up reconnecting"));
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/** Callers waiting for a connecting or reconnecting client to be ready. */
export class ReadyWaiters {
  #waiters: Waiter[] = [];

  /** Waits until {@linkcode ReadyWaiters.resolveAll} or `rejectAll`, or `signal` aborts. */
  wait(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // The listener added is the one removed when the wait settles.
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(signal!.reason);
      };
      const waiter = {
        resolve: () => (signal?.removeEventListener("abort", onAbort), resolve()),
        reject: (e: unknown) => (signal?.removeEventListener("abort", onAbort), reject(e)),
      };
      this.#waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Wakes every waiter: the client is ready. */
  resolveAll(): void {
    for (const w of this.#waiters.splice(0)) w.resolve();
  }

  /** Rejects every waiter with `err`: the client is closed. */
  rejectAll(err: unknown): void {
    for (const w of this.#waiters.splice(0)) w.reject(err);
  }
}
