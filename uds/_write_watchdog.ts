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

interface Watched {
  /** Names the peer in the error. */
  who: () => string;
  /** The writer's write count when last seen. */
  writes: number;
  /** Since when (ms) it has been stuck at that count with bytes queued. */
  since: number;
}

/**
 * Watches the writers of a server's connections with one timer, running
 * only while there are connections: a check every quarter of the timeout (at
 * most every second), and none on the write path.
 */
export class WriteWatchdog {
  readonly #timeout: number;
  readonly #every: number;
  readonly #watched = new Map<FramedConnection, Watched>();
  #timer: ReturnType<typeof setInterval> | undefined;

  /** @param timeout ms without progress before a connection fails; `Infinity`: never. */
  constructor(timeout: number) {
    this.#timeout = timeout;
    this.#every = Math.max(10, Math.min(1000, timeout / 4));
  }

  /** Watches `fc` until {@linkcode WriteWatchdog.unwatch}; `who` names its peer. */
  watch(fc: FramedConnection, who: () => string): void {
    if (this.#timeout === Infinity) return;
    this.#watched.set(fc, { who, writes: -1, since: 0 });
    this.#timer ??= setInterval(() => this.#check(), this.#every);
  }

  /** Stops watching `fc` (it closed); the timer stops with the last one. */
  unwatch(fc: FramedConnection): void {
    if (!this.#watched.delete(fc) || this.#watched.size > 0) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #check(): void {
    const now = performance.now();
    for (const [fc, w] of this.#watched) {
      const writer = fc.writer;
      if (writer.queued === 0 || writer.writes !== w.writes) {
        w.writes = writer.writes;
        w.since = now;
      } else if (now - w.since >= this.#timeout && !fc.closed) {
        fc.close(
          new errors.TimedOut(
            `Cannot write to ${w.who()}: ${writer.queued} bytes queued and none written ` +
              `for ${this.#timeout} ms (writeTimeout); the connection is closed`,
          ),
        );
      }
    }
  }
}
