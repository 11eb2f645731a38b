// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the Channel's synchronous hot path over the mapped ring, the
 * producer's end here (the consumer's in `_ring_reader.ts`, what both share
 * in `_ring_core.ts`).
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
import {
  frameSize,
  HEADER_SIZE,
  I_CONSUMER_WAITING,
  I_HEAD,
  I_LOCK,
  I_PRODUCER_PID,
  I_TAIL,
  WRAP,
} from "./_layout.ts";
import { pidAlive } from "./_owner.ts";
import { errors } from "../_ffi/mod.ts";
import { copy, SMALL, WordView } from "./_copy.ts";
import { RingReader } from "./_ring_reader.ts";
import type { RingShape } from "./_ring_core.ts";

/**
 * The longest a send spins on the producers' lock while one live process
 * holds it, in ms: far over the longest send (a copy of half of a 1 GiB
 * ring), short enough not to hang the thread for good.
 */
export const LOCK_MS = 2000;

/** The error of a send that found the lock held too long. */
function lockBusy(name: string, holder: number): Error {
  return new errors.Busy(
    `Cannot send on channel "${name}": process ${holder} has held the producers' lock for over ${LOCK_MS} ms (stopped inside a send, or not a producer of this channel); nothing was sent`,
  );
}

/** The ring's synchronous operations. One instance per mapping. */
export class Ring extends RingReader {
  #source = new WordView();
  #headCache: number;
  #tail: number;

  constructor(buffer: ArrayBuffer, shape: RingShape, base: number, pid: number) {
    super(buffer, shape, base, pid);
    this.#tail = Atomics.load(this.i32, I_TAIL);
    this.#headCache = Atomics.load(this.i32, I_HEAD);
  }

  /** Re-read the producer's counters (after taking over its role); a lent view stays lent. */
  resyncProducer(): void {
    this.#tail = Atomics.load(this.i32, I_TAIL);
    this.#headCache = Atomics.load(this.i32, I_HEAD);
  }

  /** Write one message if it fits now; false when the ring is full. */
  trySend(bytes: Uint8Array): boolean {
    if (this.multi) return this.#lockedSend(bytes);
    return this.#send(bytes, this.#tail);
  }

  #send(bytes: Uint8Array, tail: number): boolean {
    if (this.record !== 0) return this.#sendRecords(bytes, 1, tail) === 1;
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
    const room = this.capacity - ((tail - this.#headCache) | 0);
    if (room < need || room > this.capacity) {
      // Full, or a head ahead of the tail (a foreign peer's garbage): no room to trust.
      // (#roomFor's test written out: calling it here measured ~8% slower per message.)
      const fresh = this.capacity -
        ((tail - (this.#headCache = Atomics.load(this.i32, I_HEAD))) | 0);
      if (fresh < need || fresh > this.capacity) return -1;
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
    this.#tail = tail;
    this.publishWord(I_TAIL, tail, I_CONSUMER_WAITING);
  }

  /**
   * Write the messages stored back to back in `data` (`lengths[i]` bytes
   * each, the first `count`) while they fit, publishing them once; how many
   * were written.
   */
  trySendBatch(data: Uint8Array, lengths: ArrayLike<number>, count: number): number {
    if (this.record !== 0) return this.trySendRecords(data, count); // lengths checked: all `record`
    if (!this.multi) return this.#sendBatch(data, lengths, count, this.#tail);
    return this.#locked((tail) => this.#sendBatch(data, lengths, count, tail));
  }

  /**
   * Write the first `count` records of `data` (a fixed-record ring) while
   * they fit, in at most two copies (one unless the ring wraps), publishing
   * them once; how many were written.
   */
  trySendRecords(data: Uint8Array, count: number): number {
    if (!this.multi) return this.#sendRecords(data, count, this.#tail);
    return this.#locked((tail) => this.#sendRecords(data, count, tail));
  }

  #sendRecords(data: Uint8Array, count: number, tail: number): number {
    const record = this.record, capacity = this.capacity;
    const want = count * record;
    let room = capacity - ((tail - this.#headCache) | 0);
    if (room < want || room > capacity) {
      room = capacity - ((tail - (this.#headCache = Atomics.load(this.i32, I_HEAD))) | 0);
      if (room > capacity) return 0; // a head ahead of the tail (a foreign peer's garbage): no room
    }
    const bytes = room < want ? room - room % record : want;
    if (bytes === 0) return 0;
    const offset = tail & this.mask;
    const first = capacity - offset < bytes ? capacity - offset : bytes;
    if (bytes === data.length && first === bytes && bytes > SMALL) {
      this.all8.set(data, HEADER_SIZE + offset); // a whole batch in one piece: no view to make
    } else {
      const data32 = this.#source.of(data);
      copy(this.all8, this.i32, HEADER_SIZE + offset, data, data32, 0, first);
      if (first < bytes) copy(this.all8, this.i32, HEADER_SIZE, data, data32, first, bytes - first);
    }
    this.#publish((tail + bytes) | 0);
    const n = bytes / record;
    this.sent += n;
    this.sentBytes += bytes;
    return n;
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

  /**
   * Run `body` with the producers' lock held, from the shared tail. Busy
   * when one live holder keeps it over {@linkcode LOCK_MS} (a producer
   * stopped inside a send, a Worker terminated inside one, a dead sender's
   * pid reused, or a foreign value): the spin blocks the thread, so it must
   * end; nothing was sent.
   */
  #locked<T>(body: (tail: number) => T): T {
    const i32 = this.i32;
    let since = 0, last = 0;
    for (let spins = 0;; spins++) {
      const holder = Atomics.compareExchange(i32, I_LOCK, 0, this.pid);
      if (holder === 0) break;
      if (spins > 1000 && (spins & 1023) === 0) {
        // A sender that died inside send() never published: steal its lock.
        if (!pidAlive(holder)) Atomics.compareExchange(i32, I_LOCK, holder, 0);
        else if (holder !== last) [last, since] = [holder, performance.now()];
        else if (performance.now() - since > LOCK_MS) throw lockBusy(this.name, holder);
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

  /** Whether the ring has room for a message of `length` bytes now. */
  hasRoom(length: number): boolean {
    const tail = this.multi ? Atomics.load(this.i32, I_TAIL) : this.#tail;
    if (this.record !== 0) {
      this.#headCache = Atomics.load(this.i32, I_HEAD);
      return this.#roomFor(tail, Math.max(length, this.record));
    }
    const frame = frameSize(length);
    const toEnd = this.capacity - (tail & this.mask);
    const need = toEnd < frame ? toEnd + frame : frame;
    this.#headCache = Atomics.load(this.i32, I_HEAD);
    return this.#roomFor(tail, need);
  }

  /** Whether `need` bytes are free after `tail` by the cached head (none when it is ahead of the tail). */
  #roomFor(tail: number, need: number): boolean {
    const room = this.capacity - ((tail - this.#headCache) | 0);
    return room >= need && room <= this.capacity;
  }
}
