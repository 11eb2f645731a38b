// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: how a Channel waits. Sends and receives that cannot complete at
 * once queue up in order (one {@linkcode WaitQueue} each), spin briefly, then
 * sleep on the shared futex in slices, checking between slices whether the
 * channel was ended or the peer process died.
 *
 * @module
 */
import { errors, libc } from "../_ffi/mod.ts";
import { futexWait } from "../_ffi/futex.ts";
import { diagnostics } from "../_diagnostics.ts";
import * as L from "./_layout.ts";
import { pidAlive } from "./_owner.ts";
import type { Ring } from "./_ring.ts";
import { RACE_MS } from "./_ring_core.ts";
import { type ChannelGuard, endedError } from "./_channel_guard.ts";

/**
 * How long one futex sleep lasts before state and peer liveness are
 * re-checked (the first sleep after raising the WAITING flag lasts at most
 * `RACE_MS`: see `_ring_core.ts`).
 */
const SLICE_MS = 200;
/**
 * A sender spinning on a full ring waits for this share of the capacity
 * (2^-6) to be free, not just for its own message, so it re-reads the
 * consumer's head once per batch instead of once per message.
 */
const ROOM_SHIFT = 6;
/**
 * After this long, a spin yields the CPU between checks: when the peer
 * shares this CPU (a busy machine), it runs instead of waiting for our time
 * slice to end; on an idle machine sched_yield returns at once.
 */
const YIELD_AFTER_MS = 0.005;

/** Checks of `ready` between two clock reads of a spin. */
const CHECKS = 64;

/**
 * Call `ready` in a busy loop for up to `ms`; whether it became true. The
 * clock is read only after a first round of checks: a clock read costs
 * ~0.1–0.2 µs on a VM (kvm-clock), more than the wait it would time when
 * the peer is a few hundred nanoseconds behind.
 */
export function spinUntil(ready: () => boolean, ms: number): boolean {
  if (ms <= 0) return false;
  for (let i = 0; i < CHECKS; i++) if (ready()) return true;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < CHECKS; i++) if (ready()) return true;
    elapsed = performance.now() - start;
    if (elapsed > YIELD_AFTER_MS) libc().sched_yield();
  } while (elapsed < ms);
  return false;
}

/** Does nothing (a rejection handler). */
function noop(): void {}

