// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode UnixSocket}: a native Unix socket that can pass descriptors.
 *
 * @module
 */
import { honestBytes, isBytes } from "../_ffi/bytes.ts";
import { errors } from "../_ffi/errors.ts";
import { closeFd, socketLib } from "../_ffi/socket.ts";
import { SCM_MAX_FD, SHUT_WR, SOCK_SEQPACKET } from "../_ffi/_socket_struct.ts";
import { check } from "../_ffi/libc.ts";
import { peerCredentials } from "../_ffi/socket.ts";
import { adoptSocket, connectTo, openPair, type SocketType, socketTypeOf } from "./_native.ts";
import { checkReceiveLimits, type SocketMessage } from "./_native_io.ts";
import { toAddress } from "./transport.ts";
import { checkMessageLimits } from "./_message_io.ts";
import { checkSpin } from "./_spin.ts";
import { fdNumbers } from "./received_fd.ts";
import { SocketIo } from "./_socket_io.ts";
import type { PeerCredentials } from "../_ffi/_transport.ts";
import type {
  UnixConnectOptions,
  UnixReceiveOptions,
  UnixSendOptions,
} from "./_unix_socket_options.ts";

export type { UnixConnectOptions, UnixReceiveOptions, UnixSendOptions };
export type { SocketMessage, SocketType };

let own: (fd: number, seqpacket: boolean) => UnixSocket;

/** Wrap a connected descriptor this library opened (private to uds/). */
export function ownSocket(fd: number, seqpacket: boolean): UnixSocket {
  return own(fd, seqpacket);
}

/**
 * A Unix domain socket owned through FFI, non-blocking and close-on-exec,
 * whose waits share the library's one poll loop. Unlike `Deno.connect` it
 * can pass open file descriptors to an unrelated process (`SCM_RIGHTS`),
 * the way Python's `socket.send_fds` and C's `sendmsg` do.
 *
 * On a `"stream"` socket bytes have no boundaries: descriptors arrive with
 * the read that returns the byte they were attached to. A `"seqpacket"`
 * socket keeps message boundaries (and refuses to send an empty message,
 * which the peer could not tell from the end of the stream). A zero-length
 * read means end of stream.
 *
 * Requires `--allow-ffi` permission (and `--allow-read --allow-write` to
 * listen on a path). NOTE: This API is only available on Linux.
 *
 * @example Pass a descriptor between the ends of a socket pair
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnixSocket } from "@ipc/linux/uds";
 *
 * const [a, b] = UnixSocket.pair();
 * const [c, d] = UnixSocket.pair();
 * await a.send(new TextEncoder().encode("take this"), { fds: [c] });
 * c.close(); // the receiver holds its own copy
 * const message = await b.receive();
 * assert.equal(new TextDecoder().decode(message!.data), "take this");
 * using passed = UnixSocket.fromFd(message!.fds[0]!.take());
 * await d.send(new Uint8Array([42]));
 * assert.deepEqual((await passed.receive())!.data, new Uint8Array([42]));
 * for (const s of [a, b, d]) s.close();
 * ```
 */
export class UnixSocket implements Disposable {
  #fd: number;
  readonly #seqpacket: boolean;
  readonly #io: SocketIo;

