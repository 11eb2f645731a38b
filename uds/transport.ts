// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The byte-stream transport under the framed protocol: Unix stream sockets
 * or TCP, behind one small interface. Deno uses `Deno.listen`/`Deno.connect`;
 * Node.js and Bun use `node:net` (see {@linkcode runtimeTransport}).
 *
 * @module
 */

import { refuseLoneSurrogate } from "../_ffi/names.ts";
import { describeAddress, osError } from "./_os_error.ts";

/** Where a server listens or a client connects. */
export type Address =
  | { transport: "unix"; path: string; native?: boolean; seqpacket?: boolean; spin?: number }
  | { transport: "tcp"; hostname: string; port: number };

/** Address options shared by `serve` and `connect`: a `path`, or a `hostname` and `port`. */
export interface AddressOptions {
  /**
   * Unix socket path (at most 107 UTF-8 bytes; a leading `"\0"` makes it an
   * abstract socket). Give either `path` or `port`.
   */
  path?: string;
  /** TCP host name or IP address. @default {"127.0.0.1"} */
  hostname?: string;
  /** TCP port (0 lets the server pick one). */
  port?: number;
  /**
   * `"native"`: a Unix socket owned through FFI (`UnixSocket`, needs
   * `--allow-ffi`) instead of the runtime's own (`Deno.listen`/`node:net`).
   * Unix paths only.
   * @default {"default"}
   */
  transport?: "default" | "native";
  /**
   * With `transport: "native"`: `"seqpacket"` runs the protocol over a
   * `SOCK_SEQPACKET` socket, one frame per packet (frames then fit one
   * packet: about 208 KiB with Linux's default socket buffers; each end
   * announces at most that as its `maxFrameSize`). Both ends must use it.
   * @default {"stream"}
   */
  type?: "stream" | "seqpacket";
  /**
   * With `transport: "native"` (stream): after each write, retry a
   * non-blocking read for up to this many µs before leaving the reply to
   * the poll loop: a peer that answers within it is read with no wake-up or
   * thread hop (C-class round trips). Costs up to that much CPU per write
   * whose answer comes later (an eighth of it after repeated misses), during
   * which the event loop waits. 0 turns it off.
   * @default {0}
   */
  spin?: number;
}

/**
 * A peer's address as a transport reports it: `hostname` and `port` for TCP,
 * `path` for a Unix socket (a `Deno.Addr` fits this shape).
 */
export interface RemoteAddr {
  /** `"tcp"` or `"unix"` (other values are treated like Unix). */
  readonly transport: string;
  /** TCP peer host. */
  readonly hostname?: string;
  /** TCP peer port. */
  readonly port?: number;
  /** Unix peer's bound path (usually empty). */
  readonly path?: string | null;
}

/** A connected byte stream. */
export interface StreamConn {
  /** Reads into `buffer`; `null` at end-of-stream. */
  read(buffer: Uint8Array): Promise<number | null>;
  /** Writes some of `data`; returns how many bytes were written. */
  write(data: Uint8Array): Promise<number>;
  /** Shuts down the write side. */
  closeWrite(): Promise<void>;
  /** Closes the stream. */
  close(): void;
  /** The peer's address (Unix peers are usually unnamed: an empty path). */
  readonly remoteAddr: RemoteAddr;
  /** The peer process's credentials, where the transport can tell. */
  peer?(): { pid: number; uid: number; gid: number };
}

/** A listening socket. */
export interface StreamListener {
  /** Waits for the next connection. */
  accept(): Promise<StreamConn>;
  /** Stops listening. */
  close(): void;
}

/** Opens listeners and connections for one runtime. */
export interface Transport {
  /** Listens on a TCP address or on a Unix path that the caller already prepared. */
  listen(address: Address): Promise<Listening>;
  /** Connects to an address. */
  connect(address: Address): Promise<StreamConn>;
}

/** A listener and the address it really got (e.g. the port chosen for port 0). */
export interface Listening {
  /** The listener. */
  listener: StreamListener;
  /** The bound address. */
  addr: Address;
}

