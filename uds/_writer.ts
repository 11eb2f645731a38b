// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the frame writer. Small frames are encoded into one buffer: the
 * first frame of a burst is written at once, and every frame queued while a
 * write is in flight goes out together in the next write; large payloads are
 * written from the caller's buffer without a copy ({@linkcode FrameWriter.enqueue}
 * then returns a promise that settles once the buffer is no longer needed).
 * The queue is bounded by the caller,
 * who waits for {@linkcode FrameWriter.drain} once `queued` passes the
 * high-water mark.
 *
 * @module
 */
import {
  encodeFrame,
  encodeFrameHead,
  encodeFrameInto,
  type Frame,
  frameSize,
} from "../protocol/mod.ts";
import type { StreamConn } from "./transport.ts";
import type { FdConn } from "./_frame_fds.ts";
import { closeFd } from "../_ffi/socket.ts";
import { EMPTY, giveBack, renewAccumulator } from "./_accumulator.ts";

function closeFds(fds: readonly number[]): void {
  for (const fd of fds) closeFd(fd);
}

/** Payloads at least this large are written separately, without a copy. */
const LARGE = 16 * 1024;
/** Bytes a small frame may take besides its payload: header, method length and method. */
const OVERHEAD = 10 + 1 + 255;

/** Throws a RangeError if the notification `frame` (its payload `length` bytes) exceeds `max`. */
export function checkFits(frame: Frame, length: number, max: number): void {
  // Only a payload near the limit (266: the largest header and method) is measured.
  if (length + 266 > max && frameSize(frame) > max) {
    throw new RangeError(
      `Cannot notify: a ${frameSize(frame)}-byte frame exceeds the peer's limit of ${max}`,
    );
  }
}

/**
 * Who a writer reports its failed write to: an object with a method (its
 * connection), not a closure per writer.
 */
export interface WriterOwner {
  /** A write failed with `err`. */
  writeFailed(err: unknown): void;
}

export class FrameWriter {
  readonly #conn: StreamConn;
  /**
   * Chunks queued behind the one being written, from `#head` on; made for
   * the first (an idle writer, or one writing a single chunk, holds no list).
   */
  #chunks: Uint8Array[] | undefined;
  /** Parallel to `#chunks`: called once that chunk is written (true) or dropped (false). */
  #done: Array<((written: boolean) => void) | undefined> | undefined;
  #head = 0;
  /** The chunk being written, its callback, and how much of it is written. */
  #current: Uint8Array | undefined;
  #currentDone: ((written: boolean) => void) | undefined;
  #offset = 0;
  #queued = 0;
  #acc: Uint8Array = EMPTY;
  #accStart = 0;
  #accLen = 0;
  #writing = false;
  #error: unknown;
  #drainWaiters: Array<() => void> | undefined;
  #idleWaiters: Array<() => void> | undefined;
  readonly #lowWater: number;
  readonly #owner: WriterOwner | undefined;
  /** The descriptors to attach to a chunk's first byte (made on the first). */
  #fds: WeakMap<Uint8Array, number[]> | undefined;
  /** Number of write calls made (for tests and benchmarks). */
  writes = 0;

  /** @param owner Told once a write fails (the writer then refuses every frame). */
  constructor(conn: StreamConn, highWaterMark: number, owner?: WriterOwner) {
    this.#conn = conn;
    this.#lowWater = highWaterMark / 2;
    this.#owner = owner;
  }

  /** Bytes queued and not yet written. */
  get queued(): number {
    return this.#queued;
  }

  /** Bytes of the small-frame accumulator this writer holds (for tests and benchmarks). */
  get held(): number {
    return this.#acc.length;
  }

  /** The write error that stopped this writer, if any. */
  get error(): unknown {
    return this.#error;
  }

