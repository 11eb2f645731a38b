// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the receiving side of a framed connection: its read buffer,
 * sized by what the reads bring, the decoding (up to the end of the peer's
 * first frame while handshaking), and the checks every frame passes before
 * it is handled.
 *
 * @module
 */
import {
  ErrorCode,
  type Frame,
  type FrameDecoder,
  FrameError,
  type ProtocolStateMachine,
  ProtocolViolation,
} from "../protocol/mod.ts";
import { claimFds } from "./_frame_fds.ts";
import type { BorrowBuffer } from "./_borrow.ts";
import type { StreamConn } from "./transport.ts";

/** Callbacks of a framed connection (uds/_connection.ts). */
export interface FramedHandlers {
  /**
   * A legal frame arrived. A borrowed notification's payload stays valid
   * until this returns or, if it returns a promise, until that settles.
   */
  frame(frame: Frame): void | Promise<unknown>;
  /** The connection closed; `reason` is undefined after a clean close. */
  closed(reason: Error | undefined): void;
  /** The peer, as error messages name it. */
  who?(): string;
}

/** The largest read buffer; also the size from which frames are read in place. */
const READ_SIZE = 64 * 1024;
/**
 * The read buffer starts at READ_MIN bytes (an idle connection's pending
 * read holds no more: a HELLO, a request or a reply of up to ~200 bytes fits)
 * and goes back to it after a read of under READ_MIN bytes. A read filling
 * READ_MIN bytes and half of the buffer (a burst) grows it: to GROWN_MIN at
 * once, then doubling up to READ_SIZE. (Reads under READ_MIN never grow it,
 * so frames of 128–255 bytes do not make it swing between two sizes.)
 */
const READ_MIN = 256;
const GROWN_MIN = 1024;
/** After a frame read in place, the next read takes at most this much: its successor's head. */
const HEAD_READ = 1024;

/** `err` if it is a {@linkcode FrameError} (a malformed stream); else rethrows it. */
function asFrameError(err: unknown): FrameError {
  if (err instanceof FrameError) return err;
  throw err;
}

/**
 * The buffer small reads go into. Frames decoded from a read are views into
 * it, so a region once handed out with frames is never read into again.
 */
class ReadBuffer {
  #size = READ_MIN;
  #buffer: Uint8Array | undefined;
  #pos = 0;
  /** A large frame was just read in place: the next read takes only its successor's head. */
  #afterLarge = false;

  /** Bytes of the read buffer held now (for tests and benchmarks). */
  get held(): number {
    return this.#buffer?.length ?? 0;
  }

