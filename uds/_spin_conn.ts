// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: a native stream conn whose reads spin (`transport: "native"`
 * with `spin`). The framed read loop always has a read outstanding, so
 * spinning when that read is issued would burn the CPU while nothing is
 * expected. Instead:
 *
 * - `read` first tries a non-blocking `recvmsg` (no thread hop when data is
 *   there), else parks on the shared poll loop;
 * - right after each `write` (a request or a reply went out: an answer or
 *   the next request is likely soon), if a read is parked, the conn retries
 *   the non-blocking read for up to `spin` µs (uds/_spin.ts), and hands what
 *   arrives to the parked read, cancelling its poll wait.
 *
 * So a peer that answers within `spin` µs is read without any wake-up or
 * thread hop, as a C program spinning on a non-blocking socket would.
 *
 * @module
 */
import { POLLIN } from "../_ffi/constants.ts";
import { errors } from "../_ffi/errors.ts";
import { waitReady } from "../_ffi/poller.ts";
import { CHUNK, closeFd, receiveRights, WOULD_BLOCK } from "../_ffi/socket.ts";
import { MSG_CTRUNC, SCM_MAX_FD } from "../_ffi/_socket_struct.ts";
import { ReceivedFd } from "./received_fd.ts";
import { SocketConn } from "./_socket_conn.ts";
import { BUSY_MICROS, sleepUntilReadable, spinUntil } from "./_spin.ts";
import type { UnixSocket } from "./unix_socket.ts";

interface Parked {
  buffer: Uint8Array;
  resolve(n: number | null): void;
  reject(err: unknown): void;
  stop: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

/** A native stream socket whose reads spin after writes (see the module doc). */
export class SpinConn extends SocketConn {
  readonly #spin: number;
  #parked: Parked | undefined;

  constructor(socket: UnixSocket, spin: number) {
    super(socket);
    this.#spin = spin;
  }

  /** One non-blocking read into `buffer`: bytes, `null` at end, or WOULD_BLOCK. */
  #try(buffer: Uint8Array): number | null | typeof WOULD_BLOCK {
    const got = receiveRights(this.socket.fd, Math.min(buffer.length, CHUNK), SCM_MAX_FD);
    if (got === WOULD_BLOCK) return WOULD_BLOCK;
    if ((got.flags & MSG_CTRUNC) !== 0 || got.malformed !== undefined) {
      for (const fd of got.fds) closeFd(fd);
      throw new errors.InvalidData("Cannot receive: malformed or truncated control data");
    }
    this.keep(got.fds.map((fd) => new ReceivedFd(fd)));
    if (got.data.length === 0 && got.fds.length === 0) return null;
    buffer.set(got.data);
    return got.data.length;
  }

  read(buffer: Uint8Array): Promise<number | null> {
    try {
      if (this.socket.closed) throw new errors.BadResource("Cannot read: the socket is closed");
      const n = this.#try(buffer);
      if (n !== WOULD_BLOCK) return Promise.resolve(n);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      const parked: Parked = { buffer, resolve, reject, stop: new AbortController() };
      this.#parked = parked;
      // Park on the poll loop only once this turn's work is done: a write in
      // it (the next request, or a reply) spins for the data instead, and a
      // poll wait started and cancelled every round trip costs two thread
      // wake-ups competing for the CPU with the spin.
      parked.timer = setTimeout(() => {
        parked.timer = undefined;
        if (this.#parked === parked) this.#wait(parked);
      }, 0);
    });
  }

  #wait(parked: Parked): void {
    waitReady(this.socket.fd, POLLIN, parked.stop.signal).then(() => {
      if (this.#parked !== parked) return;
      try {
        if (this.socket.closed) throw new errors.BadResource("Cannot read: the socket is closed");
        const n = this.#try(parked.buffer);
        if (n === WOULD_BLOCK) return this.#wait(parked);
        this.#parked = undefined;
        parked.resolve(n);
      } catch (err) {
        this.#parked = undefined;
        parked.reject(err);
      }
    }, (err) => {
      if (this.#parked !== parked) return; // taken by a spin, or closed
      this.#parked = undefined;
      parked.reject(err);
    });
  }

  async write(data: Uint8Array): Promise<number> {
    await this.socket.send(data);
    this.#spinForReply();
    return data.length;
  }

  /** After a write: spin for what the parked read waits for. */
  #spinForReply(): void {
    const parked = this.#parked;
    if (!parked || this.socket.closed) return;
    let n: number | null | typeof WOULD_BLOCK;
    try {
      // Busy-retry briefly (a peer on the other CPU answers in a few µs),
      // then sleep in the kernel on this thread for the rest of the budget.
      const busy = Math.min(this.#spin, BUSY_MICROS);
      n = spinUntil(busy, () => this.#try(parked.buffer), WOULD_BLOCK);
      if (n === WOULD_BLOCK && sleepUntilReadable(this.socket.fd, this.#spin - busy)) {
        n = this.#try(parked.buffer);
      }
    } catch (err) {
      this.#release(parked);
      parked.reject(err);
      return;
    }
    if (n === WOULD_BLOCK) return;
    this.#release(parked);
    parked.resolve(n);
  }

  override close(): void {
    const parked = this.#parked;
    this.#parked = undefined;
    super.close();
    if (parked) {
      this.#release(parked);
      parked.reject(new errors.BadResource("Cannot read: the socket was closed"));
    }
  }

  /** Forget the parked read: no timer, no poll wait. */
  #release(parked: Parked): void {
    if (this.#parked === parked) this.#parked = undefined;
    clearTimeout(parked.timer);
    parked.stop.abort();
  }
}
