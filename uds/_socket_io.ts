// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the sends and receives of one {@linkcode UnixSocket}, checked
 * by it first. While none is queued, a call is tried at once, synchronously
 * (no promise hop, no wait; a receive spins first if asked); otherwise, or
 * if it would block, it is queued behind the calls in flight, so concurrent
 * sends are never interleaved and receives are served in order, and waits
 * on the shared poll loop. Closing the socket rejects what is queued.
 *
 * @module
 */
import { WOULD_BLOCK } from "../_ffi/socket.ts";
import { receiveSome, sendAll, type SocketMessage, tryReceiveSome, trySend } from "./_native_io.ts";
import { receivePacket, sendWhole } from "./_message_io.ts";

/** The queues of one socket's sends and receives. */
export class SocketIo {
  readonly #seqpacket: boolean;
  /** The socket's open descriptor; throws BadResource (naming `action`) once it is closed. */
  readonly #fd: (action: string) => number;
  readonly #closing = new AbortController();
  #sending: Promise<unknown> = Promise.resolve();
  #receiving: Promise<unknown> = Promise.resolve();
  /** Sends and receives queued or waiting: while there are none, a call first tries at once. */
  #sends = 0;
  #receives = 0;

  constructor(seqpacket: boolean, fd: (action: string) => number) {
    this.#seqpacket = seqpacket;
    this.#fd = fd;
  }

  /** Send all of `data`, `fds` attached to its first byte (both checked by the caller). */
  send(data: Uint8Array, fds: readonly number[], user: AbortSignal | undefined): Promise<void> {
    if (this.#sends === 0 && !this.#seqpacket) {
      // Nothing queued: send at once, synchronously (no promise hop, no wait).
      if (user?.aborted) return Promise.reject(user.reason);
      let n: number;
      try {
        n = trySend(this.#fd("send on"), data, fds);
      } catch (err) {
        return Promise.reject(err);
      }
      if (n === data.length) return Promise.resolve();
      if (n !== WOULD_BLOCK) {
        data = data.subarray(n);
        fds = [];
      }
    }
    const signal = this.#signal(user);
    this.#sends++;
    const run = this.#sending.then(() => {
      const fd = this.#fd("send on");
      return this.#seqpacket
        ? sendWhole(fd, data, fds, undefined, undefined, signal)
        : sendAll(fd, data, fds, false, signal);
    }).finally(() => this.#sends--);
    this.#sending = run.catch(() => {});
    return run.catch((err) => this.#rethrow(err, user));
  }

  /** Receive what is there (a message, on seqpacket), spinning up to `spin` µs before a wait. */
  receive(
    maxBytes: number,
    maxFds: number,
    spin: number,
    user: AbortSignal | undefined,
  ): Promise<SocketMessage | null> {
    if (this.#receives === 0 && !this.#seqpacket) {
      // Nothing queued: read (and spin) at once; wait only if nothing came.
      if (user?.aborted) return Promise.reject(user.reason);
      try {
        const got = tryReceiveSome(this.#fd("receive on"), maxBytes, maxFds, spin);
        if (got !== WOULD_BLOCK) return Promise.resolve(got);
      } catch (err) {
        return Promise.reject(err);
      }
      spin = 0; // spun already
    }
    const signal = this.#signal(user);
    this.#receives++;
    const run = this.#receiving.then(() => {
      const fd = this.#fd("receive on");
      return this.#seqpacket
        ? receivePacket(fd, maxBytes, maxFds, signal, spin)
        : receiveSome(fd, maxBytes, maxFds, signal, spin);
    }).finally(() => this.#receives--);
    this.#receiving = run.catch(() => {});
    return run.catch((err) => this.#rethrow(err, user));
  }

  /** The socket was closed or its descriptor taken: what is queued or waiting rejects with `reason`. */
  close(reason: Error): void {
    this.#closing.abort(reason);
  }

  #signal(user: AbortSignal | undefined): AbortSignal {
    return user === undefined
      ? this.#closing.signal
      : AbortSignal.any([user, this.#closing.signal]);
  }

  #rethrow(err: unknown, user: AbortSignal | undefined): never {
    if (user?.aborted) throw user.reason;
    throw err;
  }
}
