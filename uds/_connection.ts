// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: one framed connection (either end): the read loop, the decoder,
 * the state machine, the writer, and the "error frame, then close" rule.
 *
 * @module
 */
import {
  type Frame,
  FrameDecoder,
  FrameError,
  HANDSHAKE_MAX_FRAME_SIZE,
  ProtocolStateMachine,
  type Role,
} from "../protocol/mod.ts";
import { ConnectionClosedError } from "./errors.ts";
import { BorrowBuffer } from "./_borrow.ts";
import { checkFits, FrameWriter } from "./_writer.ts";
import { CONSUMED, type InlineReader, type StreamConn } from "./transport.ts";
import { canCarryFds } from "./_frame_fds.ts";
import { discardUntilEnd, FAIL_FLUSH_MS, flushAndShutdown } from "./_linger.ts";
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
function lost(err: unknown): ConnectionClosedError {
  return new ConnectionClosedError(`Connection lost: ${(err as Error)?.message ?? err}`, {
    cause: err,
  });
}

export class FramedConnection implements InlineReader {
  readonly sm: ProtocolStateMachine;
  readonly decoder: FrameDecoder;
  readonly writer: FrameWriter;
  /** The largest frame the peer accepts (known after the handshake). */
  #peerMax = HANDSHAKE_MAX_FRAME_SIZE;
  /** The largest frame to send: the peer's limit, capped by what this transport carries. */
  get peerMaxFrameSize(): number {
    return this.#peerMax;
  }
  set peerMaxFrameSize(size: number) {
    this.#peerMax = Math.min(size, this.frameLimit);
  }
  /** The largest frame this end's transport carries (one seqpacket packet), else Infinity. */
  get frameLimit(): number {
    return (this.#conn as { maxPacket?: number }).maxPacket ?? Infinity;
  }
  readonly #conn: StreamConn;
  readonly #handlers: FramedHandlers;
  readonly #highWaterMark: number;
  #closed = false;
  #ending = false;
  #reason: Error | undefined;
  /** Made when first asked for (an idle connection holds no promise for it). */
  #done: Promise<void> | undefined;
  #resolveDone: (() => void) | undefined;
  /** With borrowed notifications: the buffer large ones are assembled in. */
  readonly #borrowed: BorrowBuffer | undefined;
  readonly #receiver: FrameReceiver;
  /** A malformed frame's error found by {@linkcode FramedConnection.consume}, for the read loop. */
  #consumedBad: FrameError | undefined;

  /**
   * @param borrow Assemble notifications that span reads in one reused
   * buffer (their payloads are valid only while their handler runs).
   */
  constructor(
    conn: StreamConn,
    role: Role,
    highWaterMark: number,
    handlers: FramedHandlers,
    borrow = false,
  ) {
    const borrowed = this.#borrowed = borrow ? new BorrowBuffer() : undefined;
    this.decoder = new FrameDecoder({
      maxFrameSize: HANDSHAKE_MAX_FRAME_SIZE,
      allocate: borrowed
        ? (size, kind) => borrowed.allocate(size, kind, this.decoder.maxFrameSize)
        : undefined,
    });
    this.#receiver = new FrameReceiver(this.decoder, borrowed);
    this.#conn = conn;
    this.sm = new ProtocolStateMachine(role);
    this.writer = new FrameWriter(conn, highWaterMark, this);
    this.#highWaterMark = highWaterMark;
    this.#handlers = handlers;
    if (conn.readNow) conn.reader = this; // a spinning conn hands over what its brief waits read
  }

  /**
   * The writer's failed write (e.g. EPIPE: the peer shut down reading) fails
   * the connection, even though its read side may stay open.
   */
  writeFailed(err: unknown): void {
    if (this.#closed || this.#ending) return; // #closing sees the error and closes
    this.close(lost(err));
  }

  /** The peer, as error messages name it. */
  who(): string {
    return this.#handlers.who?.() ?? "the peer";
  }

  /** Bytes of the read buffer held now (for tests and benchmarks). */
  get readHeld(): number {
    return this.#receiver.held;
  }

  /** Whether the connection is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Why it closed (undefined while open or after a clean close). */
  get reason(): Error | undefined {
    return this.#reason;
  }

  /** Resolves when the connection has closed. */
  get done(): Promise<void> {
    return this.#done ??= this.#closed
      ? Promise.resolve()
      : new Promise((resolve) => this.#resolveDone = resolve);
  }

  /** Starts the read loop. */
  start(): void {
    this.#readLoop();
  }

  /**
   * Sends a frame (checked by the state machine); throws once closed. For a
   * payload written without a copy, returns a promise that resolves once the
   * payload's buffer is no longer needed: `true` once written, `false` if the
   * connection failed first (see {@linkcode FrameWriter.enqueue}).
   */
  send(frame: Frame, fds?: number[]): Promise<boolean> | undefined {
    if (this.#closed || this.#ending) {
      throw this.#reason ?? new ConnectionClosedError("Cannot send: the connection is closing");
    }
    this.sm.send(frame);
    return this.writer.enqueue(frame, fds);
  }

  /** Whether the transport can carry descriptors (so FDS may be offered or granted). */
  get canCarryFds(): boolean {
    return canCarryFds(this.#conn);
  }

  /** Whether FDS was negotiated: frames may carry descriptors both ways. */
  get fds(): boolean {
    return this.decoder.fds;
  }

  /** FDS was negotiated: accept descriptor counts and keep the descriptors that arrive. */
  enableFds(): void {
    if (!canCarryFds(this.#conn)) return;
    this.decoder.fds = true;
    this.#conn.keepFds = true;
  }

  /** Whether the write queue is over the high-water mark. */
  get congested(): boolean {
    return this.writer.queued > this.#highWaterMark;
  }

  async #readLoop(): Promise<void> {
    const receiver = this.#receiver;
    try {
      while (!this.#closed) {
        if (this.#ending) {
          await discardUntilEnd(this.#conn);
          break;
        }
        // Backpressure: a client that does not read its replies stops being
        // read. (Only servers: a client's reads never cause writes, and
        // pausing them too could deadlock two full queues.)
        if (this.sm.role === "server" && this.congested) await this.writer.drain();
        if (this.#closed) break;
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
        if (bad && !this.#closed && !this.#ending) throw bad;
        // Let writes queued by these frames start before the next read is
        // dispatched: the reply is on the critical path, the read is not.
        await null;
      }
      if (!this.#closed) {
        const unexpected = this.sm.state !== "closing" || !this.sm.drained;
        this.close(
          unexpected
            ? new ConnectionClosedError("Connection closed by the peer (end of stream)")
            : undefined,
        );
      }
    } catch (err) {
      if (this.#closed) return;
      if (this.#ending) return this.close(this.#reason);
      if (err instanceof FrameError) {
        this.fail(err.code, err.message, err);
        this.#readLoop(); // now #ending: linger until the peer closes
      } else {
        this.close(lost(err));
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
      const handshaking = this.sm.state === "handshaking";
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
    for (let i = 0; i < FRAMES.length; i++) {
      const frame = FRAMES[i]!;
      if (this.#closed || this.#ending) break;
      const illegal = admitFrame(this.#conn, this.sm, frame);
      if (illegal) {
        this.fail(illegal.code, illegal.message);
        break;
      }
      if (this.#borrowed) this.#borrowed.dispatch(frame, this.#handlers);
      else this.#handlers.frame(frame);
    }
    empty(FRAMES); // hold no frame (nor the payload it views) past this turn
    return bad;
  }

  /**
   * Sends the error frame for `code` (REJECT while a server handshakes, else
   * ERROR with id 0), then closes.
   */
  fail(code: number, message: string, cause?: unknown): void {
    if (this.#closed || this.#ending) return;
    const reason = new ConnectionClosedError(`Protocol error: ${message}`, { cause });
    try {
      if (this.sm.role === "server" && this.sm.state === "handshaking") {
        this.send({ kind: "reject", code, message });
      } else {
        this.send({ kind: "error", id: 0, code, message });
      }
    } catch {
      // could not even queue it; close anyway
    }
    this.#closing(reason, FAIL_FLUSH_MS);
  }

  /** Flushes what is queued (waiting at most `ms`), then closes. */
  end(reason?: Error, ms = FAIL_FLUSH_MS): void {
    if (this.#closed || this.#ending) return;
    this.#closing(reason, ms);
  }

  async #closing(reason: Error | undefined, ms: number): Promise<void> {
    this.#ending = true;
    this.#reason ??= reason;
    await flushAndShutdown(this.writer, this.#conn, () => this.done, ms);
    this.close(reason);
  }

  /**
   * Sends a notification and waits until its payload's buffer is no longer
   * needed (written, for one sent without a copy); rejects if the connection
   * fails before that, and with a RangeError if the frame exceeds the peer's limit.
   */
  async notify(method: string, payload: Uint8Array, fds?: number[]): Promise<void> {
    const frame = fds
      ? { kind: "notify", method, payload, fdCount: fds.length } as const
      : { kind: "notify", method, payload } as const;
    checkFits(frame, payload.length, this.peerMaxFrameSize);
    const released = this.send(frame, fds);
    if (released !== undefined && !await released) {
      throw this.#reason ?? new ConnectionClosedError("The connection closed before the write");
    }
  }

  /** Closes at once; queued frames are dropped. */
  close(reason?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reason ??= reason;
    this.sm.close();
    this.writer.abort(this.#reason ?? new ConnectionClosedError("The connection is closed"));
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
    this.#resolveDone?.();
    this.#handlers.closed(this.#reason);
  }
}
