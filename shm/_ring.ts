// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the Channel's synchronous hot path over the mapped ring.
 *
 * Counters are free-running 32-bit positions (int32 arithmetic); the ring
 * offset is `position & mask`. The producer caches the consumer's head and
 * re-reads it only when the ring looks full; the consumer caches the tail
 * and re-reads it only when it has consumed everything it saw, so the two
 * cache lines move between CPUs once per batch, not once per message.
 * FUTEX_WAKE is issued only when the other side flagged that it sleeps.
 *
 * @module
 */
import { futexWake } from "../_ffi/futex.ts";
import {
  frameSize,
  HEADER_SIZE,
  I_CONSUMER_EPOCH,
  I_CONSUMER_WAITING,
  I_HEAD,
  I_LOCK,
  I_PRODUCER_EPOCH,
  I_PRODUCER_PID,
  I_PRODUCER_WAITING,
  I_STATE,
  I_TAIL,
  STATE_ENDED,
  WRAP,
} from "./_layout.ts";
import { pidAlive } from "./_owner.ts";
import { ARCH } from "../_ffi/constants.ts";
import { copy, WordView } from "./_copy.ts";

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

/** The ring's synchronous operations. One instance per mapping. */
export class Ring {
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  /** The whole mapping as bytes (header included), the same memory as `i32`. */
  readonly all8: Uint8Array;
  readonly capacity: number;
  readonly mask: number;
  readonly maxMessage: number;
  readonly base: number;
  readonly multi: boolean;
  readonly pid: number;
  #target = new WordView();
  #source = new WordView();
  #headCache: number;
  #tailCache: number;
  #tail: number;
  #head: number;
  /** Length of the message lent out as a view (its space not yet handed back), or -1. */
  #held = -1;
  /** Messages this handle sent and received, and their payload bytes (for `Channel.stats`). */
  sent = 0;
  sentBytes = 0;
  received = 0;
  receivedBytes = 0;

  constructor(buffer: ArrayBuffer, capacity: number, base: number, multi: boolean, pid: number) {
    this.i32 = new Int32Array(buffer);
    this.u8 = new Uint8Array(buffer, HEADER_SIZE, capacity);
    this.all8 = new Uint8Array(buffer);
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxMessage = capacity / 2 - 4;
    this.base = base;
    this.multi = multi;
    this.pid = pid;
    this.#tail = Atomics.load(this.i32, I_TAIL);
    this.#head = Atomics.load(this.i32, I_HEAD);
    this.#headCache = this.#head;
    this.#tailCache = this.#tail;
  }

  /** Re-read the producer's counters (after taking over its role); a lent view stays lent. */
  resyncProducer(): void {
    this.#tail = Atomics.load(this.i32, I_TAIL);
    this.#headCache = Atomics.load(this.i32, I_HEAD);
  }

  /** Re-read the consumer's counters (after taking over its role). */
  resyncConsumer(): void {
    this.#held = -1;
    this.#head = Atomics.load(this.i32, I_HEAD);
    this.#tailCache = Atomics.load(this.i32, I_TAIL);
  }

  /** Address of the word the consumer sleeps on. */
  get consumerEpochAddress(): number {
    return this.base + I_CONSUMER_EPOCH * 4;
  }

  /** Address of the word producers sleep on. */
  get producerEpochAddress(): number {
    return this.base + I_PRODUCER_EPOCH * 4;
  }

  /** Write one message if it fits now; false when the ring is full. */
  trySend(bytes: Uint8Array): boolean {
    if (this.multi) return this.#lockedSend(bytes);
    return this.#send(bytes, this.#tail);
  }

