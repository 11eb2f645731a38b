// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: one framed connection (either end): the state machine, the
 * writer, sending, and the "error frame, then close" rule; its reading side
 * is uds/_read_loop.ts.
 *
 * @module
 */
import {
  type Frame,
  type FrameDecoder,
  frameSize,
  HANDSHAKE_MAX_FRAME_SIZE,
  ProtocolStateMachine,
  type Role,
} from "../protocol/mod.ts";
import { ConnectionClosedError } from "./errors.ts";
import { FrameWriter } from "./_writer.ts";
import type { StreamConn } from "./transport.ts";
import { canCarryFds } from "./_frame_fds.ts";
import { FAIL_FLUSH_MS, flushAndShutdown } from "./_linger.ts";
import type { FramedHandlers } from "./_receive.ts";
import { FrameReadLoop, lost, type ReadOwner } from "./_read_loop.ts";

/** Throws a RangeError if the notification `frame` (its payload `length` bytes) exceeds `max`. */
function checkFits(frame: Frame, length: number, max: number): void {
  // Only a payload near the limit (266: the largest header and method) is measured.
  if (length + 266 > max && frameSize(frame) > max) {
    throw new RangeError(
      `Cannot notify: a ${frameSize(frame)}-byte frame exceeds the peer's limit of ${max}`,
    );
  }
}

export class FramedConnection implements ReadOwner {
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
  readonly #reader: FrameReadLoop;

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
    this.#conn = conn;
    this.sm = new ProtocolStateMachine(role);
    this.writer = new FrameWriter(conn, highWaterMark, this);
    this.#highWaterMark = highWaterMark;
    this.#handlers = handlers;
    this.#reader = new FrameReadLoop(conn, this, handlers, borrow);
    this.decoder = this.#reader.decoder;
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
    return this.#reader.held;
  }

  /** Whether the connection is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether it is flushing its last frames before it closes (after `fail` or `end`). */
  get ending(): boolean {
    return this.#ending;
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
    this.#reader.run();
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
