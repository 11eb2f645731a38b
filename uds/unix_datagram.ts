// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode UnixDatagram}: a Unix datagram socket (`SOCK_DGRAM`).
 *
 * @module
 */
import { honestBytes, isBytes } from "../_ffi/bytes.ts";
import { errors } from "../_ffi/errors.ts";
import { closeFd } from "../_ffi/socket.ts";
import { encodeSockaddrUn, SCM_MAX_FD, SOCK_DGRAM } from "../_ffi/_socket_struct.ts";
import { openPair, openSocket } from "./_native.ts";
import { bindDatagram, connectDatagram } from "./_message_file.ts";
import { checkMessageLimits, receiveWhole, sendWhole, type WholeMessage } from "./_message_io.ts";
import { checkInteger } from "../_ffi/validate.ts";
import { toAddress } from "./transport.ts";
import { type FdLike, fdNumbers } from "./received_fd.ts";
import { checkSpin } from "./_spin.ts";
import { adoptMessageSocket } from "./_message_adopt.ts";

export type { WholeMessage as Datagram };

/** Options for {@linkcode UnixDatagram.bind}. */
export interface UnixDatagramOptions {
  /** Permission bits of the socket file (not for abstract names). @default {0o600} */
  mode?: number;
}

/** Options for {@linkcode UnixDatagram.send} and {@linkcode UnixDatagram.sendTo}. */
export interface DatagramSendOptions {
  /** Descriptors to pass with the datagram (at most 253). @default {[]} */
  fds?: readonly FdLike[];
  /** Abort the wait for room at the receiver. @default {undefined} */
  signal?: AbortSignal;
}

/** Options for {@linkcode UnixDatagram.receiveFrom}. */
export interface DatagramReceiveOptions {
  /**
   * The longest datagram accepted (1..16 MiB). A longer one is DROPPED and
   * the call throws `InvalidData` (never a silent truncation).
   * @default {262144}
   */
  maxBytes?: number;
  /** Most descriptors accepted with one datagram (0..253). @default {253} */
  maxFds?: number;
  /** Retry a non-blocking read for up to this many µs before waiting (costs CPU). @default {0} */
  spin?: number;
  /** Abort the wait. @default {undefined} */
  signal?: AbortSignal;
}

function destination(path: string, action: string): { addr: Uint8Array; length: number } {
  if (typeof path !== "string") throw new TypeError(`Cannot ${action}: address must be a string`);
  toAddress({ path }, action);
  return encodeSockaddrUn(path);
}

/**
 * A Unix datagram socket owned through FFI: message boundaries kept, each
 * datagram addressed on its own (`sendTo`, `receiveFrom` with the sender's
 * address), or connected to one peer. What `Deno.listenDatagram` cannot do:
 * connected datagram sockets, `socketpair`, descriptor passing, and
 * talking to any `SOCK_DGRAM` program (syslog's `/dev/log`, C, Python).
 *
 * Bound to a path it follows the socket-file rules of `serve()`: mode
 * `0o600` (no umask window), a stale file replaced, a live socket or another
 * file never (`AlreadyExists`), the file removed on close while still ours.
 * A datagram longer than `maxBytes` is dropped with an `InvalidData` error;
 * an empty datagram is a valid message.
 *
 * Requires `--allow-ffi` (and `--allow-read --allow-write` for a path).
 * NOTE: This API is only available on Linux.
 *
 * @example Datagrams between two bound sockets
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnixDatagram } from "@ipc/linux/uds";
 *
 * await using a = await UnixDatagram.bind(`\0doc-dgram-a-${Deno.pid}`);
 * await using b = await UnixDatagram.bind(`\0doc-dgram-b-${Deno.pid}`);
 * await a.sendTo(b.path!, new TextEncoder().encode("ping"));
 * const { data, from } = await b.receiveFrom();
 * assert.equal(new TextDecoder().decode(data), "ping");
 * assert.equal(from, a.path);
 * ```
 */
export class UnixDatagram implements AsyncDisposable {
  #fd: number;
  readonly #path: string | undefined;
  #remove: (() => Promise<void>) | undefined;
  readonly #closing = new AbortController();

  private constructor(fd: number, path?: string, remove?: () => Promise<void>) {
    this.#fd = fd;
    this.#path = path;
    this.#remove = remove;
  }

  /**
   * A datagram socket bound to `path` (a file, or an abstract name `"\0…"`).
   *
   * @param path Where to bind.
   * @param options The socket file's mode.
   * @returns The bound socket.
   * @throws {TypeError|RangeError} For a malformed path or mode, before any syscall.
   * @throws {Deno.errors.AlreadyExists} When a live socket or another file is there.
   */
  static async bind(path: string, options: UnixDatagramOptions = {}): Promise<UnixDatagram> {
    toAddress({ path }, "bind");
    const mode = checkInteger(options.mode ?? 0o600, "bind", "mode", 0, 0o777);
    const fd = openSocket(SOCK_DGRAM);
    try {
      const remove = await bindDatagram(fd, path, mode);
      return new UnixDatagram(fd, path, remove);
    } catch (err) {
      closeFd(fd);
      throw err;
    }
  }

