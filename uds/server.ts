// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The server: `serve(options, handler)`.
 *
 * @module
 */
import { Acceptor, type AcceptorSettings, adoptListener, listen } from "./_accept.ts";
import { errors } from "../_ffi/errors.ts";
import { resolveActivation } from "./listen_fds.ts";
import { checkServeOptions } from "./_serve_options.ts";
import { checkInteger } from "../_ffi/validate.ts";
import type { Address, StreamListener } from "./transport.ts";
import type { ServerConnection } from "./server_connection.ts";
import type { Handler, ServeOptions, ShutdownOptions } from "./types.ts";
import { newServerStats, type ServerStats } from "./stats.ts";

/**
 * A running server made by {@linkcode serve}. Dispose of it (`await using`)
 * or call {@linkcode Server.shutdown} to stop it gracefully.
 *
 * @example A TCP server on a port the system picks
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, serve } from "@ipc/linux/uds";
 *
 * const server = await serve({ port: 0 }, (req) => req.payload);
 * assert.equal(server.addr.transport, "tcp");
 * const port = server.addr.transport === "tcp" ? server.addr.port : 0;
 * {
 *   await using client = await connect({ port });
 *   assert.deepEqual(await client.request("echo", new Uint8Array([1])), new Uint8Array([1]));
 * }
 * await server.shutdown();
 * assert.equal(server.closed, true);
 * ```
 */
export class Server implements AsyncDisposable {
  readonly #addr: Address;
  readonly #removeFile: () => Promise<void>;
  readonly #acceptor: Acceptor;
  readonly #listener: StreamListener;
  readonly #stats: ServerStats;
  #stopping: Promise<void> | undefined;
  readonly #finished: Promise<void>;
  #resolveFinished!: () => void;

  /** @internal Use {@linkcode serve}. */
  constructor(
    listener: StreamListener,
    addr: Address,
    removeFile: () => Promise<void>,
    settings: AcceptorSettings,
    maxConnections: number,
  ) {
    this.#addr = addr;
    this.#listener = listener;
    this.#removeFile = removeFile;
    this.#finished = new Promise((resolve) => this.#resolveFinished = resolve);
    this.#acceptor = new Acceptor(listener, settings, maxConnections);
    this.#stats = settings.stats;
  }

