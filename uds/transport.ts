// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The byte-stream transport under the framed protocol: Unix stream sockets
 * or TCP, behind one small interface. The host's own transport where it has
 * one (Deno: `Deno.listen`/`Deno.connect`); Node.js and Bun use `node:net`
 * (see {@linkcode runtimeTransport}).
 *
 * @module
 */
import { host } from "../_ffi/host.ts";
import type { Address, StreamConn, Transport } from "../_ffi/_transport.ts";
import { refuseLoneSurrogate } from "../_ffi/names.ts";
import { checkInteger, MAX_WAIT_MICROS } from "../_ffi/validate.ts";
import { describeAddress, osError } from "./_os_error.ts";

export type {
  Address,
  InlineReader,
  Listening,
  PeerCredentials,
  RemoteAddr,
  StreamConn,
  StreamListener,
  Transport,
} from "../_ffi/_transport.ts";

/**
 * What a pending `read` of a conn resolves with when a brief wait handed its
 * bytes to the conn's `reader` synchronously (see `StreamConn.reader`).
 */
export const CONSUMED = -2;

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
   * With `transport: "native"` (stream): once everything queued is
   * written (a request, or a reply: the next request often follows), and
   * while part of a frame has arrived, retry a non-blocking read for up to
   * this many µs (the clock is read every 8 tries: at least 8), before the
   * sleep of `syncWait` and then the poll loop. A peer that answers within
   * it is read with no wake-up, thread hop or timer: writes are synchronous,
   * bytes go straight into the read buffer (C-class round trips). Costs up
   * to that much CPU per write whose answer comes later (an eighth of it
   * after repeated misses), during which the event loop waits. 0 turns it
   * off.
   * @default {0}
   */
  spin?: number;
  /**
   * With `transport: "native"` (stream): after `spin`, when an answer is
   * expected as above, sleep in the kernel on the JavaScript thread
   * (`ppoll`) for up to this many µs, rounded up to just past the next
   * scheduler tick (as `MessageQueue`'s `syncWait`: a shorter timer costs
   * every sleep two timer reprogrammings, VM exits in a virtual machine). An
   * answer within it is read as a blocked C program reads it (the kernel
   * wakes this thread directly) instead of through the shared poll loop's
   * thread and then this one (two wake-ups). Uses no CPU, but the event loop
   * waits meanwhile: up to this + one tick (4.2 ms at HZ=250) when no answer
   * comes. After repeated misses (an idle peer) it shrinks to an eighth
   * (25 µs by default) and is not rounded. 0 never holds the event loop.
   * @default {200}
   */
  syncWait?: number;
}

/**
 * The host's own transport, with connect errors that name the address
 * (Deno's messages name no path; node:net's do).
 */
function naming(own: Transport): Transport {
  return {
    listen: (address) => own.listen(address),
    async connect(address: Address): Promise<StreamConn> {
      try {
        return await own.connect(address);
      } catch (err) {
        throw osError(err, "connect", describeAddress(address));
      }
    },
  };
}

let hostNet: Transport | undefined;
let nodeNet: Promise<Transport> | undefined;

/**
 * The transport for the running runtime: the host's own when it has one
 * (Deno), else the `node:net` one (Node.js and Bun; loaded on first use).
 */
export function runtimeTransport(): Promise<Transport> {
  const own = host().socketTransport;
  if (own !== undefined) return Promise.resolve(hostNet ??= naming(own));
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
    const waits: { spin?: number; syncWait?: number } = {};
    if (options.spin !== undefined && options.spin !== 0) {
      if (transport !== "native") {
        throw new TypeError(`Cannot ${what}: spin needs transport: "native"`);
      }
      waits.spin = checkInteger(options.spin, what, "spin", 0, MAX_WAIT_MICROS);
    }
    if (options.syncWait !== undefined) {
      if (transport !== "native") {
        throw new TypeError(`Cannot ${what}: syncWait needs transport: "native"`);
      }
      waits.syncWait = checkInteger(options.syncWait, what, "syncWait", 0, MAX_WAIT_MICROS);
    }
    if (waits.spin !== undefined || waits.syncWait !== undefined) {
      return { transport: "unix", path, native: true, ...waits };
    }
    return transport === "native"
      ? { transport: "unix", path, native: true }
      : { transport: "unix", path };
  }
  if (port === undefined) throw new TypeError(`Cannot ${what}: give a path or a port`);
  checkInteger(port, what, "port", 0, 65535);
  const hostname = options.hostname ?? "127.0.0.1";
  if (typeof hostname !== "string" || hostname.length === 0) {
    throw new TypeError(`Cannot ${what}: hostname must be a non-empty string`);
  }
  return { transport: "tcp", hostname, port };
}