  /**
   * Queues one frame; writing starts at once if the writer is idle. Returns
   * `undefined` when the frame was copied, or, for a payload written from
   * the caller's buffer, a promise that resolves (never rejects) once that
   * buffer is written (`true`) or dropped (`false`): until then it must not
   * be modified.
   */
  enqueue(frame: Frame, fds?: number[]): Promise<boolean> | undefined {
    if (this.#error !== undefined) throw this.#error;
    if (fds !== undefined) return this.#enqueueWithFds(frame, fds);
    const payload = (frame as { payload?: Uint8Array }).payload;
    let released: Promise<boolean> | undefined;
    if (payload !== undefined && payload.length >= LARGE) {
      const [head, tail] = encodeFrameHead(frame);
      this.#append(head);
      this.#cut();
      let resolve!: (written: boolean) => void;
      released = new Promise<boolean>((r) => resolve = r);
      this.#push(tail, resolve);
      this.#queued += tail.length;
    } else if (frame.kind === "error" || frame.kind === "reject" || frame.kind === "goodbye") {
      this.#append(encodeFrame(frame)); // messages have no size bound here
    } else {
      const body = payload === undefined
        ? 0
        : typeof payload === "string"
        ? (payload as string).length * 3 // UTF-8 takes at most 3 bytes per UTF-16 unit
        : payload.length;
      if (this.#accLen + body + OVERHEAD > this.#acc.length) this.#renew(body + OVERHEAD);
      const n = encodeFrameInto(frame, this.#acc, this.#accLen);
      this.#accLen += n;
      this.#queued += n;
    }
    this.#schedule();
    return released;
  }

  /**
   * A frame with descriptors goes out in its own chunk, the descriptors
   * attached to its first byte (PROTOCOL.md §6); they are closed (they are
   * the caller's duplicates) once written or dropped.
   */
  #enqueueWithFds(frame: Frame, fds: number[]): undefined {
    const bytes = encodeFrame(frame);
    this.#cut();
    this.#push(bytes, () => closeFds(fds));
    (this.#fds ??= new WeakMap()).set(bytes, fds);
    this.#queued += bytes.length;
    this.#schedule();
    return undefined;
  }

  #append(bytes: Uint8Array): void {
    if (this.#accLen + bytes.length > this.#acc.length) {
      this.#cut();
      this.#push(bytes, undefined);
    } else {
      this.#acc.set(bytes, this.#accLen);
      this.#accLen += bytes.length;
    }
    this.#queued += bytes.length;
  }

  /** Queues `chunk`; `done` is called once it is written or dropped. */
  #push(chunk: Uint8Array, done: ((written: boolean) => void) | undefined): void {
    (this.#chunks ??= []).push(chunk);
    (this.#done ??= []).push(done);
  }

  /** Moves the accumulated bytes into the chunk list. */
  #cut(): void {
    if (this.#accLen > this.#accStart) {
      this.#push(this.#acc.subarray(this.#accStart, this.#accLen), undefined);
      this.#accStart = this.#accLen;
    }
  }

  /** A new accumulator with room for `need` bytes (the old one's views stay queued). */
  #renew(need: number): void {
    this.#cut();
    // Frames queued while a write is in flight are a burst: make room for it at once.
    this.#acc = renewAccumulator(this.#acc, need, this.#writing);
    this.#accStart = this.#accLen = 0;
  }

  /** Everything is written: give the accumulator back. */
  #rewind(): void {
    giveBack(this.#acc);
    this.#acc = EMPTY;
    this.#accStart = this.#accLen = 0;
  }

  #schedule(): void {
    // Idle: start writing now (latency). Frames queued while that write is
    // in flight accumulate and go out together in the next write.
    if (!this.#writing) this.#next();
  }

  /**
   * Starts the next write: the chunk being written (its rest, after a
   * partial write), else the first queued chunk, else the accumulated
   * bytes; finishes when nothing is left. Not an async function: a write
   * costs one small await ({@linkcode FrameWriter.#settle}), and a single
   * small frame no list.
   */
  #next(): void {
    let chunk = this.#current;
    if (chunk === undefined) {
      const chunks = this.#chunks;
      if (chunks !== undefined) {
        const head = this.#head++;
        chunk = chunks[head]!;
        this.#currentDone = this.#done![head];
        if (this.#head === chunks.length) {
          this.#chunks = this.#done = undefined;
          this.#head = 0;
        }
      } else if (this.#accLen > this.#accStart) {
        chunk = this.#acc.subarray(this.#accStart, this.#accLen);
        this.#accStart = this.#accLen;
      } else {
        return this.#finish();
      }
      this.#current = chunk;
      this.#offset = 0;
    }
    this.#writing = true;
    this.writes++;
    const offset = this.#offset;
    const fds = offset === 0 ? this.#fds?.get(chunk) : undefined;
    let written: Promise<number>;
    try {
      written = fds
        ? (this.#conn as FdConn).writeWithFds(chunk, fds)
        : this.#conn.write(offset === 0 ? chunk : chunk.subarray(offset));
    } catch (err) {
      return this.#failed(err);
    }
    this.#settle(written);
  }

  /** Waits for one write, then goes on with the next (or fails the writer). */
  async #settle(written: Promise<number>): Promise<void> {
    try {
      this.#wrote(await written);
    } catch (err) {
      this.#failed(err);
    }
  }