  #send(bytes: Uint8Array, tail: number): boolean {
    const next = this.#write(bytes, this.#source.of(bytes), 0, bytes.length, tail);
    if (next === -1) return false;
    this.#publish(next);
    this.sent++;
    this.sentBytes += bytes.length;
    return true;
  }

  /**
   * Write one frame of `len` bytes from `src[from]` at `tail` if it fits
   * now, without publishing it; the tail after it, or -1 when full.
   */
  #write(src: Uint8Array, src32: Int32Array, from: number, len: number, tail: number): number {
    const frame = frameSize(len);
    let offset = tail & this.mask;
    const toEnd = this.capacity - offset;
    const need = toEnd < frame ? toEnd + frame : frame;
    if (this.capacity - ((tail - this.#headCache) | 0) < need) {
      this.#headCache = Atomics.load(this.i32, I_HEAD);
      if (this.capacity - ((tail - this.#headCache) | 0) < need) return -1;
    }
    const i32 = this.i32;
    if (toEnd < frame) {
      i32[(HEADER_SIZE + offset) >> 2] = WRAP;
      tail = (tail + toEnd) | 0;
      offset = 0;
    }
    const at = HEADER_SIZE + offset;
    i32[at >> 2] = len;
    copy(this.all8, i32, at + 4, src, src32, from, len);
    return (tail + frame) | 0;
  }

  /** Make every frame written up to `tail` visible to the consumer, waking it if it sleeps. */
  #publish(tail: number): void {
    const i32 = this.i32;
    this.#tail = tail;
    if (TSO) i32[I_TAIL] = tail;
    else Atomics.store(i32, I_TAIL, tail);
    if (Atomics.load(i32, I_CONSUMER_WAITING) !== 0) this.#wakeWaiting(I_CONSUMER_WAITING);
  }

  /**
   * Write the messages stored back to back in `data` (`lengths[i]` bytes
   * each, the first `count`) while they fit, publishing them once; how many
   * were written.
   */
  trySendBatch(data: Uint8Array, lengths: ArrayLike<number>, count: number): number {
    if (!this.multi) return this.#sendBatch(data, lengths, count, this.#tail);
    return this.#locked((tail) => this.#sendBatch(data, lengths, count, tail));
  }

  #sendBatch(data: Uint8Array, lengths: ArrayLike<number>, count: number, tail: number): number {
    const data32 = this.#source.of(data);
    let from = 0, n = 0;
    for (; n < count; n++) {
      const len = lengths[n]!;
      const next = this.#write(data, data32, from, len, tail);
      if (next === -1) break;
      tail = next;
      from += len;
    }
    if (n > 0) this.#publish(tail);
    this.sent += n;
    this.sentBytes += from;
    return n;
  }

  #lockedSend(bytes: Uint8Array): boolean {
    return this.#locked((tail) => this.#send(bytes, tail));
  }

  /** Run `body` with the producers' lock held, from the shared tail. */
  #locked<T>(body: (tail: number) => T): T {
    const i32 = this.i32;
    for (let spins = 0;; spins++) {
      const holder = Atomics.compareExchange(i32, I_LOCK, 0, this.pid);
      if (holder === 0) break;
      // A sender that died inside send() never published: steal its lock.
      if (spins > 1000 && (spins & 1023) === 0 && !pidAlive(holder)) {
        Atomics.compareExchange(i32, I_LOCK, holder, 0);
      }
    }
    try {
      if (Atomics.load(i32, I_PRODUCER_PID) !== this.pid) {
        Atomics.store(i32, I_PRODUCER_PID, this.pid);
      }
      const tail = Atomics.load(i32, I_TAIL);
      // Others sent since this handle did: its cached head may lag by 2^31 bytes
      // or more, where the int32 distance wraps and shows room that is not there.
      if (tail !== this.#tail) this.#headCache = Atomics.load(i32, I_HEAD);
      return body(tail);
    } finally {
      Atomics.store(i32, I_LOCK, 0);
    }
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

  /** Whether a message is ready to read. */
  hasData(): boolean {
    return this.#head !== this.#tailCache ||
      (this.#tailCache = Atomics.load(this.i32, I_TAIL)) !== this.#head;
  }

  /** Whether the ring has room for a message of `length` bytes now. */
  hasRoom(length: number): boolean {
    const tail = this.multi ? Atomics.load(this.i32, I_TAIL) : this.#tail;
    const frame = frameSize(length);
    const toEnd = this.capacity - (tail & this.mask);
    const need = toEnd < frame ? toEnd + frame : frame;
    this.#headCache = Atomics.load(this.i32, I_HEAD);
    return this.capacity - ((tail - this.#headCache) | 0) >= need;
  }

  /**
   * Length of the next message, or -1 when the ring is empty. A message lent
   * out as a view is handed back first.
   */
  peekLength(): number {
    if (this.#held >= 0) this.release();
    if (!this.hasData()) return -1;
    let offset = this.#head & this.mask;
    let len = this.i32[(HEADER_SIZE + offset) >> 2]!;
    if (len === WRAP) {
      this.#head = (this.#head + this.capacity - offset) | 0;
      offset = 0;
      len = this.i32[HEADER_SIZE >> 2]!;
    }
    return len;
  }

  /** Copy the next message into `target` (known to fit); returns its length. */
  takeInto(target: Uint8Array, len: number): number {
    const at = HEADER_SIZE + (this.#head & this.mask) + 4;
    copy(target, this.#target.of(target), 0, this.all8, this.i32, at, len);
    this.#advance(len);
    return len;
  }

  /**
   * Copy the ready messages back to back into `target` while they fit
   * (their lengths into `lengths`), handing their space back once; how many
   * were taken. -1 when the first ready message is larger than `target`
   * (it stays), 0 when none is ready.
   */
  takeBatch(target: Uint8Array, lengths: Uint32Array): number {
    if (this.#held >= 0) this.release();
    const i32 = this.i32, mask = this.mask;
    const target32 = this.#target.of(target);
    let head = this.#head, tail = this.#tailCache, to = 0, n = 0;
    while (n < lengths.length) {
      if (head === tail && (tail = this.#tailCache = Atomics.load(i32, I_TAIL)) === head) break;
      let offset = head & mask;
      let len = i32[(HEADER_SIZE + offset) >> 2]!;
      if (len === WRAP) {
        head = (head + this.capacity - offset) | 0;
        offset = 0;
        len = i32[HEADER_SIZE >> 2]!;
      }
      if (to + len > target.length) {
        if (n === 0) return -1;
        break;
      }
      copy(target, target32, to, this.all8, i32, HEADER_SIZE + offset + 4, len);
      lengths[n++] = len;
      to += len;
      head = (head + frameSize(len)) | 0;
    }
    this.received += n;
    this.receivedBytes += to;
    if (n > 0) this.#setHead(head);
    return n;
  }

  /**
   * Lend the next message (known ready) as a view into the ring: its space
   * is handed back to the producer only by {@linkcode Ring.release} (or the
   * next `peekLength`).
   */
  lend(len: number): Uint8Array {
    const start = (this.#head & this.mask) + 4;
    this.#held = len;
    return this.u8.subarray(start, start + len);
  }

  /** Hand back the space of the message lent out, if any. */
  release(): void {
    const len = this.#held;
    if (len < 0) return;
    this.#held = -1;
    this.#advance(len);
  }

  /** Copy the next message out into a new array. */
  take(len: number): Uint8Array {
    const start = (this.#head & this.mask) + 4;
    const out = this.u8.slice(start, start + len);
    this.#advance(len);
    return out;
  }

  #advance(len: number): void {
    this.received++;
    this.receivedBytes += len;
    this.#setHead((this.#head + frameSize(len)) | 0);
  }

  /** Hand the space before `head` back to the producers, waking them if they sleep. */
  #setHead(head: number): void {
    this.#head = head;
    const i32 = this.i32;
    if (TSO) i32[I_HEAD] = head;
    else Atomics.store(i32, I_HEAD, head);
    if (Atomics.load(i32, I_PRODUCER_WAITING) !== 0) this.#wakeWaiting(I_PRODUCER_WAITING);
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
