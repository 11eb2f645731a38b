// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A server's write watchdog: a connection whose queued bytes make no
 * progress for `writeTimeout` ms (a client that stopped reading) is failed,
 * so that `notify`, `broadcast` and replies waiting on it do not pend forever.
 *
 * @module
 */
import { errors } from "../_ffi/errors.ts";
import type { FramedConnection } from "./_connection.ts";

/** A connection seen with bytes queued. */
interface Queued {
  /** The writer's write count when last seen. */
  writes: number;
  /** Since when (ms) it has been stuck at that count with bytes queued. */
  since: number;
}

/**
 * Watches the writers of a server's connections with one timer, running
 * only while there are connections: a check every quarter of the timeout (at
 * most every second), and none on the write path. Only a connection seen
 * with bytes queued gets a record (an idle one is just a set member).
 */
export class WriteWatchdog {
  readonly #timeout: number;
  readonly #every: number;
  readonly #watched = new Set<FramedConnection>();
  readonly #queued = new Map<FramedConnection, Queued>();
  #timer: ReturnType<typeof setInterval> | undefined;

  /** @param timeout ms without progress before a connection fails; `Infinity`: never. */
  constructor(timeout: number) {
    this.#timeout = timeout;
    this.#every = Math.max(10, Math.min(1000, timeout / 4));
  }

  /** Watches `fc` until {@linkcode WriteWatchdog.unwatch}. */
  watch(fc: FramedConnection): void {
    if (this.#timeout === Infinity) return;
    this.#watched.add(fc);
    this.#timer ??= setInterval(() => this.#check(), this.#every);
  }

  /** Stops watching `fc` (it closed); the timer stops with the last one. */
  unwatch(fc: FramedConnection): void {
    this.#queued.delete(fc);
    if (!this.#watched.delete(fc) || this.#watched.size > 0) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    const now = performance.now();
    for (const fc of this.#watched) {
      const writer = fc.writer;
      const seen = this.#queued.get(fc);
      if (writer.queued === 0) {
        if (seen) this.#queued.delete(fc);
      } else if (seen === undefined || writer.writes !== seen.writes) {
        this.#queued.set(fc, { writes: writer.writes, since: now });
      } else if (now - seen.since >= this.#timeout && !fc.closed) {
        fc.close(
          new errors.TimedOut(
            `Cannot write to ${fc.who()}: ${writer.queued} bytes queued and none written ` +
              `for ${this.#timeout} ms (writeTimeout); the connection is closed`,
          ),
        );
      }
    }
  }
}