  /** `n` bytes of the current chunk were written. */
  #wrote(n: number): void {
    const chunk = this.#current!;
    this.#offset += n;
    if (this.#offset < chunk.length && this.#error === undefined) return this.#next();
    const done = this.#currentDone;
    this.#current = this.#currentDone = undefined;
    done?.(this.#offset === chunk.length);
    if (this.#error !== undefined) return this.#finish(); // aborted meanwhile: the queue is gone
    this.#queued -= chunk.length;
    if (this.#queued <= this.#lowWater) this.#wake(this.#drainWaiters);
    this.#next();
  }

  /** A write failed: the rest is dropped (its buffers released) and the owner told. */
  #failed(err: unknown): void {
    const done = this.#currentDone;
    this.#current = this.#currentDone = undefined;
    done?.(false);
    const aborted = this.#error !== undefined;
    this.#error ??= err;
    this.#drop();
    this.#wake(this.#drainWaiters);
    this.#finish();
    if (!aborted) this.#owner?.writeFailed(err);
  }

  /** Nothing is being written any more. */
  #finish(): void {
    this.#writing = false;
    if (this.#queued !== 0) return;
    // No queued chunk is a view into the accumulator any more.
    if (this.#chunks === undefined && this.#accLen === this.#accStart) this.#rewind();
    this.#wake(this.#idleWaiters);
    // A spinning conn now spins for the answer (uds/_spin_conn.ts).
    if (this.#error === undefined) this.#conn.flushed?.();
  }

  /** Wake everyone in `waiters` (a list made on the first wait, emptied here). */
  #wake(waiters: Array<() => void> | undefined): void {
    if (waiters) { for (const wake of waiters.splice(0)) wake(); }
  }

  /** Resolves once the queue is at or below half the high-water mark (or failed). */
  drain(): Promise<void> {
    if (this.#queued <= this.#lowWater || this.#error !== undefined) return Promise.resolve();
    return new Promise((resolve) => (this.#drainWaiters ??= []).push(resolve));
  }

  /** Resolves once everything queued is written (or failed). */
  idle(): Promise<void> {
    if ((this.#queued === 0 && !this.#writing) || this.#error !== undefined) {
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.#idleWaiters ??= []).push(resolve));
  }

  /** Empties the queue, releasing the callers' buffers. */
  #drop(): void {
    const callbacks = this.#done ?? [];
    const head = this.#head;
    this.#chunks = this.#done = undefined;
    this.#head = 0;
    this.#queued = 0;
    for (let i = head; i < callbacks.length; i++) callbacks[i]?.(false);
  }

  /** Drops the queue and wakes every waiter (the connection is closing). */
  abort(err: unknown): void {
    this.#error ??= err;
    this.#drop();
    this.#wake(this.#drainWaiters);
    this.#wake(this.#idleWaiters);
  }
}
