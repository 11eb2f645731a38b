// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: what both ends of the Channel's ring share: the views of the
 * mapping, its shape, the end mark, the counters of `Channel.stats`, and the
 * wake-up protocol (publishing a counter, flagging a sleeper, waking it).
 *
 * @module
 */
import { futexWake } from "../_ffi/futex.ts";
import {
  HEADER_SIZE,
  I_CONSUMER_EPOCH,
  I_CONSUMER_WAITING,
  I_PRODUCER_EPOCH,
  I_PRODUCER_WAITING,
  I_STATE,
  STATE_ENDED,
} from "./_layout.ts";
import { ARCH } from "../_ffi/constants.ts";

/**
 * Memory ordering. Every read of the other process's words is an
 * `Atomics.load` (the JIT may cache or reorder plain loads).
 *
 * Wake-ups. A side that is about to sleep sets its WAITING flag with an
 * `Atomics.store` (sequentially consistent: a full fence on x86-64, and
 * ordered before the `Atomics.load` of its re-check elsewhere), re-checks
 * the counter, then sleeps on the epoch word. After each publication the
 * other side reads that flag with one `Atomics.load`, and only when it is
 * set swaps it to 0 and wakes the sleeper.
 *
 * On x86-64 the publishing store is a plain store (TSO: already a release
 * store; the JIT keeps it before the `Atomics.load` that follows, both being
 * on its effect chain) and no fence stands between it and the flag's load: a
 * locked instruction per message would wait for the store buffer to drain,
 * i.e. for the cache lines the message was written to to come back from the
 * other CPU (~0.1 µs each time, more than the rest of a 64-byte send). The
 * price is a rare race: a publication whose flag load ran before the
 * sleeper's flag was visible, while its own store was not yet visible to the
 * sleeper's re-check. Its store becomes visible within a microsecond or so,
 * so the first sleep of every wait lasts at most {@linkcode RACE_MS} (see
 * `_channel_wait.ts`): once the flag has been up that long, no racing
 * publication is left unseen. Elsewhere the publishing store is an
 * `Atomics.store` (release, and ordered before the flag's `Atomics.load`: no
 * race).
 */
const TSO = ARCH === "x86_64";

/**
 * The longest first sleep of a wait, in ms: the bound on the delay of a
 * wake-up that a racing publication missed (see above).
 */
export const RACE_MS = 1;

/** What a channel's header says of its ring. */
export interface RingShape {
  /** Ring size in bytes (a power of two). */
  capacity: number;
  /** Record size of a fixed-record ring, 0 for length-prefixed messages. */
  record: number;
  /** Whether producers serialise through the lock. */
  multi: boolean;
  /** The channel's name, for errors. */
  name: string;
}

/** The mapping's views and shape, and the wake-up protocol of both ends. */
export class RingCore {
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  /** The whole mapping as bytes (header included), the same memory as `i32`. */
  readonly all8: Uint8Array;
  readonly capacity: number;
  readonly mask: number;
  readonly maxMessage: number;
  /**
   * The record size of a fixed-record ring (every message is exactly this
   * long, stored without a prefix), or 0 for length-prefixed messages.
   */
  readonly record: number;
  /** The smallest message: `record` (0 for length-prefixed messages). */
  readonly minMessage: number;
  /** Bytes before each payload in the ring: 4 (the length), 0 for records. */
  readonly prefix: number;
  /** The smallest step of the counters: one record, or a frame of an empty message (4). */
  readonly minFrame: number;
  /** `capacity - minFrame`: `tail - head` is valid when `(ready - minFrame) >>> 0` is at most this. */
  readonly readySpan: number;
  /** The channel's name, for errors. */
  readonly name: string;
  /** The mapping's address. */
  readonly base: number;
  readonly multi: boolean;
  readonly pid: number;
  /** Messages this handle sent and received, and their payload bytes (for `Channel.stats`). */
  sent = 0;
  sentBytes = 0;
  received = 0;
  receivedBytes = 0;

  constructor(buffer: ArrayBuffer, shape: RingShape, base: number, pid: number) {
    const { capacity, record, multi, name } = shape;
    this.i32 = new Int32Array(buffer);
    this.u8 = new Uint8Array(buffer, HEADER_SIZE, capacity);
    this.all8 = new Uint8Array(buffer);
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.record = record;
    this.minMessage = record;
    this.maxMessage = record === 0 ? capacity / 2 - 4 : record;
    this.prefix = record === 0 ? 4 : 0;
    this.minFrame = record === 0 ? 4 : record;
    this.readySpan = capacity - this.minFrame;
    this.name = name;
    this.base = base;
    this.multi = multi;
    this.pid = pid;
  }

  /** Address of the word the consumer sleeps on. */
  get consumerEpochAddress(): number {
    return this.base + I_CONSUMER_EPOCH * 4;
  }

  /** Address of the word producers sleep on. */
  get producerEpochAddress(): number {
    return this.base + I_PRODUCER_EPOCH * 4;
  }

  /** Whether the producer ended the stream (the header's STATE_ENDED bit). */
  get ended(): boolean {
    return (Atomics.load(this.i32, I_STATE) & STATE_ENDED) !== 0;
  }

  /** Mark the stream ended and wake the consumer to see it. */
  end(): void {
    Atomics.or(this.i32, I_STATE, STATE_ENDED);
    this.wakeConsumer();
  }

  /**
   * Publish `value` in the counter at `index` (a release store) and wake
   * the other side if its flag at `waiting` says it sleeps.
   */
  protected publishWord(index: number, value: number, waiting: number): void {
    const i32 = this.i32;
    if (TSO) i32[index] = value;
    else Atomics.store(i32, index, value);
    if (Atomics.load(i32, waiting) !== 0) this.#wakeWaiting(waiting);
  }

  /** Take down the flag at `index` and wake the side it flags (out of line: rare). */
  #wakeWaiting(index: number): void {
    if (Atomics.exchange(this.i32, index, 0) === 0) return; // another publication woke it
    if (index === I_CONSUMER_WAITING) this.wakeConsumer();
    else this.#wakeProducers();
  }

  /** Wake the consumer (out of line: rare). */
  wakeConsumer(): void {
    Atomics.add(this.i32, I_CONSUMER_EPOCH, 1);
    futexWake(this.consumerEpochAddress);
  }

  #wakeProducers(): void {
    Atomics.add(this.i32, I_PRODUCER_EPOCH, 1);
    futexWake(this.producerEpochAddress);
  }

  /**
   * Prepare the consumer's sleep: returns the epoch to sleep on, read before
   * the flag is set; the caller re-checks for data before sleeping.
   */
  flagConsumerWaiting(): number {
    const epoch = Atomics.load(this.i32, I_CONSUMER_EPOCH);
    Atomics.store(this.i32, I_CONSUMER_WAITING, 1); // seq_cst: ordered before the re-check
    return epoch;
  }

  /** The same for a producer waiting for room. */
  flagProducerWaiting(): number {
    const epoch = Atomics.load(this.i32, I_PRODUCER_EPOCH);
    Atomics.store(this.i32, I_PRODUCER_WAITING, 1);
    return epoch;
  }
}
