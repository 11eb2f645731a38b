// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: what a frame writer (uds/_writer.ts) has queued and not yet begun
 * to write: chunks (a large payload's own buffer, a frame with descriptors,
 * or a piece of an old accumulator), each with the callback told once it is
 * written or dropped, and behind them the accumulator small frames are
 * encoded into (uds/_accumulator.ts). Which comes first, how the writes go
 * and how many bytes are queued are the writer's.
 *
 * @module
 */
import { encodeFrameInto, type Frame } from "../protocol/mod.ts";
import { EMPTY, giveBack, renewAccumulator } from "./_accumulator.ts";

/** Called once a chunk is written (true) or dropped (false). */
export type ChunkDone = (written: boolean) => void;

/** Bytes a small frame may take besides its payload: header, method length and method. */
export const OVERHEAD = 10 + 1 + 255;

export class WriteQueue {
  /**
   * Chunks queued, from `#head` on; made for the first (an idle writer, or
   * one writing a single chunk, holds no list).
   */
  #chunks: Uint8Array[] | undefined;
  /** Parallel to `#chunks`: each chunk's callback. */
  #done: Array<ChunkDone | undefined> | undefined;
  #head = 0;
  #acc: Uint8Array = EMPTY;
  #accStart = 0;
  #accLen = 0;

  /** Bytes of the small-frame accumulator held. */
  get held(): number {
    return this.#acc.length;
  }

  /** Queues `bytes`: copied into the accumulator if they fit, else as a chunk of their own. */
  append(bytes: Uint8Array): void {
    if (this.#accLen + bytes.length > this.#acc.length) {
      this.cut();
      this.push(bytes, undefined);
    } else {
      this.#acc.set(bytes, this.#accLen);
      this.#accLen += bytes.length;
    }
  }

  /**
   * Encodes the small `frame` (its payload at most `body` bytes) into the
   * accumulator, first renewed if it lacks room (to its largest at once in
   * a `burst`: frames queued while a write is in flight); returns its length.
   */
  encode(frame: Frame, body: number, burst: boolean): number {
    if (this.#accLen + body + OVERHEAD > this.#acc.length) this.#renew(body + OVERHEAD, burst);
    const n = encodeFrameInto(frame, this.#acc, this.#accLen);
    this.#accLen += n;
    return n;
  }

  /** Queues `chunk`; `done` is called once it is written or dropped. */
  push(chunk: Uint8Array, done: ChunkDone | undefined): void {
    (this.#chunks ??= []).push(chunk);
    (this.#done ??= []).push(done);
  }

  /** Moves the accumulated bytes into the chunk list. */
  cut(): void {
    if (this.#accLen > this.#accStart) {
      this.push(this.#acc.subarray(this.#accStart, this.#accLen), undefined);
      this.#accStart = this.#accLen;
    }
  }

  /** A new accumulator with room for `need` bytes (the old one's views stay queued). */
  #renew(need: number, burst: boolean): void {
    this.cut();
    this.#acc = renewAccumulator(this.#acc, need, burst);
    this.#accStart = this.#accLen = 0;
  }

  /** The callback of the chunk {@linkcode WriteQueue.take} returns next (none for accumulated bytes). */
  nextDone(): ChunkDone | undefined {
    return this.#chunks === undefined ? undefined : this.#done![this.#head];
  }

  /** Takes what to write next: the first chunk, else the accumulated bytes; undefined when none is left. */
  take(): Uint8Array | undefined {
    const chunks = this.#chunks;
    if (chunks !== undefined) {
      const head = this.#head++;
      if (this.#head === chunks.length) {
        this.#chunks = this.#done = undefined;
        this.#head = 0;
      }
      return chunks[head]!;
    }
    if (this.#accLen === this.#accStart) return undefined;
    const bytes = this.#acc.subarray(this.#accStart, this.#accLen);
    this.#accStart = this.#accLen;
    return bytes;
  }

  /**
   * Everything is written: gives the accumulator back, unless a queued
   * chunk may still be a view into it.
   */
  release(): void {
    if (this.#chunks !== undefined || this.#accLen !== this.#accStart) return;
    giveBack(this.#acc);
    this.#acc = EMPTY;
    this.#accStart = this.#accLen = 0;
  }

  /** Drops the queued chunks, telling each callback (false). */
  drop(): void {
    const callbacks = this.#done ?? [];
    const head = this.#head;
    this.#chunks = this.#done = undefined;
    this.#head = 0;
    for (let i = head; i < callbacks.length; i++) callbacks[i]?.(false);
  }
}
