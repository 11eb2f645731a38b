// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the framed protocol over a `SOCK_SEQPACKET` socket, one frame per
 * packet (PROTOCOL.md §6, "Over seqpacket"). The frame writer hands over
 * bytes as it would to a stream (several frames in one write, or a frame's
 * head and payload in two); this conn cuts them at frame boundaries (the
 * 4-byte length of each frame) and sends each frame as one message. Reads
 * return one packet at a time, so a frame never spans two packets and two
 * frames never share one; a packet larger than the read buffer is handed
 * out over several reads.
 *
 * A frame must fit one packet: at most the socket's send buffer minus 32
 * bytes (`SO_SNDBUF`, raised here as far as `net.core.wmem_max` allows), so
 * each end announces at most that as its `maxFrameSize`.
 *
 * @module
 */
import { setSocketOption } from "../_ffi/message.ts";
import { SocketConn } from "./_socket_conn.ts";
import { socketOption } from "./_native.ts";
import { DEFAULT_MAX_MESSAGE } from "./_message_io.ts";
import type { UnixSocket } from "./unix_socket.ts";

const SO_SNDBUF = 7;
/** The send buffer asked for (the kernel caps it at wmem_max and doubles it). */
const WANTED_SNDBUF = 4 * 1024 * 1024;
/** What unix_dgram_sendmsg keeps of the send buffer for itself. */
const OVERHEAD = 32;

/** The largest message `fd` can send in one packet. */
function packetLimit(fd: number): number {
  setSocketOption(fd, SO_SNDBUF, WANTED_SNDBUF);
  return socketOption(fd, SO_SNDBUF, "SO_SNDBUF") - OVERHEAD;
}

/** A seqpacket socket as a stream of frames (see the module doc). */
export class PacketConn extends SocketConn {
  /** The largest frame this end can send. */
  readonly maxPacket: number;
  #partial: Uint8Array | undefined;
  #filled = 0;
  #head = new Uint8Array(4);
  #headFilled = 0;
  #unread: Uint8Array | undefined;

  constructor(socket: UnixSocket) {
    super(socket);
    this.maxPacket = packetLimit(socket.fd);
  }

  async read(buffer: Uint8Array): Promise<number | null> {
    if (!this.#unread) {
      const got = await this.socket.receive({
        maxBytes: Math.max(DEFAULT_MAX_MESSAGE, this.maxPacket),
      });
      if (got === null) return null;
      this.keep(got.fds);
      this.#unread = got.data;
    }
    const n = Math.min(buffer.length, this.#unread.length);
    buffer.set(n === this.#unread.length ? this.#unread : this.#unread.subarray(0, n));
    this.#unread = n === this.#unread.length ? undefined : this.#unread.subarray(n);
    return n;
  }

  async write(data: Uint8Array): Promise<number> {
    let at = 0;
    while (at < data.length) {
      if (this.#partial) {
        // The rest of a frame begun in an earlier write.
        const take = Math.min(this.#partial.length - this.#filled, data.length - at);
        this.#partial.set(data.subarray(at, at + take), this.#filled);
        this.#filled += take;
        at += take;
        if (this.#filled === this.#partial.length) {
          const frame = this.#partial;
          this.#partial = undefined;
          await this.socket.send(frame);
        }
      } else if (this.#headFilled > 0 || data.length - at < 4) {
        // A length field split across writes (the writer never splits one).
        const take = Math.min(4 - this.#headFilled, data.length - at);
        this.#head.set(data.subarray(at, at + take), this.#headFilled);
        this.#headFilled += take;
        at += take;
        if (this.#headFilled === 4) {
          this.#headFilled = 0;
          this.#partial = new Uint8Array(4 + lengthAt(this.#head, 0));
          this.#partial.set(this.#head);
          this.#filled = 4;
        }
      } else {
        const size = 4 + lengthAt(data, at);
        if (at + size <= data.length) {
          await this.socket.send(data.subarray(at, at + size)); // a whole frame: no copy
          at += size;
        } else {
          this.#partial = new Uint8Array(size);
          this.#filled = 0;
        }
      }
    }
    return data.length;
  }

  override async writeWithFds(data: Uint8Array, fds: readonly number[]): Promise<number> {
    if (this.#partial || this.#headFilled > 0) {
      throw new Error("Cannot send descriptors in the middle of a frame");
    }
    return await super.writeWithFds(data, fds); // one whole frame (the writer's own chunk)
  }
}

/** The big-endian u32 frame length at `bytes[at]`. */
function lengthAt(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) +
    bytes[at + 3]!;
}