  /** Counters since the server started (a copy), read without any subscription. */
  get stats(): ServerStats {
    return { ...this.#stats };
  }

  /** The address the server listens on (the real port for TCP port 0). */
  get addr(): Address {
    return this.#addr;
  }

  /**
   * The listening socket's descriptor (native transport: `transport:
   * "native"` or `fd`), still owned by the server. Pass it to the next server
   * process over a `UnixSocket`; that one serves with `serve({ fd })`, and
   * this one then drains with `shutdown({ keepSocketFile: true })`: the
   * socket never stops listening, so no client is refused in between.
   *
   * @throws {Deno.errors.NotSupported} On the default transport (its descriptor is hidden).
   * @throws {Deno.errors.BadResource} Once shut down.
   */
  get fd(): number {
    const fd = (this.#listener as { fd?: number }).fd;
    if (fd === undefined) {
      throw new errors.NotSupported(
        'Cannot get the listening descriptor: serve with transport: "native" to hand it off',
      );
    }
    if (fd < 0) throw new errors.BadResource("Cannot get the listening descriptor: shut down");
    return fd;
  }

  /** Connections that completed their handshake and are still open. */
  get connections(): ReadonlySet<ServerConnection> {
    return this.#acceptor.ready;
  }

  /** Resolves once the server has shut down and every connection is closed. */
  get finished(): Promise<void> {
    return this.#finished;
  }

  /** Whether shutdown has begun. */
  get closed(): boolean {
    return this.#stopping !== undefined;
  }

  /**
   * Sends a notification to every connected client. A client it cannot
   * reach (closing, or whose `maxFrameSize` the frame exceeds) is skipped.
   *
   * @param method Method name (1–255 UTF-8 bytes).
   * @param payload Bytes or text.
   * @returns Resolves when every connection has queued it (waiting for slow
   * readers), or, for a payload of 16 KiB or more (written without a copy),
   * once every connection has written it.
   */
  async broadcast(method: string, payload: Uint8Array | string = new Uint8Array()): Promise<void> {
    await Promise.all(
      [...this.#acceptor.ready].map((c) => c.notify(method, payload).catch(() => {})),
    );
  }

  /**
   * Stops accepting, says `GOODBYE` to every client, lets in-flight requests
   * finish (answering requests that arrive meanwhile with `SHUTTING_DOWN`),
   * removes the socket file, and closes. Idempotent.
   *
   * @param options Shutdown options.
   * @returns Resolves when everything is closed.
   */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    if (this.#stopping) return this.#stopping;
    const timeout = checkInteger(options.timeout ?? 10_000, "shut down", "timeout", 0, 2 ** 31 - 1);
    const keepFile = options.keepSocketFile ?? false;
    if (typeof keepFile !== "boolean") {
      throw new TypeError("Cannot shut down: keepSocketFile must be a boolean");
    }
    this.#stopping = (async () => {
      await this.#acceptor.stop();
      if (!keepFile) await this.#removeFile();
      await this.#acceptor.goodbye(timeout);
      this.#resolveFinished();
    })();
    return this.#stopping;
  }

  /** Same as {@linkcode Server.shutdown} with its defaults. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }
}

/**
 * Serves the framed protocol on a Unix socket (`path`) or TCP (`port`). The
 * handler gets each request and returns the response body (bytes or text);
 * if it throws, the client gets an `ERROR` frame (a thrown
 * {@linkcode RemoteError} chooses the code, anything else is `HANDLER_ERROR`).
 *
 * A live socket at `path` (a server answers there) is never replaced:
 * `Deno.errors.AlreadyExists`. A stale socket file is replaced. The socket
 * file gets `mode` without a umask race and is removed on shutdown.
 *
 * Requires `--allow-read --allow-write --allow-net` for Unix sockets,
 * `--allow-net` for TCP.
 *
 * @example Echo server and client
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, serve } from "@ipc/linux/uds";
 *
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/echo.sock`;
 * {
 *   await using server = await serve({ path }, (req) => req.payload);
 *   await using client = await connect({ path });
 *   const reply = await client.request("echo", "hello");
 *   assert.equal(new TextDecoder().decode(reply), "hello");
 *   assert.equal(server.connections.size, 1);
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @example Bulk upload with borrowed notification payloads
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, serve } from "@ipc/linux/uds";
 *
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/upload.sock`;
 * {
 *   let total = 0;
 *   await using _server = await serve({
 *     path,
 *     borrowNotifications: true, // payloads lent: valid only during the call
 *     onNotification: (n) => {
 *       total += n.payload.reduce((sum, byte) => sum + byte, 0); // use it now, or copy it
 *     },
 *   }, () => String(total));
 *   await using client = await connect({ path });
 *   const chunk = new Uint8Array(1 << 20);
 *   for (let i = 1; i <= 3; i++) {
 *     chunk.fill(i); // the same buffer each time: notify resolved once it was written
 *     await client.notify("chunk", chunk);
 *   }
 *   const reply = await client.request("total"); // handled after the notifications
 *   assert.equal(new TextDecoder().decode(reply), String(6 << 20));
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param options Where to listen and how.
 * @param handler Answers each request.
 * @returns The running server.
 * @throws {TypeError|RangeError} On bad options (before any syscall).
 * @throws {Deno.errors.AlreadyExists} When a live server owns `path`.
 */
export async function serve(options: ServeOptions, handler: Handler): Promise<Server> {
  options = resolveActivation(options, handler);
  const {
    address,
    mode,
    maxConnections,
    maxFrameSize,
    handshakeTimeout,
    highWaterMark,
    borrowNotifications,
    writeTimeout,
  } = checkServeOptions(options, handler);
  options.signal?.throwIfAborted();
  const bound = options.fd === undefined
    ? await listen(address, mode, options.peerCredentials)
    : adoptListener(options.fd, address.transport === "unix" ? address.path : "");
  const server = new Server(bound.listener, bound.addr, bound.remove, {
    maxFrameSize,
    handshakeTimeout,
    highWaterMark,
    handler,
    onNotification: options.onNotification,
    onConnection: options.onConnection,
    onError: options.onError,
    borrowNotifications,
    writeTimeout,
    stats: newServerStats(),
  }, maxConnections);
  const signal = options.signal;
  if (signal) {
    const onAbort = () => server.shutdown();
    signal.addEventListener("abort", onAbort, { once: true });
    server.finished.then(() => signal.removeEventListener("abort", onAbort));
    if (signal.aborted) onAbort(); // it aborted while the socket was being bound
  }
  return server;
}
