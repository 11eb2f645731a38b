// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: what the native conns (uds/_native_transport.ts, _packet_conn.ts, _spin_conn.ts)
 * share: a {@linkcode UnixSocket} under the framed protocol, with received
 * descriptors queued for their frames (uds/_frame_fds.ts).
 *
 * @module
 */
import type { FdConn } from "./_frame_fds.ts";
import type { ReceivedFd } from "./received_fd.ts";
import type { RemoteAddr } from "./transport.ts";
import type { PeerCredentials } from "../_ffi/_transport.ts";
import type { UnixSocket } from "./unix_socket.ts";

/** A native socket as a conn of the framed protocol; subclasses read and write. */
export abstract class SocketConn implements FdConn {
  readonly socket: UnixSocket;
  readonly remoteAddr: RemoteAddr = { transport: "unix", path: "" };
  readonly fdQueue: ReceivedFd[] = [];
  keepFds = false;

  constructor(socket: UnixSocket) {
    this.socket = socket;
  }

  abstract read(buffer: Uint8Array): Promise<number | null>;
  abstract write(data: Uint8Array): Promise<number>;

  /** Queue descriptors that arrived (FDS negotiated), or close them. */
  protected keep(fds: readonly ReceivedFd[]): void {
    for (const fd of fds) {
      if (this.keepFds) this.fdQueue.push(fd);
      else fd.close();
    }
  }

  async writeWithFds(data: Uint8Array, fds: readonly number[]): Promise<number> {
    await this.socket.send(data, { fds });
    return data.length;
  }

  closeWrite(): Promise<void> {
    this.socket.closeWrite();
    return Promise.resolve();
  }

  close(): void {
    this.socket.close();
    for (const fd of this.fdQueue.splice(0)) fd.close();
  }

  peer(): PeerCredentials {
    return this.socket.peer();
  }
}
