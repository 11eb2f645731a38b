// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the reading side of a framed connection (uds/_connection.ts): its
 * decoder and receiver, the read loop (with the server's backpressure and the
 * discarding end of a failed connection), and the decoding and dispatch of
 * what each read brought, done inline when a spinning conn read it
 * ({@linkcode InlineReader}).
 *
 * @module
 */
import {
  type Frame,
  FrameDecoder,
  FrameError,
  HANDSHAKE_MAX_FRAME_SIZE,
  type ProtocolStateMachine,
} from "../protocol/mod.ts";
import { ConnectionClosedError } from "./errors.ts";
import { BorrowBuffer } from "./_borrow.ts";
import type { FrameWriter } from "./_writer.ts";
import { CONSUMED, type InlineReader, type StreamConn } from "./transport.ts";
import { discardUntilEnd } from "./_linger.ts";
import { admitFrame, type FramedHandlers, FrameReceiver } from "./_receive.ts";

/**
 * The frames one read decoded, shared by every read loop of the process:
 * each loop decodes and dispatches them without awaiting, so no two use it
 * at once, and one array reused saves an array and its growth per read.
 */
const FRAMES: Frame[] = [];
/** Set while a read loop decodes into FRAMES and dispatches them (see consume()). */
let decoding = false;

/** Empties `frames` keeping its capacity (setting `length = 0` would drop it), and returns it. */
function empty(frames: Frame[]): Frame[] {
  while (frames.length > 0) frames.pop();
  return frames;
}

/** The reason of a connection whose read or write failed with `err`. */
export function lost(err: unknown): ConnectionClosedError {
  return new ConnectionClosedError(`Connection lost: ${(err as Error)?.message ?? err}`, {
    cause: err,
  });
}

/** What a read loop needs of its connection (a FramedConnection). */
export interface ReadOwner {
  readonly sm: ProtocolStateMachine;
  readonly writer: FrameWriter;
  /** Whether the connection is closed. */
  readonly closed: boolean;
  /** Whether it is flushing its last frames before it closes. */
  readonly ending: boolean;
  /** Whether its write queue is over the high-water mark. */
  readonly congested: boolean;
  /** Why it closed or is closing. */
  readonly reason: Error | undefined;
  /** Sends the error frame for `code`, then closes. */
  fail(code: number, message: string, cause?: unknown): void;
  /** Closes at once. */
  close(reason?: Error): void;
}

export class FrameReadLoop implements InlineReader {
  readonly decoder: FrameDecoder;
  readonly #conn: StreamConn;
  readonly #owner: ReadOwner;
  readonly #handlers: FramedHandlers;
  /** With borrowed notifications: the buffer large ones are assembled in. */
  readonly #borrowed: BorrowBuffer | undefined;
  readonly #receiver: FrameReceiver;
  /** A malformed frame's error found by {@linkcode FrameReadLoop.consume}, for the read loop. */
  #consumedBad: FrameError | undefined;

  /**
   * @param borrow Assemble notifications that span reads in one reused
   * buffer (their payloads are valid only while their handler runs).
   */
  constructor(conn: StreamConn, owner: ReadOwner, handlers: FramedHandlers, borrow: boolean) {
    const borrowed = this.#borrowed = borrow ? new BorrowBuffer() : undefined;
    this.decoder = new FrameDecoder({
      maxFrameSize: HANDSHAKE_MAX_FRAME_SIZE,
      allocate: borrowed
        ? (size, kind) => borrowed.allocate(size, kind, this.decoder.maxFrameSize)
        : undefined,
    });
    this.#receiver = new FrameReceiver(this.decoder, borrowed);
    this.#conn = conn;
    this.#owner = owner;
    this.#handlers = handlers;
    if (conn.readNow) conn.reader = this; // a spinning conn hands over what its brief waits read
  }

  /** Bytes of the read buffer held now. */
  get held(): number {
    return this.#receiver.held;
  }