/** The Deno transport over `Deno.listen` and `Deno.connect`. */
export const denoTransport: Transport = {
  listen(address: Address): Promise<Listening> {
    if (address.transport === "unix") {
      const listener = Deno.listen({ transport: "unix", path: address.path });
      return Promise.resolve({ listener, addr: address });
    }
    const tcp = Deno.listen({ hostname: address.hostname, port: address.port });
    const real = tcp.addr as Deno.NetAddr;
    const listener: StreamListener = {
      async accept() {
        const conn = await tcp.accept();
        conn.setNoDelay(true); // replies must not wait for the client's delayed ACK
        return conn;
      },
      close: () => tcp.close(),
    };
    return Promise.resolve({
      listener,
      addr: { transport: "tcp", hostname: real.hostname, port: real.port },
    });
  },
  async connect(address: Address): Promise<StreamConn> {
    try {
      if (address.transport === "unix") {
        return await Deno.connect({ transport: "unix", path: address.path });
      }
      const conn = await Deno.connect({ hostname: address.hostname, port: address.port });
      conn.setNoDelay(true);
      return conn;
    } catch (err) {
      // Deno's message names no path: say which one, as node:net does.
      throw osError(err, "connect", describeAddress(address));
    }
  },
};

const isDeno = typeof (globalThis as { Deno?: { listen?: unknown } }).Deno?.listen === "function";
let nodeNet: Promise<Transport> | undefined;

/**
 * The transport for the running runtime: {@linkcode denoTransport} on Deno,
 * the `node:net` one on Node.js and Bun (loaded on first use).
 */
export function runtimeTransport(): Promise<Transport> {
  if (isDeno) return Promise.resolve(denoTransport);
  return nodeNet ??= nodeTransport();
}

/** The `node:net` transport, loaded on first use. */
export function nodeTransport(): Promise<Transport> {
  return import("./_node_transport.ts").then((m) => m.nodeTransport);
}

/** Checks address options and turns them into an {@linkcode Address}. */
export function toAddress(options: AddressOptions, what: string): Address {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`Cannot ${what}: options must be an object`);
  }
  const { path, port, transport = "default" } = options;
  if (transport !== "default" && transport !== "native") {
    throw new TypeError(
      `Cannot ${what}: transport ${JSON.stringify(transport)} is not "default" or "native"`,
    );
  }
  if (transport === "native" && path === undefined) {
    throw new TypeError(`Cannot ${what}: the native transport needs a Unix socket path`);
  }
  if (path !== undefined) {
    if (port !== undefined) {
      throw new TypeError(`Cannot ${what}: give either path or port, not both`);
    }
    if (typeof path !== "string" || path.length === 0) {
      throw new TypeError(`Cannot ${what}: path must be a non-empty string`);
    }
    const abstract = path.startsWith("\0");
    if (!abstract && path.includes("\0")) {
      throw new TypeError(`Cannot ${what}: path "${path}" contains a NUL byte`);
    }
    refuseLoneSurrogate(path, `Cannot ${what}: path ${JSON.stringify(path)}`, "file");
    const bytes = new TextEncoder().encode(path).length;
    // sun_path is 108 bytes, including the terminating NUL of a filesystem path.
    if (bytes > (abstract ? 108 : 107)) {
      throw new RangeError(
        `Cannot ${what}: path "${path}" is ${bytes} bytes, longer than sun_path allows (${
          abstract ? 108 : 107
        })`,
      );
    }
    if (options.type !== undefined && options.type !== "stream") {
      if (options.type !== "seqpacket") {
        throw new TypeError(
          `Cannot ${what}: type ${JSON.stringify(options.type)} is not "stream" or "seqpacket"`,
        );
      }
      if (transport !== "native") {
        throw new TypeError(`Cannot ${what}: type "seqpacket" needs transport: "native"`);
      }
      return { transport: "unix", path, native: true, seqpacket: true };
    }
    if (options.spin !== undefined && options.spin !== 0) {
      if (transport !== "native") {
        throw new TypeError(`Cannot ${what}: spin needs transport: "native"`);
      }
      const spin = options.spin;
      if (!Number.isInteger(spin) || spin < 0 || spin > 1_000_000) {
        throw new RangeError(`Cannot ${what}: spin ${spin} is not an integer in 0..1000000`);
      }
      return { transport: "unix", path, native: true, spin };
    }
    return transport === "native"
      ? { transport: "unix", path, native: true }
      : { transport: "unix", path };
  }
  if (port === undefined) throw new TypeError(`Cannot ${what}: give a path or a port`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`Cannot ${what}: port ${port} is not an integer in 0..65535`);
  }
  const hostname = options.hostname ?? "127.0.0.1";
  if (typeof hostname !== "string" || hostname.length === 0) {
    throw new TypeError(`Cannot ${what}: hostname must be a non-empty string`);
  }
  return { transport: "tcp", hostname, port };
}
