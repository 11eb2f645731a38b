// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: one framed connection (either end): the read loop, the decoder,
 * the state machine, the writer, and the "error frame, then close" rule.
 *
 * @module
 */
import {
  ErrorCode,
  type Frame,
  FrameDecoder,
  FrameError,
  frameSize,
  HANDSHAKE_MAX_FRAME_SIZE,
  ProtocolStateMachine,
  ProtocolViolation,
  type Role,
} from "../protocol/mod.ts";
import { ConnectionClosedError } from "./errors.ts";
import { BorrowBuffer } from "./_borrow.ts";
import { FrameWriter } from "./_writer.ts";
import type { StreamConn } from "./transport.ts";
import { canCarryFds, claimFds } from "./_frame_fds.ts";

/** The largest read buffer; also the size from which frames are read in place. */
const READ_SIZE = 64 * 1024;
/**
 * The read buffer starts at READ_MIN bytes (an idle connection's pending
 * read holds no more), doubles up to READ_SIZE while reads fill half of it
 * (a burst), and goes back to READ_MIN after a read of under READ_MIN / 4.
 */
const READ_MIN = 1024;
/** How long a failing connection tries to deliver its error frame. */
const FAIL_FLUSH_MS = 1000;

/** The reason of a connection whose read or write failed with `err`. */
function lost(err: unknown): ConnectionClosedError {
  return new ConnectionClosedError(`Connection lost: ${(err as Error)?.message ?? err}`, {
    cause: err,
  });
}

/** `err` if it is a {@linkcode FrameError} (a malformed stream); else rethrows it. */
function asFrameError(err: unknown): FrameError {
  if (err instanceof FrameError) return err;
  throw err;
}

/** Callbacks of a {@linkcode FramedConnection}. */
export interface FramedHandlers {
  /**
   * A legal frame arrived. A borrowed notification's payload stays valid
   * until this returns or, if it returns a promise, until that settles.
   */
  frame(frame: Frame): void | Promise<unknown>;
  /** The connection closed; `reason` is undefined after a clean close. */
  closed(reason: Error | undefined): void;
}

