// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the consumer's end of the Channel's ring: finding the next
 * message, copying it out (or lending it as a view) and handing its space
 * back. The consumer caches the tail and re-reads it only when it has
 * consumed everything it saw.
 *
 * @module
 */
import { frameSize, HEADER_SIZE, I_HEAD, I_PRODUCER_WAITING, I_TAIL, WRAP } from "./_layout.ts";
import { copy, SMALL, WordView } from "./_copy.ts";
import { errors } from "../_ffi/mod.ts";
import { RingCore, type RingShape } from "./_ring_core.ts";

/** The consumer's operations on the ring (the producer's are added by `Ring`). */
export class RingReader extends RingCore {
  #target = new WordView();
  #tailCache: number;
  #head: number;
  /** Length of the message lent out as a view (its space not yet handed back), or -1. */
  #held = -1;

  constructor(buffer: ArrayBuffer, shape: RingShape, base: number, pid: number) {
    super(buffer, shape, base, pid);
    this.#head = Atomics.load(this.i32, I_HEAD);
    this.#tailCache = Atomics.load(this.i32, I_TAIL);
  }

  /** Re-read the consumer's counters (after taking over its role). */
  resyncConsumer(): void {
    this.#held = -1;
    this.#head = Atomics.load(this.i32, I_HEAD);
    this.#tailCache = Atomics.load(this.i32, I_TAIL);
  }

