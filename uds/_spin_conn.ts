// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the native stream conn (`transport: "native"`), whose reads wait
 * briefly on the JavaScript thread when an answer is likely soon: `spin` µs
 * retrying a non-blocking read, then up to `syncWait` µs asleep in `ppoll`
 * (uds/_spin.ts). The framed read loop always has a read outstanding, so
 * waiting like that whenever a read is issued would hold the event loop
 * while nothing is expected. A conn waits briefly only after it wrote (a
 * request, or a reply: the next request often follows at once).
 *
 * - `write` sends synchronously ({@linkcode SpinConn.writeNow}: `send` with
 *   MSG_DONTWAIT) and waits on the poll loop only for what the socket buffer
 *   did not take;
 * - once the frame writer has written everything ({@linkcode SpinConn.flushed}),
 *   a read parked meanwhile is served by the brief wait; if no read is
 *   parked, the next `read` waits briefly instead of parking;
 * - a read that follows part of a frame ({@linkcode SpinConn.expectMore})
 *   waits briefly for the rest;
 * - the framed read loop asks {@linkcode SpinConn.readNow} first: an answer
 *   due is read synchronously, without a promise; and the bytes a brief
 *   wait gets for a parked read go straight to the loop's `reader`
 *   (decoded and dispatched in the writer's turn, the read then resolving
 *   with `CONSUMED`): an answer settles its request with no read-loop turn
 *   in between;
 * - a read that would block (and is not expected to be answered) parks; it
 *   waits on the shared poll loop only from the next event-loop turn, so a
 *   write in this turn serves it briefly without a poll wait started and
 *   cancelled (two thread wake-ups competing with it for the CPU).
 *
 * So a peer that answers within `spin` + `syncWait` µs is read without a
 * thread hop or an event-loop wake-up, as a C program on a socket would
 * (within `spin`, without any wake-up at all), and bytes are received into
 * the read loop's buffer directly. Every other wait costs a hop through the
 * shared poll loop's thread (`_ffi/poller.ts`) and then a wake-up of this
 * thread: two wake-ups where a blocking C read, or `Deno.connect`'s own
 * reactor, has one.
 *
 * @module
 */
import { POLLIN } from "../_ffi/constants.ts";
import { errors } from "../_ffi/errors.ts";
import { waitReady } from "../_ffi/poller.ts";
import { lastReceive, receiveInto, sendBytes, WOULD_BLOCK } from "../_ffi/socket.ts";
import { MSG_CTRUNC, SCM_MAX_FD } from "../_ffi/_socket_struct.ts";
import { controlProblem, refuseStream } from "./_native_io.ts";
import { ReceivedFd } from "./received_fd.ts";
import { SocketConn } from "./_socket_conn.ts";
import { waitBriefly } from "./_spin.ts";
import type { UnixSocket } from "./unix_socket.ts";
import { CONSUMED, type InlineReader } from "./transport.ts";

interface Parked {
  buffer: Uint8Array;
  resolve(n: number | null): void;
  reject(err: unknown): void;
  /** Set once the read waits on the poll loop: aborting it ends that wait. */
  stop?: AbortController;
}

const EMPTY = new Uint8Array(0);

/**
 * The sockets of every SpinConn in the process whose read is parked now
 * (waiting for data not expected soon). A conn asleep on the JavaScript
 * thread watches them too and wakes when one is readable, so that their
 * data does not wait for its sleep to end; beyond MAX_WATCHED of them it
 * does not sleep (it spins if asked).
 */
const parkedFds = new Set<number>();
const MAX_WATCHED = 64;

/** Why a poll wait was abandoned (preallocated: a DOMException per round trip is costly). */
const TAKEN = new Error("the read was served by a spin");

/** A native stream socket whose reads spin after writes (see the module doc). */
export class SpinConn extends SocketConn {
  readonly #spin: number;
  readonly #syncWait: number;
  #parked: Parked | undefined;
  /** Something was written since the last read returned: its answer is likely soon. */
  #expecting = false;
  /** Armed to move a parked read to the poll loop at the next turn. */
  #timer: ReturnType<typeof setImmediate> | undefined;
  /** The buffer {@linkcode SpinConn.#attempt} reads into while spinning. */
  #target: Uint8Array = EMPTY;
  /** {@linkcode SpinConn.#try} on `#target`, made once (not a closure per spin). */
  readonly #attempt = () => this.#try(this.#target);
  /** The framed reader, handed a parked read's bytes synchronously when a brief wait got them. */
  reader: InlineReader | undefined;

  constructor(socket: UnixSocket, spin: number, syncWait: number) {
    super(socket);
    this.#spin = spin;
    this.#syncWait = syncWait;
  }

  /** Park `read` (or none), keeping {@linkcode parkedFds} right. */
  #park(read: Parked | undefined): void {
    if (read) parkedFds.add(this.socket.fd);
    else if (this.#parked) parkedFds.delete(this.socket.fd);
    this.#parked = read;
  }