  /** Internal: use {@linkcode UnixSocket.connect}, `pair` or `fromFd`. */
  private constructor(fd: number, seqpacket: boolean) {
    this.#fd = fd;
    this.#seqpacket = seqpacket;
    this.#io = new SocketIo(seqpacket, (action) => {
      this.#check(action);
      return this.#fd;
    });
  }

  static {
    own = (fd, seqpacket) => new UnixSocket(fd, seqpacket);
  }

  /**
   * Connect to a server listening on `path` (a file, or an abstract name
   * starting with `"\0"`).
   *
   * @param path The socket's path.
   * @param options The socket type and an AbortSignal.
   * @returns The connected socket.
   * @throws {TypeError|RangeError} For a malformed path or option, before any syscall.
   * @throws {Deno.errors.ConnectionRefused} When nobody listens there.
   * @throws {Deno.errors.NotFound} When the path does not exist.
   * @throws {Deno.errors.WouldBlock} When the server's backlog is full.
   *
   * @example Connect to a listener
   * ```ts
   * import assert from "node:assert/strict";
   * import { UnixSocket } from "@ipc/linux/uds";
   * import { UnixListener } from "@ipc/linux/uds";
   *
   * await using listener = await UnixListener.listen(`\0doc-connect-${Deno.pid}`);
   * using client = await UnixSocket.connect(`\0doc-connect-${Deno.pid}`);
   * using server = await listener.accept();
   * assert.equal(server.peer().pid, Deno.pid);
   * ```
   */
  static async connect(path: string, options: UnixConnectOptions = {}): Promise<UnixSocket> {
    toAddress({ path }, "connect");
    const type = socketTypeOf(options.type, "connect");
    const signal = options.signal ?? new AbortController().signal;
    if (signal.aborted) throw signal.reason;
    return new UnixSocket(await connectTo(path, type, signal), options.type === "seqpacket");
  }

  /**
   * A connected pair of sockets (`socketpair(2)`), e.g. to hand one end to a
   * child process.
   *
   * @param options The socket type.
   * @returns Both ends.
   *
   * @example Talk across a pair
   * ```ts
   * import assert from "node:assert/strict";
   * import { UnixSocket } from "@ipc/linux/uds";
   *
   * const [a, b] = UnixSocket.pair({ type: "seqpacket" });
   * using _a = a;
   * using _b = b;
   * await a.send(new Uint8Array([1, 2]));
   * assert.deepEqual((await b.receive())!.data, new Uint8Array([1, 2]));
   * ```
   */
  static pair(options: { type?: SocketType } = {}): [UnixSocket, UnixSocket] {
    const type = socketTypeOf(options.type, "create a socket pair");
    const [a, b] = openPair(type);
    const seqpacket = options.type === "seqpacket";
    return [new UnixSocket(a, seqpacket), new UnixSocket(b, seqpacket)];
  }

  /**
   * Own a connected Unix socket descriptor: one received over another socket,
   * inherited from a parent, or taken from a pair. It is made non-blocking.
   *
   * @param fd The descriptor; closing the socket closes it.
   * @returns The socket.
   * @throws {Deno.errors.InvalidData} When `fd` is not a connected Unix stream or seqpacket socket.
   * @throws {Deno.errors.BadResource} When `fd` is not open.
   */
  static fromFd(fd: number): UnixSocket {
    const type = adoptSocket(fd, false, "adopt a socket");
    return new UnixSocket(fd, type === SOCK_SEQPACKET);
  }

  /**
   * The socket's descriptor (still owned by the socket), e.g. to pass it on.
   *
   * @throws {Deno.errors.BadResource} When the socket is closed.
   */
  get fd(): number {
    this.#check("get the descriptor of");
    return this.#fd;
  }

  /** Whether {@linkcode UnixSocket.close} (or `take`) was called. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /**
   * Send all of `data`, with `options.fds` attached to its first byte.
   * Concurrent sends are queued, never interleaved.
   *
   * On a `"seqpacket"` socket `data` must not be empty: the receiver's
   * `recvmsg` returns 0 for an empty message and for the end of the stream
   * alike, so an empty message would read as `null` (end) at the other end;
   * it is refused with a RangeError instead. On a `"stream"` socket an empty
   * `data` (without descriptors) sends no byte and the peer sees nothing; the
   * call still reaches the kernel, so it rejects with BrokenPipe once the
   * peer has closed.
   *
   * @param data The bytes (at least one when descriptors are sent, or on a seqpacket socket).
   * @param options Descriptors to pass and an AbortSignal.
   * @throws {TypeError|RangeError} For bad descriptors or too many, or an
   *   empty `data` on a seqpacket socket, before any syscall.
   * @throws {Deno.errors.BrokenPipe} When the peer has closed its end.
   * @throws {Deno.errors.BadResource} When the socket is closed.
   */
  send(data: Uint8Array, options: UnixSendOptions = {}): Promise<void> {
    if (!isBytes(data)) {
      return Promise.reject(new TypeError("Cannot send: data must be a Uint8Array"));
    }
    data = honestBytes(data); // its real memory, whatever its length claims
    let fds: number[];
    try {
      fds = fdNumbers(options.fds, "send");
      if (fds.length > SCM_MAX_FD) {
        throw new RangeError(
          `Cannot send ${fds.length} descriptors: at most ${SCM_MAX_FD} (SCM_MAX_FD)`,
        );
      }
      if (fds.length > 0 && data.length === 0) {
        throw new RangeError("Cannot send descriptors without at least one byte of data");
      }
      if (this.#seqpacket && data.length === 0) {
        throw new RangeError(
          "Cannot send an empty message on a seqpacket socket: the peer would read it as the " +
            "end of the stream (recvmsg returns 0 for both)",
        );
      }
      this.#check("send on");
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#io.send(data, fds, options.signal);
  }

  /**
   * Receive the next bytes (on a seqpacket socket: the next message) and the
   * descriptors that came with them.
   *
   * @param options Limits and an AbortSignal.
   * On a seqpacket socket an empty message from a peer that sends one
   * (e.g. Python's `sock.send(b"")`; this class refuses to) also reads as
   * `null`: the kernel reports it exactly like the end of the stream. If the
   * peer had not closed, a later `receive` returns its next message.
   *
   * @returns The bytes and descriptors, or `null` at end of stream.
   * @throws {Deno.errors.InvalidData} When a message carried more than
   *   `maxFds` descriptors (those that arrived are closed; its bytes are in
   *   the error's `data`), or a seqpacket message was longer than `maxBytes`.
   * @throws {Deno.errors.BadResource} When the socket is or gets closed.
   */
  receive(options: UnixReceiveOptions = {}): Promise<SocketMessage | null> {
    let limits: { maxBytes: number; maxFds: number };
    let spin: number;
    try {
      limits = this.#seqpacket ? checkMessageLimits(options) : checkReceiveLimits(options);
      spin = checkSpin(options.spin, "receive");
      this.#check("receive on");
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#io.receive(limits.maxBytes, limits.maxFds, spin, options.signal);
  }

  /**
   * The credentials of the process at the other end (`SO_PEERCRED`, as of
   * when the connection was made).
   *
   * @returns Its pid, uid and gid.
   */
  peer(): PeerCredentials {
    this.#check("read peer credentials of");
    return peerCredentials(this.#fd);
  }

  /** Shut down the write side: the peer reads end of stream after what was sent. */
  closeWrite(): void {
    this.#check("shut down");
    check(socketLib().shutdown(this.#fd, SHUT_WR), "shutdown", this.#fd);
  }

  /**
   * Take the descriptor: the socket forgets it (pending waits reject) and
   * the caller owns it, e.g. to pass it to another process.
   *
   * @returns The descriptor.
   */
  take(): number {
    const fd = this.fd;
    this.#release();
    return fd;
  }

  /** Close the socket; pending sends and receives reject. Idempotent. */
  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#release();
    closeFd(fd);
  }

  /** Same as {@linkcode UnixSocket.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  #release(): void {
    this.#fd = -1;
    this.#io.close(new errors.BadResource("Cannot use the socket: it was closed"));
  }

  #check(action: string): void {
    if (this.#fd < 0) throw new errors.BadResource(`Cannot ${action} the socket: it is closed`);
  }
}