  /**
   * Whether a message is ready to read: the producer published at least one
   * frame (or record) and at most the capacity past the head. A tail torn or
   * garbled by a foreign peer (behind the head, or further ahead than the
   * ring holds) reads as no data, never as data `peekLength` would not give:
   * a wait would spin on it without sleeping.
   */
  hasData(): boolean {
    // ready in minFrame..capacity, as one unsigned comparison
    if ((((this.#tailCache - this.#head) | 0) - this.minFrame) >>> 0 <= this.readySpan) return true;
    const fresh = ((this.#tailCache = Atomics.load(this.i32, I_TAIL)) - this.#head) | 0;
    return (fresh - this.minFrame) >>> 0 <= this.readySpan;
  }

  /**
   * Length of the next message, or -1 when the ring is empty. A message lent
   * out as a view is handed back first. A frame that does not fit what was
   * published (a length word out of range, or a wrap mark with no frame
   * after it: a foreign peer's garbage) throws InvalidData and stays.
   */
  peekLength(): number {
    if (this.#held >= 0) this.release();
    const head = this.#head;
    let ready = (this.#tailCache - head) | 0;
    if ((ready - this.minFrame) >>> 0 > this.readySpan) {
      ready = ((this.#tailCache = Atomics.load(this.i32, I_TAIL)) - head) | 0;
      if ((ready - this.minFrame) >>> 0 > this.readySpan) return -1; // empty, or torn or garbled
    }
    if (this.record !== 0) {
      if ((head & (this.record - 1)) !== 0) throw corrupt(this.name, head, this.record, ready);
      return this.record;
    }
    const offset = head & this.mask;
    const len = this.i32[(HEADER_SIZE + offset) >> 2]!;
    const frame = (len + 7) & ~3;
    // A frame within what was published, before the ring's end (never a wrap mark: -1 >>> 0 is over).
    if (len >>> 0 <= this.maxMessage && frame <= ready && offset + frame <= this.capacity) {
      if ((head & 3) === 0) return len;
    }
    return this.#peekOther(head, ready, offset, len);
  }

  /**
   * The rest of {@linkcode RingReader.peekLength}, out of line: a wrap mark,
   * or a frame that does not fit what the cached tail says (read it again:
   * a peer may have torn or garbled it), else InvalidData.
   */
  #peekOther(head: number, ready: number, offset: number, len: number): number {
    let skip = 0;
    if (len === WRAP) {
      skip = this.capacity - offset;
      offset = 0;
      len = this.i32[HEADER_SIZE >> 2]!;
    }
    if (!this.#fits(head, ready, offset, skip, len)) {
      ready = ((this.#tailCache = Atomics.load(this.i32, I_TAIL)) - head) | 0;
      if ((ready - this.minFrame) >>> 0 > this.readySpan) return -1;
      if (!this.#fits(head, ready, offset, skip, len)) throw corrupt(this.name, head, len, ready);
    }
    if (skip !== 0) this.#head = (head + skip) | 0;
    return len;
  }

  /**
   * Whether a frame of `len` bytes at ring byte `offset`, after `skip` bytes
   * of a wrap, lies within the `ready` bytes published past `head`.
   */
  #fits(head: number, ready: number, offset: number, skip: number, len: number): boolean {
    const frame = frameSize(len);
    return len >= 0 && len <= this.maxMessage && skip + frame <= ready &&
      offset + frame <= this.capacity && (head & 3) === 0;
  }

  /** Copy the next message into `target` (known to fit); returns its length. */
  takeInto(target: Uint8Array, len: number): number {
    const at = HEADER_SIZE + (this.#head & this.mask) + this.prefix;
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
    if (this.record !== 0) {
      if (lengths.length === 0) return 0; // as for messages: no room for a length
      const n = this.takeRecords(target, lengths.length);
      lengths.fill(this.record, 0, Math.max(n, 0));
      return n;
    }
    const i32 = this.i32, mask = this.mask, span = this.readySpan;
    const target32 = this.#target.of(target);
    let head = this.#head, tail = this.#tailCache, to = 0, n = 0;
    while (n < lengths.length) {
      let ready = (tail - head) | 0;
      if ((ready - 4) >>> 0 > span) {
        // All seen is taken (or the tail cached was torn or garbled): read it again.
        ready = ((tail = this.#tailCache = Atomics.load(i32, I_TAIL)) - head) | 0;
        if ((ready - 4) >>> 0 > span) break; // empty, or a torn or garbled tail
      }
      let offset = head & mask, skip = 0;
      let len = i32[(HEADER_SIZE + offset) >> 2]!;
      if (len === WRAP) {
        skip = this.capacity - offset;
        offset = 0;
        len = i32[HEADER_SIZE >> 2]!;
      }
      if (!this.#fits(head, ready, offset, skip, len)) {
        const fresh = Atomics.load(i32, I_TAIL); // the tail cached may be a torn one
        if (fresh !== tail) {
          tail = this.#tailCache = fresh;
          continue;
        }
        if (n === 0) throw corrupt(this.name, head, len, ready);
        break; // the messages before it are whole: the next call throws
      }
      head = (head + skip) | 0;
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
   * Copy the ready records of a fixed-record ring back to back into
   * `target`, as many as it holds (at most `max`): at most two copies (one
   * unless the ring wraps) and one hand-back of their space. How many were
   * taken; -1 when `target` holds none but one is ready (0 when none is
   * ready).
   */
  takeRecords(target: Uint8Array, max: number = target.length): number {
    if (this.#held >= 0) this.release();
    const record = this.record, capacity = this.capacity, head = this.#head;
    const fits = target.length < max * record ? target.length : max * record;
    const want = fits - fits % record;
    let ready = (this.#tailCache - head) | 0;
    if (ready < want) ready = ((this.#tailCache = Atomics.load(this.i32, I_TAIL)) - head) | 0;
    if (ready <= 0 || ready > capacity) {
      // Empty, or a counter torn or garbled by a foreign peer: never move the
      // head back, and read the tail again next time.
      this.#tailCache = head;
      return 0;
    }
    if (want === 0) return -1;
    const bytes = ready < want ? ready - ready % record : want;
    if (bytes === 0) return 0;
    const offset = head & this.mask;
    const first = capacity - offset < bytes ? capacity - offset : bytes;
    const at = HEADER_SIZE + offset;
    if (first === bytes && bytes > SMALL) {
      target.set(this.all8.subarray(at, at + bytes)); // one piece, straight to a bulk copy
    } else {
      const target32 = this.#target.of(target);
      copy(target, target32, 0, this.all8, this.i32, at, first);
      if (first < bytes) {
        copy(target, target32, first, this.all8, this.i32, HEADER_SIZE, bytes - first);
      }
    }
    const n = bytes / record;
    this.received += n;
    this.receivedBytes += bytes;
    this.#setHead((head + bytes) | 0);
    return n;
  }

  /**
   * Lend the next message (known ready) as a view into the ring: its space
   * is handed back to the producer only by {@linkcode RingReader.release}
   * (or the next `peekLength`).
   */
  lend(len: number): Uint8Array {
    const start = (this.#head & this.mask) + this.prefix;
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
    const start = (this.#head & this.mask) + this.prefix;
    const out = this.u8.slice(start, start + len);
    this.#advance(len);
    return out;
  }

  #advance(len: number): void {
    this.received++;
    this.receivedBytes += len;
    this.#setHead((this.#head + (this.record || frameSize(len))) | 0);
  }

  /** Hand the space before `head` back to the producers, waking them if they sleep. */
  #setHead(head: number): void {
    this.#head = head;
    this.publishWord(I_HEAD, head, I_PRODUCER_WAITING);
  }
}

/** The error of a frame that does not fit what the producer published. */
function corrupt(name: string, head: number, len: number, ready: number): Error {
  return new errors.InvalidData(
    `Cannot receive on channel "${name}": its ring is corrupt (a frame of ${len} bytes at position ${
      head >>> 0
    }, ${ready} bytes published); the messages before it were delivered`,
  );
}
