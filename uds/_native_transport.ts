// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the native Unix-socket transport (sockets owned through `_ffi/`)
 * behind the {@linkcode Transport} interface, so the socket-file rules of
 * `serve()` (uds/_socket_file.ts) apply to {@linkcode UnixListener} too.
 *
 * @module
 */
import { errors } from "../_ffi/errors.ts";
import { SOCK_SEQPACKET } from "../_ffi/_socket_struct.ts";
import { closeFd } from "../_ffi/socket.ts";
import { acceptFrom, bindAndListen, connectTo, openSocket } from "./_native.ts";
import { ownSocket, type UnixSocket } from "./unix_socket.ts";
import { PacketConn } from "./_packet_conn.ts";
import { SpinConn } from "./_spin_conn.ts";
import { SocketConn } from "./_socket_conn.ts";
import { DEFAULT_SYNC_WAIT } from "./_spin.ts";
import type { Address, Listening, StreamConn, StreamListener, Transport } from "./transport.ts";

/** A listening native socket: its descriptor, and accept/close. */
export class NativeListener implements StreamListener {
  fd: number;
  readonly #seqpacket: boolean;
  readonly #waits: BriefWaits;
  readonly #closing = new AbortController();

  constructor(fd: number, seqpacket: boolean, waits: BriefWaits = {}) {
    this.fd = fd;
    this.#seqpacket = seqpacket;
    this.#waits = waits;
  }

  /** Accept the next connection as a socket; `signal` aborts the wait. */
  async acceptSocket(signal?: AbortSignal): Promise<UnixSocket> {
    if (this.fd < 0) throw new errors.BadResource("Cannot accept: the listener is closed");
    const both = signal ? AbortSignal.any([signal, this.#closing.signal]) : this.#closing.signal;
    try {
      return ownSocket(await acceptFrom(this.fd, both), this.#seqpacket);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw err;
    }
  }

  async accept(): Promise<StreamConn> {
    return conn(await this.acceptSocket(), this.#seqpacket, this.#waits);
  }

  /** Forget the descriptor (pending accepts reject) and return it. */
  release(): number {
    const fd = this.fd;
    this.fd = -1;
    this.#closing.abort(new errors.BadResource("Cannot accept: the listener is closed"));
    return fd;
  }

  close(): void {
    if (this.fd >= 0) closeFd(this.release());
  }
}

/**
 * A native socket as a stream that can carry descriptors: those that arrive
 * are queued for the frames that claim them (see _frame_fds.ts), or closed
 * at once while the FDS feature is not negotiated.
 */
export class NativeConn extends SocketConn {
  async read(buffer: Uint8Array): Promise<number | null> {
    const got = await this.socket.receive({ maxBytes: Math.min(buffer.length, 65536) });
    if (got === null) return null;
    this.keep(got.fds);
    buffer.set(got.data);
    return got.data.length;
  }

  async write(data: Uint8Array): Promise<number> {
    await this.socket.send(data);
    return data.length;
  }
}

/**
 * How a native stream conn waits for an answer after it wrote, on the
 * JavaScript thread (uds/_spin_conn.ts): `spin` µs retrying a read (default
 * 0), then up to `syncWait` µs asleep in the kernel (default
 * {@linkcode DEFAULT_SYNC_WAIT}). An {@linkcode Address} carries both.
 */
export interface BriefWaits {
  spin?: number;
  syncWait?: number;
}

/** The framed protocol's conn over `socket`: per packet, waiting briefly, or plain. */
function conn(socket: UnixSocket, seqpacket: boolean, waits: BriefWaits): StreamConn {
  if (seqpacket) return new PacketConn(socket);
  const spin = waits.spin ?? 0;
  const syncWait = waits.syncWait ?? DEFAULT_SYNC_WAIT;
  return spin > 0 || syncWait > 0 ? new SpinConn(socket, spin, syncWait) : new NativeConn(socket);
}

/**
 * The native transport for sockets of `type` (`SOCK_*`), listening with
 * `backlog`; stream reads wait briefly after writes as `waits` says
 * (uds/_spin_conn.ts).
 */
export function nativeTransport(type: number, backlog?: number, waits: BriefWaits = {}): Transport {
  const seqpacket = type === SOCK_SEQPACKET;
  return {
    listen(address: Address): Promise<Listening> {
      if (address.transport !== "unix") {
        return Promise.reject(new TypeError("Cannot listen: the native transport is Unix-only"));
      }
      const fd = openSocket(type);
      try {
        bindAndListen(fd, address.path, backlog);
      } catch (err) {
        closeFd(fd);
        return Promise.reject(err);
      }
      return Promise.resolve({ listener: new NativeListener(fd, seqpacket, waits), addr: address });
    },
    async connect(address: Address): Promise<StreamConn> {
      if (address.transport !== "unix") {
        throw new TypeError("Cannot connect: the native transport is Unix-only");
      }
      const fd = await connectTo(address.path, type, new AbortController().signal);
      return conn(ownSocket(fd, seqpacket), seqpacket, waits);
    },
  };
}