  /** The region the next read fills (a new buffer when the size changed or little room is left). */
  next(): Uint8Array {
    let buffer = this.#buffer;
    if (
      buffer === undefined || buffer.length !== this.#size ||
      buffer.length - this.#pos < this.#size >> 2
    ) {
      buffer = this.#buffer = new Uint8Array(this.#size);
      this.#pos = 0;
    }
    // After a large frame, the next one is likely large too: read only its
    // head here (what this read takes is copied), the rest in place.
    return buffer.subarray(this.#pos, this.#afterLarge ? this.#pos + HEAD_READ : buffer.length);
  }

  /**
   * `n` bytes were read into {@linkcode ReadBuffer.next}'s region: the size
   * adapts (doubles after a read filling half, shrinks after a small one).
   */
  filled(n: number): void {
    if (this.#afterLarge) this.#afterLarge = false;
    else if (n < READ_MIN) this.#size = READ_MIN;
    else if (n >= this.#size >> 1) {
      this.#size = Math.min(READ_SIZE, Math.max(GROWN_MIN, this.#size * 2));
    }
  }

  /**
   * The `n` bytes read last were handed out as frames: the next read goes
   * after them. (Without frames, the same bytes can be read into again: a
   * stream of large frames then never renews the buffer.)
   */
  keep(n: number): void {
    this.#pos += n;
  }

  /** A frame was just read in place, past this buffer. */
  readInPlace(): void {
    this.#afterLarge = true;
  }
}

/**
 * Decodes `chunk` into `frames`; returns the error of a malformed frame
 * (`frames` then holds those in front of it). While `handshaking`, decodes
 * only up to the end of the peer's first frame and returns the rest, to be
 * decoded next turn: the HELLO or ACCEPT (handled in between) raises the
 * 256-byte limit of the handshake for the frames that follow it, even those
 * in the same read.
 */
function decodeChunk(
  decoder: FrameDecoder,
  handshaking: boolean,
  chunk: Uint8Array,
  frames: Frame[],
): { bad?: FrameError; rest?: Uint8Array } | undefined {
  try {
    if (!handshaking) {
      decoder.push(chunk, frames);
      return undefined;
    }
    for (let i = 0; i < chunk.length; i++) {
      if (decoder.push(chunk.subarray(i, i + 1), frames).length > 0) {
        return i + 1 < chunk.length ? { rest: chunk.subarray(i + 1) } : undefined;
      }
    }
    return undefined;
  } catch (err) {
    return { bad: asFrameError(err) };
  }
}

/**
 * What a framed connection reads next and how it decodes it: bytes left
 * over from the last read first, the rest of a large frame straight into
 * that frame's buffer (in place), anything else into the read buffer.
 */
export class FrameReceiver {
  readonly #decoder: FrameDecoder;
  readonly #borrowed: BorrowBuffer | undefined;
  readonly #reads = new ReadBuffer();
  /**
   * Bytes read but not decoded yet: those after the peer's first frame while
   * handshaking, or the start of the frame after a borrowed notification.
   */
  #rest: Uint8Array | undefined;
  /** The region the pending read fills. */
  #target: Uint8Array | undefined;
  /** For a frame read in place, the length of its own part of `#target`; else 0. */
  #direct = 0;

  /** @param borrowed With borrowed notifications: their reused buffer. */
  constructor(decoder: FrameDecoder, borrowed: BorrowBuffer | undefined) {
    this.#decoder = decoder;
    this.#borrowed = borrowed;
  }

  /** Bytes of the read buffer held now (for tests and benchmarks). */
  get held(): number {
    return this.#reads.held;
  }

  /**
   * The region the next read fills; undefined when bytes left over from the
   * last read come first ({@linkcode FrameReceiver.decodeRest}).
   */
  target(): Uint8Array | undefined {
    if (this.#rest) return undefined;
    const direct = this.#decoder.pendingBuffer(READ_SIZE);
    this.#direct = direct?.length ?? 0;
    return this.#target = direct ? this.#borrowed?.extend(direct) ?? direct : this.#reads.next();
  }

  /** Whether the next read completes a frame already begun. */
  get partial(): boolean {
    return this.#direct > 0 || this.#decoder.buffered > 0;
  }

  /** Decodes the bytes left over from the last read into `frames`; returns a malformed frame's error. */
  decodeRest(frames: Frame[], handshaking: boolean): FrameError | undefined {
    const rest = this.#rest!;
    this.#rest = undefined;
    return this.#decode(rest, frames, handshaking);
  }

  /**
   * `n` bytes were read into {@linkcode FrameReceiver.target}: decodes them
   * into `frames`; returns the error of a malformed frame (`frames` then
   * holds those in front of it).
   */
  took(n: number, frames: Frame[], handshaking: boolean): FrameError | undefined {
    const target = this.#target!;
    this.#target = undefined;
    if (this.#direct > 0) {
      const mine = Math.min(n, this.#direct);
      // Read past the frame (into the spare's slack): the next frame's
      // start, copied out before the spare is lent again, decoded next turn.
      if (n > mine) this.#rest = target.slice(mine, n);
      this.#reads.readInPlace();
      try {
        frames.push(...this.#decoder.commit(mine));
      } catch (err) {
        return asFrameError(err);
      }
      return undefined;
    }
    this.#reads.filled(n);
    const bad = this.#decode(target.subarray(0, n), frames, handshaking);
    // Only frames returned are views into the buffer (the decoder copies what it keeps).
    if (frames.length > 0) this.#reads.keep(n);
    return bad;
  }

  #decode(chunk: Uint8Array, frames: Frame[], handshaking: boolean): FrameError | undefined {
    const out = decodeChunk(this.#decoder, handshaking, chunk, frames);
    if (out?.rest) this.#rest = out.rest;
    return out?.bad;
  }
}

/**
 * Claims the descriptors `frame` counts from `conn` and lets `sm` receive
 * it; returns why the frame is illegal (descriptors that did not arrive, or
 * a {@linkcode ProtocolViolation}), or undefined when it may be handled.
 */
export function admitFrame(
  conn: StreamConn,
  sm: ProtocolStateMachine,
  frame: Frame,
): { code: number; message: string } | undefined {
  const fdCount = (frame as { fdCount?: number }).fdCount;
  if (fdCount && !claimFds(conn, frame, fdCount)) {
    return {
      code: ErrorCode.MALFORMED_FRAME,
      message: `A frame counts ${fdCount} descriptors that did not arrive`,
    };
  }
  try {
    sm.receive(frame);
  } catch (err) {
    if (err instanceof ProtocolViolation) return err;
    throw err;
  }
  return undefined;
}
