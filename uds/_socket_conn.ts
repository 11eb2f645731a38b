// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: what the native conns (uds/_native_transport.ts, _packet_conn.ts, _spin_conn.ts)
 * share: a {@linkcode UnixSocket} under the framed protocol, with received
 * descriptors queued for their frames (uds/_frame_fds.ts).
 *
 * @module
 */
import { errors } from "../_ffi/errors.ts";
import { MAX_FRAME_FDS } from "../protocol/mod.ts";
import type { FdConn } from "./_frame_fds.ts";
import type { ReceivedFd } from "./received_fd.ts";
import type { RemoteAddr } from "./transport.ts";
import type { PeerCredentials } from "../_ffi/_transport.ts";
import type { UnixSocket } from "./unix_socket.ts";

/**
 * The most descriptors a conn holds that no frame claimed yet: those of a
 * frame still arriving and of the next one, whose first byte may come in the
 * same read (PROTOCOL.md §6). A peer sending more is refused, or it could
 * exhaust this process's descriptors.
 */
export const MAX_QUEUED_FDS = 2 * MAX_FRAME_FDS;

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

  /**
   * Queue descriptors that arrived (FDS negotiated), or close them.
   *
   * @throws {Deno.errors.InvalidData} When the queue would hold more than
   * {@linkcode MAX_QUEUED_FDS} (the arriving ones are closed).
   */
  protected keep(fds: readonly ReceivedFd[]): void {
    if (this.keepFds && this.fdQueue.length + fds.length <= MAX_QUEUED_FDS) {
      for (const fd of fds) this.fdQueue.push(fd);
      return;
    }
    for (const fd of fds) fd.close();
    if (!this.keepFds) return;
    throw new errors.InvalidData(
      `Cannot receive: the peer sent ${this.fdQueue.length + fds.length} descriptors that no ` +
        `frame claimed, more than ${MAX_QUEUED_FDS}; the ${fds.length} that arrived were closed`,
    );
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