  /** One non-blocking read into `buffer`: bytes, `null` at end, or WOULD_BLOCK. */
  #try(buffer: Uint8Array): number | null | typeof WOULD_BLOCK {
    const n = receiveInto(this.socket.fd, buffer, SCM_MAX_FD);
    if (n === WOULD_BLOCK) return WOULD_BLOCK;
    const fds = lastReceive.fds;
    const flags = lastReceive.flags;
    if (fds.length > 0 || (flags & MSG_CTRUNC) !== 0 || lastReceive.malformed !== undefined) {
      const why = controlProblem(flags, fds, SCM_MAX_FD, lastReceive.malformed);
      if (why !== undefined) throw refuseStream(why, fds);
      if (fds.length > 0) this.keep(fds.map((fd) => new ReceivedFd(fd)));
    }
    return n === 0 && fds.length === 0 ? null : n;
  }

  /** {@linkcode SpinConn.#try}, retried for up to `spin` µs, then as the socket turns readable within `syncWait` µs. */
  #spinFor(buffer: Uint8Array): number | null | typeof WOULD_BLOCK {
    const n = this.#try(buffer);
    if (n !== WOULD_BLOCK) return n;
    this.#target = buffer;
    try {
      // Asleep, this thread watches the other parked reads' sockets too (see parkedFds).
      const syncWait = parkedFds.size > MAX_WATCHED ? 0 : this.#syncWait;
      return waitBriefly(
        this.socket.fd,
        this.#spin,
        syncWait,
        this.#attempt,
        WOULD_BLOCK,
        parkedFds,
      );
    } finally {
      this.#target = EMPTY; // the read loop's buffer is not held between reads
    }
  }

  /**
   * An expected answer read synchronously (see the module doc): the bytes,
   * `null` at end-of-stream, or `undefined` when none is expected or none
   * came within the brief wait (the caller then parks a {@linkcode SpinConn.read}).
   */
  readNow(buffer: Uint8Array): number | null | undefined {
    if (!this.#expecting) return undefined;
    if (this.socket.closed) throw new errors.BadResource("Cannot read: the socket is closed");
    this.#expecting = false;
    const n = this.#spinFor(buffer);
    return n === WOULD_BLOCK ? undefined : n;
  }

  read(buffer: Uint8Array): Promise<number | null> {
    try {
      if (this.socket.closed) throw new errors.BadResource("Cannot read: the socket is closed");
      const expecting = this.#expecting;
      this.#expecting = false;
      const n = expecting ? this.#spinFor(buffer) : this.#try(buffer);
      if (n !== WOULD_BLOCK) return Promise.resolve(n);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.#park({ buffer, resolve, reject });
      // One callback serves every read parked in this turn (see the module
      // doc). setImmediate, not setTimeout: a 0 ms timer fires after ~1-2 ms.
      this.#timer ??= setImmediate(() => {
        this.#timer = undefined;
        const parked = this.#parked;
        if (parked && !parked.stop) this.#wait(parked);
      });
    });
  }

  #wait(parked: Parked): void {
    const stop = parked.stop = new AbortController();
    waitReady(this.socket.fd, POLLIN, stop.signal).then(() => {
      if (this.#parked !== parked) return;
      try {
        if (this.socket.closed) throw new errors.BadResource("Cannot read: the socket is closed");
        const n = this.#try(parked.buffer);
        if (n === WOULD_BLOCK) return this.#wait(parked);
        this.#park(undefined);
        parked.resolve(n);
      } catch (err) {
        this.#park(undefined);
        parked.reject(err);
      }
    }, (err) => {
      if (this.#parked !== parked) return; // served by a spin, or closed
      this.#park(undefined);
      parked.reject(err);
    });
  }

  write(data: Uint8Array): Promise<number> {
    let n: number;
    try {
      n = this.writeNow(data);
    } catch (err) {
      return Promise.reject(err);
    }
    if (n > 0 || data.length === 0) return Promise.resolve(n);
    // The socket buffer is full: wait for room on the poll loop.
    return this.socket.send(data).then(() => data.length);
  }

  /** `send` with MSG_DONTWAIT: the bytes the socket took, 0 when its buffer is full. */
  writeNow(data: Uint8Array, length?: number): number {
    if (this.socket.closed) throw new errors.BadResource("Cannot write: the socket is closed");
    const n = sendBytes(this.socket.fd, data, length);
    return n === WOULD_BLOCK ? 0 : n;
  }

  /** The framed reader holds part of a frame: the next read spins for the rest. */
  expectMore(): void {
    this.#expecting = true;
  }

  /**
   * The frame writer wrote everything it had: an answer is likely soon.
   * Serve a parked read by spinning now, or let the next read spin.
   */
  flushed(): void {
    const parked = this.#parked;
    if (!parked) {
      this.#expecting = true;
      return;
    }
    if (this.socket.closed) return;
    let n: number | null | typeof WOULD_BLOCK;
    try {
      n = this.#spinFor(parked.buffer);
    } catch (err) {
      this.#release(parked);
      parked.reject(err);
      return;
    }
    if (n === WOULD_BLOCK) return;
    this.#release(parked);
    // The bytes are decoded and dispatched now, in this turn: the answer's
    // promise settles without the read loop's turn in between.
    let consumed = false;
    try {
      consumed = n !== null && this.reader !== undefined && this.reader.consume(n);
    } catch (err) {
      return parked.reject(err);
    }
    parked.resolve(consumed ? CONSUMED : n);
  }

  override close(): void {
    const parked = this.#parked;
    this.#park(undefined);
    if (this.#timer !== undefined) clearImmediate(this.#timer);
    this.#timer = undefined;
    super.close();
    if (parked) {
      parked.stop?.abort(TAKEN);
      parked.reject(new errors.BadResource("Cannot read: the socket was closed"));
    }
  }

  /** Forget the parked read (and end its poll wait, if it started one). */
  #release(parked: Parked): void {
    if (this.#parked === parked) this.#park(undefined);
    parked.stop?.abort(TAKEN);
  }
}