export class FramedConnection {
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
  /**
   * Bytes read but not decoded yet: those after the peer's first frame while
   * handshaking, or the start of the frame after a borrowed notification.
   */
  #rest: Uint8Array | undefined;

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
    this.#conn = conn;
    this.sm = new ProtocolStateMachine(role);
    // A failed write (e.g. EPIPE: the peer shut down reading) fails the
    // connection, even though its read side may stay open.
    this.writer = new FrameWriter(conn, highWaterMark, (err) => {
      if (this.#closed || this.#ending) return; // #closing sees the error and closes
      this.close(lost(err));
    });
    this.#highWaterMark = highWaterMark;
    this.#handlers = handlers;
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
    let size = READ_MIN;
    let buffer = new Uint8Array(size);
    let pos = 0;
    let scratch: Uint8Array | undefined;
    /** A large frame was just read in place: the next read takes only its successor's head. */
    let afterLarge = false;
    try {
      while (!this.#closed) {
        if (this.#ending) {
          // Lingering close: discard input until the peer closes, so our last
          // frames are not destroyed by a reset.
          scratch ??= new Uint8Array(4096);
          if (await this.#conn.read(scratch) === null) break;
          continue;
        }
        // Backpressure: a client that does not read its replies stops being
        // read. (Only servers: a client's reads never cause writes, and
        // pausing them too could deadlock two full queues.)
        if (this.sm.role === "server" && this.congested) await this.writer.drain();
        if (this.#closed) break;
        // Frames decoded in front of a malformed one are processed before
        // the connection fails (PROTOCOL.md §4): `bad` waits for them.
        const frames: Frame[] = [];
        let bad: FrameError | undefined;
        const direct = this.decoder.pendingBuffer(READ_SIZE);
        const rest = this.#rest;
        if (rest) {
          this.#rest = undefined;
          bad = this.#decode(rest, frames);
        } else if (direct) {
          this.#conn.expectMore?.();
          const target = this.#borrowed?.extend(direct) ?? direct;
          const n = await this.#conn.read(target);
          if (n === null) break;
          const mine = Math.min(n, direct.length);
          try {
            frames.push(...this.decoder.commit(mine));
          } catch (err) {
            bad = asFrameError(err);
          }
          // Read past the frame (into the spare's slack): the next frame's
          // start, copied out before the spare is lent again, decoded next turn.
          if (n > mine) this.#rest = target.slice(mine, n);
          afterLarge = true;
        } else {
          // The rest of a frame is on its way: a spinning conn spins for it.
          if (this.decoder.buffered > 0) this.#conn.expectMore?.();
          if (buffer.length !== size || buffer.length - pos < size >> 2) {
            // Frames handed out are views into the old buffer: never overwrite it.
            buffer = new Uint8Array(size);
            pos = 0;
          }
          // After a large frame, the next one is likely large too: read only
          // its head here (what this read takes is copied), the rest in place.
          const limit = afterLarge ? pos + READ_MIN : buffer.length;
          const n = await this.#conn.read(buffer.subarray(pos, limit));
          if (n === null) break;
          if (afterLarge) afterLarge = false;
          else if (n >= size >> 1) size = Math.min(READ_SIZE, size * 2);
          else if (n < READ_MIN >> 2) size = READ_MIN;
          bad = this.#decode(buffer.subarray(pos, pos + n), frames);
          // Only frames returned are views into the buffer (the decoder copies
          // what it keeps): without any, the same bytes can be read into again.
          // A stream of large frames then never renews the buffer.
          if (frames.length > 0) pos += n;
        }
        for (const frame of frames) {
          if (this.#closed || this.#ending) break;
          const fdCount = (frame as { fdCount?: number }).fdCount;
          if (fdCount && !claimFds(this.#conn, frame, fdCount)) {
            this.fail(
              ErrorCode.MALFORMED_FRAME,
              `A frame counts ${fdCount} descriptors that did not arrive`,
            );
            break;
          }
          try {
            this.sm.receive(frame);
          } catch (err) {
            if (err instanceof ProtocolViolation) {
              this.fail(err.code, err.message);
              break;
            }
            throw err;
          }
          if (this.#borrowed) this.#borrowed.dispatch(frame, this.#handlers);
          else this.#handlers.frame(frame);
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
   * Decodes `chunk` into `frames`; returns the error of a malformed frame
   * (`frames` then holds those in front of it). While handshaking, either
   * side decodes only up to the end of the peer's first frame, and keeps the
   * rest for the next turn: the HELLO or ACCEPT (handled in between) raises
   * the 256-byte limit of the handshake for the frames that follow it, even
   * those in the same read.
   */
  #decode(chunk: Uint8Array, frames: Frame[]): FrameError | undefined {
    try {
      if (this.sm.state !== "handshaking") {
        this.decoder.push(chunk, frames);
        return undefined;
      }
      for (let i = 0; i < chunk.length; i++) {
        if (this.decoder.push(chunk.subarray(i, i + 1), frames).length > 0) {
          if (i + 1 < chunk.length) this.#rest = chunk.subarray(i + 1);
          return undefined;
        }
      }
      return undefined;
    } catch (err) {
      return asFrameError(err);
    }
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
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, ms));
    await Promise.race([this.writer.idle(), timeout]);
    if (!this.#closed && this.writer.error === undefined && this.writer.queued === 0) {
      try {
        await this.#conn.closeWrite();
      } catch {
        // the peer is gone already
      }
      // Wait (bounded) for the peer to close its side too.
      await Promise.race([this.done, timeout]);
    }
    clearTimeout(timer);
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
    const max = this.peerMaxFrameSize;
    // Only a payload near the limit (266: the largest header and method) is measured.
    if (payload.length + 266 > max && frameSize(frame) > max) {
      throw new RangeError(
        `Cannot notify: a ${frameSize(frame)}-byte frame exceeds the peer's limit of ${max}`,
      );
    }
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
