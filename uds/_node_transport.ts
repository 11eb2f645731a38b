// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: a transport over `node:net`: the transport on Node.js and Bun,
 * and on Deno when peer credentials are wanted (a `node:net` socket exposes
 * its fd; `Deno.UnixConn` does not). Errors are this library's classes.
 *
 * @module
 */
import net from "node:net";
import { peerCredentials } from "../_ffi/socket.ts";
import { errors } from "../_ffi/errors.ts";
import { ConnectionClosedError } from "./errors.ts";
import { describeAddress, osError } from "./_os_error.ts";
import type {
  Address,
  Listening,
  PeerCredentials,
  RemoteAddr,
  StreamConn,
  StreamListener,
  Transport,
} from "../_ffi/_transport.ts";

/** Stop reading from the socket while this many bytes wait to be read. */
const PAUSE_AT = 1 << 20;

function mapError(err: Error, call: string, object?: string): Error {
  return osError(err, call, object) as Error;
}

class NodeConn implements StreamConn {
  readonly #socket: net.Socket;
  #chunks: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  #closed = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;
  readonly remoteAddr: RemoteAddr;

  constructor(socket: net.Socket, unixPath?: string) {
    this.#socket = socket;
    this.remoteAddr = unixPath !== undefined
      ? { transport: "unix", path: "" }
      : { transport: "tcp", hostname: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 };
    socket.on("data", (chunk: Uint8Array) => {
      this.#chunks.push(chunk);
      this.#queued += chunk.length;
      if (this.#queued >= PAUSE_AT) socket.pause();
      this.#notify();
    });
    socket.on("end", () => {
      this.#ended = true;
      this.#notify();
    });
    socket.on("error", (err) => {
      this.#error = mapError(err, "recv");
      this.#notify();
    });
    socket.on("close", () => {
      this.#ended = true;
      this.#notify();
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** The peer's credentials (SO_PEERCRED through FFI); Unix sockets only. */
  peer(): PeerCredentials {
    const fd = (this.#socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== "number" || fd < 0) {
      throw new errors.NotSupported("Cannot read peer credentials: the socket has no fd");
    }
    return peerCredentials(fd);
  }

  async read(buffer: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#closed) throw new errors.BadResource("Cannot read: the socket is closed");
      if (this.#error) throw this.#error;
      if (this.#ended) return null;
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    let n = 0;
    while (n < buffer.length && this.#chunks.length > 0) {
      const chunk = this.#chunks[0]!;
      const take = Math.min(chunk.length, buffer.length - n);
      buffer.set(take === chunk.length ? chunk : chunk.subarray(0, take), n);
      n += take;
      if (take === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(take);
    }
    this.#queued -= n;
    if (this.#queued < PAUSE_AT / 4 && this.#socket.isPaused()) this.#socket.resume();
    return n;
  }

  write(data: Uint8Array): Promise<number> {
    if (this.#closed) {
      return Promise.reject(new ConnectionClosedError("Cannot write: the socket is closed"));
    }
    return new Promise((resolve, reject) => {
      // The callback fires once the bytes are handed to the kernel, so the
      // caller may reuse `data` afterwards.
      this.#socket.write(
        data,
        (err) => err ? reject(mapError(err, "write")) : resolve(data.length),
      );
    });
  }

  closeWrite(): Promise<void> {
    return new Promise((resolve) => this.#socket.end(resolve));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.destroy();
    this.#notify();
  }
}

class NodeListener implements StreamListener {
  readonly #server: net.Server;
  readonly #unix: boolean;
  #ready: net.Socket[] = [];
  #wake: (() => void) | undefined;
  #closed = false;

  constructor(server: net.Server, unix: boolean) {
    this.#server = server;
    this.#unix = unix;
    server.on("connection", (socket) => {
      if (this.#closed) return void socket.destroy();
      this.#ready.push(socket);
      this.#wake?.();
    });
    // Node may report a failed accept (e.g. EMFILE) as an "error" event on
    // the listening server, which would crash the process unhandled; it goes
    // on listening, and so does the server, like the Deno accept loop.
    server.on("error", () => {});
  }

  async accept(): Promise<StreamConn> {
    while (this.#ready.length === 0) {
      if (this.#closed) throw new errors.BadResource("Listener closed");
      await new Promise<void>((resolve) => this.#wake = resolve);
      this.#wake = undefined;
    }
    const socket = this.#ready.shift()!;
    if (!this.#unix) socket.setNoDelay(true); // replies must not wait for a delayed ACK
    return new NodeConn(socket, this.#unix ? "" : undefined);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    for (const socket of this.#ready.splice(0)) socket.destroy();
    this.#wake?.();
  }
}

/** The `node:net` transport. */
export const nodeTransport: Transport = {
  async listen(address: Address): Promise<Listening> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err) => reject(mapError(err, "listen", describeAddress(address))));
      if (address.transport === "unix") server.listen(address.path, resolve);
      else server.listen(address.port, address.hostname, resolve);
    });
    const listener = new NodeListener(server, address.transport === "unix");
    if (address.transport === "unix") return { listener, addr: address };
    const real = server.address() as net.AddressInfo;
    return { listener, addr: { transport: "tcp", hostname: address.hostname, port: real.port } };
  },
  async connect(address: Address): Promise<StreamConn> {
    const socket = address.transport === "unix"
      ? net.connect({ path: address.path, allowHalfOpen: true })
      : net.connect({ host: address.hostname, port: address.port, allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", (err) => reject(mapError(err, "connect", describeAddress(address))));
    });
    if (address.transport === "tcp") socket.setNoDelay(true);
    return new NodeConn(socket, address.transport === "unix" ? "" : undefined);
  },
};