  /** Reads, decodes and dispatches until the connection closes. */
  async run(): Promise<void> {
    const receiver = this.#receiver;
    const owner = this.#owner;
    try {
      while (!owner.closed) {
        if (owner.ending) {
          await discardUntilEnd(this.#conn);
          break;
        }
        // Backpressure: a client that does not read its replies stops being
        // read. (Only servers: a client's reads never cause writes, and
        // pausing them too could deadlock two full queues.)
        if (owner.sm.role === "server" && owner.congested) await owner.writer.drain();
        if (owner.closed) break;
        // Frames decoded in front of a malformed one are processed before
        // the connection fails (PROTOCOL.md §4): `bad` waits for them.
        let bad: FrameError | undefined;
        const target = receiver.target();
        if (target === undefined) bad = this.#decode(undefined);
        else {
          // The rest of a frame is on its way: a spinning conn spins for it.
          if (receiver.partial) this.#conn.expectMore?.();
          // An answer due now is read without a promise (uds/_spin_conn.ts).
          const n = this.#conn.readNow?.(target) ?? await this.#conn.read(target);
          if (n === null) break;
          if (n === CONSUMED) { // consume() below took the bytes meanwhile
            bad = this.#consumedBad;
            this.#consumedBad = undefined;
          } else bad = this.#decode(n);
        }
        if (bad && !owner.closed && !owner.ending) throw bad;
        // Let writes queued by these frames start before the next read is
        // dispatched: the reply is on the critical path, the read is not.
        await null;
      }
      if (!owner.closed) {
        const unexpected = owner.sm.state !== "closing" || !owner.sm.drained;
        owner.close(
          unexpected
            ? new ConnectionClosedError("Connection closed by the peer (end of stream)")
            : undefined,
        );
      }
    } catch (err) {
      if (owner.closed) return;
      if (owner.ending) return owner.close(owner.reason);
      if (err instanceof FrameError) {
        owner.fail(err.code, err.message, err);
        this.run(); // now ending: linger until the peer closes
      } else {
        owner.close(lost(err));
      }
    }
  }

  /**
   * Decode and dispatch `n` bytes just read into the receiver's target, or
   * (`undefined`) the frames still held from earlier reads; returns the error
   * of a malformed frame (thrown by the read loop once the frames in front of
   * it are handled).
   */
  #decode(n: number | undefined): FrameError | undefined {
    decoding = true;
    try {
      const frames = empty(FRAMES);
      const handshaking = this.#owner.sm.state === "handshaking";
      return this.#dispatch(
        n === undefined
          ? this.#receiver.decodeRest(frames, handshaking)
          : this.#receiver.took(n, frames, handshaking),
      );
    } finally {
      decoding = false;
    }
  }

  /**
   * The conn read `n` bytes for the pending read synchronously
   * ({@linkcode InlineReader}): decoded and dispatched now; the read
   * resolves with {@linkcode CONSUMED} and the loop goes on from there.
   * Not while a read loop decodes (a wait ended inside its dispatch): FRAMES
   * is in use, and the read resolves with `n` instead.
   */
  consume(n: number): boolean {
    if (decoding) return false;
    this.#consumedBad = this.#decode(n);
    return true;
  }

  /**
   * Checks and handles the frames decoded into FRAMES (then emptied);
   * passes `bad` through. Decoding and dispatching never await: no other
   * read loop runs in between.
   */
  #dispatch(bad: FrameError | undefined): FrameError | undefined {
    const owner = this.#owner;
    for (let i = 0; i < FRAMES.length; i++) {
      const frame = FRAMES[i]!;
      if (owner.closed || owner.ending) break;
      const illegal = admitFrame(this.#conn, owner.sm, frame);
      if (illegal) {
        owner.fail(illegal.code, illegal.message);
        break;
      }
      if (this.#borrowed) this.#borrowed.dispatch(frame, this.#handlers);
      else this.#handlers.frame(frame);
    }
    empty(FRAMES); // hold no frame (nor the payload it views) past this turn
    return bad;
  }
}
