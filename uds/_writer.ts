// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the frame writer. Small frames are encoded into one buffer (the
 * queue itself is uds/_write_queue.ts): the first frame of a burst is
 * written at once, and every frame queued while a write is in flight goes
 * out together in the next write; large payloads are written from the
 * caller's buffer without a copy ({@linkcode FrameWriter.enqueue} then
 * returns a promise that settles once the buffer is no longer needed). The
 * queue is bounded by the caller, who waits for {@linkcode FrameWriter.drain}
 * once `queued` passes the high-water mark.
 *
 * @module
 */
import { encodeFrame, encodeFrameHead, encodeFrameInto, type Frame } from "../protocol/mod.ts";
import type { StreamConn } from "./transport.ts";
import type { FdConn } from "./_frame_fds.ts";
import { closeFd } from "../_ffi/socket.ts";
import { type ChunkDone, OVERHEAD, WriteQueue } from "./_write_queue.ts";

function closeFds(fds: readonly number[]): void {
  for (const fd of fds) closeFd(fd);
}

/** Payloads at least this large are written separately, without a copy. */
const LARGE = 16 * 1024;

/**
 * Where an idle writer encodes a small frame it writes at once
 * ({@linkcode FrameWriter.enqueue}): room for a payload under
 * {@linkcode LARGE} and the most a header and method add. The write is
 * synchronous, so one buffer serves every writer of the process.
 */
const SCRATCH = new Uint8Array(LARGE + OVERHEAD);

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
  /** What is queued behind the chunk being written. */
  readonly #queue: WriteQueue = new WriteQueue();
  /** The chunk being written, its callback, and how much of it is written. */
  #current: Uint8Array | undefined;
  #currentDone: ChunkDone | undefined;
  #offset = 0;
  #queued = 0;
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
    return this.#queue.held;
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
    const queue = this.#queue;
    let released: Promise<boolean> | undefined;
    if (payload !== undefined && payload.length >= LARGE) {
      const [head, tail] = encodeFrameHead(frame);
      this.#append(head);
      queue.cut();
      let resolve!: ChunkDone;
      released = new Promise<boolean>((r) => resolve = r);
      queue.push(tail, resolve);
      this.#queued += tail.length;
    } else if (frame.kind === "error" || frame.kind === "reject" || frame.kind === "goodbye") {
      this.#append(encodeFrame(frame)); // messages have no size bound here
    } else {
      const body = payload === undefined
        ? 0
        : typeof payload === "string"
        ? (payload as string).length * 3 // UTF-8 takes at most 3 bytes per UTF-16 unit
        : payload.length;
      if (!this.#writing && this.#queued === 0 && this.#conn.writeNow && body < LARGE) {
        this.#writeNow(frame);
        return undefined;
      }
      // Frames queued while a write is in flight are a burst: make room for it at once.
      this.#queued += queue.encode(frame, body, this.#writing);
    }
    this.#schedule();
    return released;
  }

  /**
   * An idle writer on a conn that writes synchronously (the native
   * transport): the small `frame` is encoded into {@linkcode SCRATCH} and
   * written now, without the queue or a promise (what a reply waits for is
   * this write). What the socket did not take is queued as a copy. The
   * writer stays busy until the next microtask, as after any write: frames
   * queued meanwhile (replies to the other requests of one read) go out
   * together then, and {@linkcode FrameWriter.#finish} gives the conn its hint.
   */
  #writeNow(frame: Frame): void {
    const n = encodeFrameInto(frame, SCRATCH, 0);
    this.#writing = true;
    this.writes++;
    let sent: number;
    try {
      sent = this.#conn.writeNow!(SCRATCH, n);
    } catch (err) {
      return this.#failed(err);
    }
    if (sent < n) this.#append(SCRATCH.slice(sent, n));
    queueMicrotask(this.#resume);
  }

  /** After {@linkcode FrameWriter.#writeNow}: go on with what was queued meanwhile, or finish. */
  readonly #resume = (): void => {
    if (this.#error === undefined) this.#next();
    else this.#finish(); // aborted meanwhile: the queue is gone
  };

  /**
   * A frame with descriptors goes out in its own chunk, the descriptors
   * attached to its first byte (PROTOCOL.md §6); they are closed (they are
   * the caller's duplicates) once written or dropped.
   */
  #enqueueWithFds(frame: Frame, fds: number[]): undefined {
    const bytes = encodeFrame(frame);
    this.#queue.cut();
    this.#queue.push(bytes, () => closeFds(fds));
    (this.#fds ??= new WeakMap()).set(bytes, fds);
    this.#queued += bytes.length;
    this.#schedule();
    return undefined;
  }

  #append(bytes: Uint8Array): void {
    this.#queue.append(bytes);
    this.#queued += bytes.length;
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
      const queue = this.#queue;
      const done = queue.nextDone();
      chunk = queue.take();
      if (chunk === undefined) return this.#finish();
      this.#currentDone = done;
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
    this.#queue.release();
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
    this.#queued = 0;
    this.#queue.drop();
  }

  /** Drops the queue and wakes every waiter (the connection is closing). */
  abort(err: unknown): void {
    this.#error ??= err;
    this.#drop();
    this.#wake(this.#drainWaiters);
    this.#wake(this.#idleWaiters);
  }
}
