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
export const READ_SIZE = 64 * 1024;
/**
 * The read buffer starts at READ_MIN bytes (an idle connection's pending
 * read holds no more: a HELLO, a request or a reply of up to ~200 bytes fits),
 * doubles up to READ_SIZE while reads fill half of it (a burst), and goes
 * back to READ_MIN after a read of under SMALL_READ bytes.
 */
const READ_MIN = 256;
const SMALL_READ = 256;
/** After a frame read in place, the next read takes at most this much: its successor's head. */
const HEAD_READ = 1024;

/** `err` if it is a {@linkcode FrameError} (a malformed stream); else rethrows it. */
export function asFrameError(err: unknown): FrameError {
  if (err instanceof FrameError) return err;
  throw err;
}

/**
 * The buffer small reads go into. Frames decoded from a read are views into
 * it, so a region once handed out with frames is never read into again.
 */
export class ReadBuffer {
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
    else if (n >= this.#size >> 1) this.#size = Math.min(READ_SIZE, this.#size * 2);
    else if (n < SMALL_READ) this.#size = READ_MIN;
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
export function decodeChunk(
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