/** Wait for the previous queued operation, but reject at once on abort. */
function turn(previous: Promise<void> | undefined, signal?: AbortSignal): Promise<void> {
  if (previous === undefined && !signal?.aborted) return Promise.resolve();
  if (signal === undefined) return previous!;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    previous!.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

/** Waiting operations of one kind (sends or receives), run one after another in call order. */
export class WaitQueue {
  /** How many operations are queued or running. */
  pending = 0;
  #chain: Promise<void> | undefined;

  /** Run `body` once every earlier operation has settled; an abort rejects at once. */
  run<T>(signal: AbortSignal | undefined, body: () => Promise<T>): Promise<T> {
    const previous = this.#chain;
    this.pending++;
    const p = (async () => {
      try {
        await turn(previous, signal);
        return await body();
      } finally {
        this.pending--;
      }
    })();
    // The next one waits for this one and, if this one was aborted early, for its predecessor.
    this.#chain = p.then(noop, noop).then(() => previous);
    return p;
  }
}

/** The waiting side of one Channel handle. */
export class ChannelWaiter {
  /** Receives waiting for data. */
  readonly receives: WaitQueue = new WaitQueue();
  /** Sends waiting for room. */
  readonly sends: WaitQueue = new WaitQueue();
  readonly #ring: Ring;
  readonly #name: string;
  readonly #spinMs: number;
  readonly #guard: ChannelGuard;
  readonly #hasData: () => boolean;

  /**
   * @param ring The channel's ring.
   * @param name The channel's name, for errors.
   * @param spin How long a wait spins before it sleeps, in µs.
   * @param guard The handle's checks (BadResource once it is closed).
   */
  constructor(ring: Ring, name: string, spin: number, guard: ChannelGuard) {
    this.#ring = ring;
    this.#name = name;
    this.#spinMs = spin / 1000;
    this.#guard = guard;
    // A bound method, not an arrow: with an arrow made here (capturing the
    // ring and its views of the mapping), `deno task soak` measured private
    // memory growing ~5 KiB per closed channel up to ~150 MiB (V8 heap
    // flat); with the bound method it stays flat.
    this.#hasData = ring.hasData.bind(ring);
  }

  /** Spin for data when no receive is queued; whether data came. */
  spinForData(): boolean {
    return this.receives.pending === 0 && this.#spinMs > 0 &&
      spinUntil(this.#hasData, this.#spinMs);
  }

  /** Spin for data for up to `micros` µs whatever the handle's own spin; whether data came. */
  spinForDataFor(micros: number): boolean {
    return spinUntil(this.#hasData, micros / 1000);
  }

  /** Spin for room for `length` bytes when no send is queued; whether room came. */
  spinForRoom(length: number): boolean {
    return this.sends.pending === 0 && this.#spinMs > 0 && this.spinForRoomFor(length, 0);
  }

  /**
   * Spin for room for `length` bytes for up to `micros` µs (0: the handle's
   * own spin) whatever is queued; whether room came.
   */
  spinForRoomFor(length: number, micros: number): boolean {
    const ring = this.#ring;
    const want = Math.max(length, ring.capacity >> ROOM_SHIFT);
    return spinUntil(() => ring.hasRoom(want), micros > 0 ? micros / 1000 : this.#spinMs);
  }

  /** Queue behind earlier sends, then send `bytes`, waiting while the ring is full. */
  send(bytes: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
    return this.sends.run(signal, async () => {
      for (let spin = false; !this.#trySend(bytes); spin = true) {
        await this.#waitRoom(bytes.length, signal, spin);
      }
    });
  }

  /** One send attempt of a waiting send: open and not ended (by any handle), then the ring. */
  #trySend(bytes: Uint8Array): boolean {
    this.#guard.check("send on");
    if (this.#ring.ended) throw endedError("send on", this.#name);
    return this.#ring.trySend(bytes);
  }

  /**
   * Queue behind earlier receives, then hand the length of the next message
   * to `take`, waiting while none is ready.
   */
  receive<T>(signal: AbortSignal | undefined, take: (length: number) => T): Promise<T> {
    return this.receives.run(signal, async () => {
      for (let spin = false;; spin = true) {
        this.#guard.check("receive on"); // a close while queued
        const len = this.#ring.peekLength();
        if (len >= 0) return take(len);
        await this.#waitData(signal, spin);
      }
    });
  }

  async #waitData(signal: AbortSignal | undefined, spin: boolean): Promise<void> {
    const ring = this.#ring;
    if (signal?.aborted) throw signal.reason;
    this.#guard.check("receive on");
    if (spin && spinUntil(this.#hasData, this.#spinMs)) return;
    const epoch = ring.flagConsumerWaiting();
    if (ring.hasData()) return;
    // Ended after the check above? Its last messages were published before
    // the end mark (a producer ends after its sends): look once more.
    if (ring.ended && !ring.hasData()) throw endedError("receive on", this.#name);
    if (ring.ended) return;
    // With several producers any may come and go: only end() finishes the stream.
    const pid = ring.multi ? 0 : Atomics.load(ring.i32, L.I_PRODUCER_PID);
    if (pid !== 0 && pid !== ring.pid && !pidAlive(pid) && !ring.hasData()) {
      throw new errors.ConnectionReset(
        `Cannot receive on channel "${this.#name}": peer gone (producer pid ${pid} exited)`,
      );
    }
    if (diagnostics.channelWait.hasSubscribers) {
      diagnostics.channelWait.publish({ name: this.#name, operation: "receive" });
    }
    await futexWait(ring.consumerEpochAddress, epoch, spin ? SLICE_MS : RACE_MS, signal);
    this.#guard.check("receive on");
  }

  async #waitRoom(length: number, signal: AbortSignal | undefined, spin: boolean): Promise<void> {
    const ring = this.#ring;
    if (signal?.aborted) throw signal.reason;
    this.#guard.check("send on");
    if (spin && this.spinForRoomFor(length, 0)) return;
    const epoch = ring.flagProducerWaiting();
    if (ring.hasRoom(length)) return;
    if (ring.ended) throw endedError("send on", this.#name);
    const pid = Atomics.load(ring.i32, L.I_CONSUMER_PID);
    if (pid !== 0 && pid !== ring.pid && !pidAlive(pid)) {
      throw new errors.ConnectionReset(
        `Cannot send on channel "${this.#name}": peer gone (consumer pid ${pid} exited)`,
      );
    }
    if (diagnostics.channelWait.hasSubscribers) {
      diagnostics.channelWait.publish({ name: this.#name, operation: "send" });
    }
    await futexWait(ring.producerEpochAddress, epoch, spin ? SLICE_MS : RACE_MS, signal);
    this.#guard.check("send on");
  }
}