  /**
   * An unbound datagram socket: it can send (its datagrams arrive from `""`,
   * so they cannot be answered) and, once connected, exchange with one peer.
   */
  static unbound(): UnixDatagram {
    return new UnixDatagram(openSocket(SOCK_DGRAM));
  }

  /** A connected pair of datagram sockets (`socketpair(2)`). */
  static pair(): [UnixDatagram, UnixDatagram] {
    const [a, b] = openPair(SOCK_DGRAM);
    return [new UnixDatagram(a), new UnixDatagram(b)];
  }

  /**
   * Own a Unix datagram socket descriptor (inherited or received); it is
   * made non-blocking.
   *
   * @throws {Deno.errors.InvalidData} When it is not a Unix datagram socket.
   */
  static fromFd(fd: number): UnixDatagram {
    const { path } = adoptMessageSocket(fd, SOCK_DGRAM, "adopt a datagram socket");
    return new UnixDatagram(fd, path || undefined);
  }

  /** The address it is bound to (undefined when unbound). */
  get path(): string | undefined {
    return this.#path;
  }

  /** The descriptor, still owned by this socket. */
  get fd(): number {
    this.#check("get the descriptor of");
    return this.#fd;
  }

  /** Whether it was closed. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /**
   * Connect to the socket bound at `path`: `send` goes there, and only its
   * datagrams are received.
   *
   * @throws {Deno.errors.ConnectionRefused} When nothing is bound there.
   */
  connect(path: string): void {
    destination(path, "connect");
    this.#check("connect");
    connectDatagram(this.#fd, path);
  }

  /** Send one datagram to the connected peer. */
  send(data: Uint8Array, options: DatagramSendOptions = {}): Promise<void> {
    return this.#send(data, undefined, undefined, options);
  }

  /**
   * Send one datagram to the socket bound at `path`.
   *
   * @throws {Deno.errors.ConnectionRefused} When nothing is bound there.
   * @throws {Deno.errors.NotFound} When the path does not exist.
   */
  sendTo(path: string, data: Uint8Array, options: DatagramSendOptions = {}): Promise<void> {
    let to;
    try {
      to = destination(path, "send");
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#send(data, to, path, options);
  }

  /** Receive one datagram with its sender's address. */
  async receiveFrom(options: DatagramReceiveOptions = {}): Promise<WholeMessage> {
    const { maxBytes, maxFds } = checkMessageLimits(options);
    const spin = checkSpin(options.spin, "receive");
    this.#check("receive on");
    const signal = this.#signal(options.signal);
    try {
      return await receiveWhole(this.#fd, maxBytes, maxFds, signal, spin);
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw err;
    }
  }

  /** Same as {@linkcode UnixDatagram.receiveFrom}. */
  receive(options: DatagramReceiveOptions = {}): Promise<WholeMessage> {
    return this.receiveFrom(options);
  }

  /** Close the socket, removing its socket file if it is still this socket's. Idempotent. */
  async close(): Promise<void> {
    if (this.#fd >= 0) {
      const fd = this.#fd;
      this.#fd = -1;
      this.#closing.abort(new errors.BadResource("Cannot use the socket: it was closed"));
      closeFd(fd);
    }
    const remove = this.#remove;
    this.#remove = undefined;
    await remove?.();
  }

  /** Same as {@linkcode UnixDatagram.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #send(
    data: Uint8Array,
    to: { addr: Uint8Array; length: number } | undefined,
    path: string | undefined,
    options: DatagramSendOptions,
  ): Promise<void> {
    if (!isBytes(data)) {
      throw new TypeError("Cannot send: data must be a Uint8Array");
    }
    data = honestBytes(data); // its real memory, whatever its length claims
    const fds = fdNumbers(options.fds, "send");
    if (fds.length > SCM_MAX_FD) {
      throw new RangeError(`Cannot send ${fds.length} descriptors: at most ${SCM_MAX_FD}`);
    }
    this.#check("send on");
    try {
      await sendWhole(this.#fd, data, fds, to, path, this.#signal(options.signal));
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw err;
    }
  }

  #signal(user: AbortSignal | undefined): AbortSignal {
    return user ? AbortSignal.any([user, this.#closing.signal]) : this.#closing.signal;
  }

  #check(action: string): void {
    if (this.#fd < 0) throw new errors.BadResource(`Cannot ${action} the socket: it is closed`);
  }
}
