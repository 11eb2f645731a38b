// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * One client connection as the server sees it, and the request and
 * notification objects handlers receive.
 *
 * @module
 */
import { type ConnectionState, ErrorCode, type Frame } from "../protocol/mod.ts";
import { FramedConnection } from "./_connection.ts";
import { answerHello } from "./_handshake.ts";
import { InflightRequests } from "./_inflight.ts";
import { ConnectionLink, deliverNotification, type LinkInternals } from "./_server_link.ts";
import { ConnectionClosedError } from "./errors.ts";
import { closeFd } from "../_ffi/socket.ts";
import { diagnostics } from "../_diagnostics.ts";
import type { Address, PeerCredentials, RemoteAddr, StreamConn } from "./transport.ts";
import { toBytes } from "./handler.ts";
import type { ServerSettings } from "./_server_settings.ts";

/** Grace for a client's GOODBYE after the server said its own and drained. */
const GOODBYE_GRACE_MS = 2000;

let nextConnectionId = 1;

/** The server's controls of its connections (not part of the public API). */
export interface ConnectionControls {
  start(connection: ServerConnection): void;
  goodbye(connection: ServerConnection, reason: string): void;
  terminate(connection: ServerConnection): void;
}

/** The internals the links of every connection share (set by the class). */
let internals!: LinkInternals<ServerConnection> & ConnectionControls;

/** The controls the server's acceptor drives its connections with. */
export const connectionControls: ConnectionControls = {
  start: (c) => internals.start(c),
  goodbye: (c, reason) => internals.goodbye(c, reason),
  terminate: (c) => internals.terminate(c),
};

/**
 * A client connected to a {@linkcode Server}: handlers get it as
 * `context.connection`, and {@linkcode Server.connections} lists them.
 *
 * @example Pushing a notification to the caller before answering
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, type NotificationEvent, serve } from "@ipc/linux/uds";
 *
 * const dir = await Deno.makeTempDir();
 * {
 *   await using _server = await serve({ path: `${dir}/s.sock` }, async (_req, ctx) => {
 *     await ctx.connection.notify("progress", "50%");
 *     return "done";
 *   });
 *   await using client = await connect({ path: `${dir}/s.sock` });
 *   const seen: string[] = [];
 *   client.addEventListener("notification", (e) => seen.push((e as NotificationEvent).text()));
 *   await client.request("work");
 *   assert.deepEqual(seen, ["50%"]);
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class ServerConnection {
  /** A number unique to this connection within the process. */
  readonly id: number = nextConnectionId++;
  readonly #fc: FramedConnection;
  readonly #settings: ServerSettings<ServerConnection>;
  readonly #remote: RemoteAddr;
  readonly #peer: PeerCredentials | undefined;
  readonly #requests: InflightRequests<ServerConnection>;
  #handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;

  static {
    internals = {
      start: (c) => c.#start(),
      goodbye: (c, reason) => c.#goodbye(reason),
      terminate: (c) => c.#terminate(),
      frame: (c, frame) => c.#onFrame(frame),
      closed: (c) => c.#onClosed(),
      send: (c, frame, fds) => c.#send(frame, fds),
      fc: (c) => c.#fc,
      answered: (c) => c.#maybeFinish(),
      who: (c) => c.#who(),
    };
  }

  /** @internal Created by the server; started with {@linkcode connectionControls}. */
  constructor(conn: StreamConn, settings: ServerSettings<ServerConnection>) {
    this.#settings = settings;
    this.#remote = conn.remoteAddr;
    this.#peer = undefined;
    if (conn.peer && conn.remoteAddr.transport === "unix") {
      try {
        this.#peer = conn.peer();
      } catch {
        // the client is already gone; the connection will close on its own
      }
    }
    const onError = settings.onError;
    const link = new ConnectionLink<ServerConnection>(
      this,
      internals,
      settings.stats,
      onError && ((err, request) => onError(err, request, this)),
    );
    this.#fc = new FramedConnection(
      conn,
      "server",
      settings.highWaterMark,
      link,
      settings.borrowNotifications,
    );
    settings.watchWrites(this.#fc);
    this.#requests = new InflightRequests<ServerConnection>(this, settings.handler, link);
  }

  #start(): void {
    this.#handshakeTimer = setTimeout(() => {
      this.#fc.fail(ErrorCode.HANDSHAKE_TIMEOUT, "No HELLO within the handshake timeout");
    }, this.#settings.handshakeTimeout);
    this.#fc.start();
  }

  /**
   * The client's address: host and port for TCP; for a Unix socket the
   * client's bound path, which is usually empty (clients rarely bind).
   */
  get remoteAddr(): Address {
    const addr = this.#remote;
    if (addr.transport === "tcp" || addr.transport === "udp") {
      return { transport: "tcp", hostname: addr.hostname ?? "", port: addr.port ?? 0 };
    }
    return { transport: "unix", path: addr.path ?? "" };
  }

  /**
   * The client process's pid, uid and gid, read with `SO_PEERCRED` when the
   * connection was accepted; `undefined` unless the server was started with
   * `peerCredentials: true` on a Unix socket.
   */
  get peer(): PeerCredentials | undefined {
    return this.#peer;
  }

  /** The client, as error messages name it. */
  #who(): string {
    if (this.#peer) return `the client pid ${this.#peer.pid}`;
    const addr = this.remoteAddr;
    if (addr.transport === "tcp") return `the client ${addr.hostname}:${addr.port}`;
    return addr.path ? `the client at "${addr.path}"` : "a Unix-socket client";
  }

  /** The protocol state of this connection. */
  get state(): ConnectionState {
    return this.#fc.sm.state;
  }

  /** Whether the connection is closed. */
  get closed(): boolean {
    return this.#fc.closed;
  }

  /** Resolves when the connection has closed (the same name as `Server.finished`). */
  get finished(): Promise<void> {
    return this.#fc.done;
  }

  /** Requests being handled right now. */
  get inFlight(): number {
    return this.#requests.size;
  }

  /**
   * Sends a notification to this client. Waits while the client is slow to
   * read (bounded memory). A payload of 16 KiB or more is written straight
   * from your buffer, without a copy: then the promise resolves once it has
   * been written, and the buffer is yours to reuse (smaller payloads are
   * copied when queued).
   *
   * @param method Method name (1–255 UTF-8 bytes).
   * @param payload Bytes or text.
   * @returns Resolves once the frame is queued (once written, for a payload of 16 KiB or more).
   * @throws {TypeError|RangeError} On a bad method or payload, or a frame over the client's limit.
   * @throws {ConnectionClosedError} When the connection is closed or closing,
   * or fails before a payload sent without a copy was written.
   */
  async notify(method: string, payload: Uint8Array | string = new Uint8Array()): Promise<void> {
    const bytes = toBytes(payload, "notify");
    if (this.#fc.congested) await this.#fc.writer.drain();
    if (this.#fc.sm.goodbyeSent && !this.#fc.closed) {
      throw new ConnectionClosedError("Cannot notify: the connection is closing");
    }
    this.#settings.stats.bytesSent += bytes.length;
    await this.#fc.notify(method, bytes);
  }

  /** Closes the connection at once; running handlers see their signal abort. */
  close(): void {
    this.#fc.close(new ConnectionClosedError("Connection closed by the server"));
  }

  #onFrame(frame: Frame): void | Promise<unknown> {
    switch (frame.kind) {
      case "hello":
        clearTimeout(this.#handshakeTimer);
        this.#handshakeTimer = undefined; // an idle connection keeps no timer object
        return answerHello(this.#fc, frame, this.#settings, this);
      case "request":
        if (this.#fc.sm.goodbyeSent) {
          this.#send({
            kind: "error",
            id: frame.id,
            code: ErrorCode.SHUTTING_DOWN,
            message: "Server is shutting down",
          });
          return this.#maybeFinish();
        }
        return this.#requests.run(frame);
      case "cancel":
        return this.#requests.cancel(frame.id);
      case "notify":
        return deliverNotification(this.#settings, frame, this);
      case "ping":
        return this.#send({ kind: "pong", id: frame.id, payload: frame.payload });
      case "goodbye":
        if (!this.#fc.sm.goodbyeSent) this.#send({ kind: "goodbye", reason: "" });
        return this.#maybeFinish();
      case "error": // ERROR(0): the client gave up on us
        return this.#fc.close(new ConnectionClosedError(`Client error: ${frame.message}`));
    }
  }

  #send(frame: Frame, fds?: number[]): void {
    if (this.#fc.closed) {
      for (const fd of fds ?? []) closeFd(fd);
      return;
    }
    try {
      this.#fc.send(frame, fds);
    } catch {
      // the connection failed meanwhile; #onClosed cleans up
      for (const fd of fds ?? []) closeFd(fd);
    }
  }

  #goodbye(reason: string): void {
    const state = this.#fc.sm.state;
    if (state === "handshaking") {
      return this.#fc.fail(ErrorCode.SHUTTING_DOWN, "Server is shutting down");
    }
    if (state === "ready") this.#send({ kind: "goodbye", reason });
    this.#maybeFinish();
  }

  #maybeFinish(): void {
    const sm = this.#fc.sm;
    if (!sm.goodbyeSent || this.#requests.size > 0 || this.#fc.closed) return;
    if (sm.goodbyeReceived) {
      clearTimeout(this.#graceTimer);
      this.#fc.end();
    } else if (this.#graceTimer === undefined) {
      this.#graceTimer = setTimeout(() => this.#fc.end(), GOODBYE_GRACE_MS);
    }
  }

  #terminate(): void {
    this.#requests.terminate();
    this.#fc.end(undefined, 200);
  }

  #onClosed(): void {
    clearTimeout(this.#handshakeTimer);
    clearTimeout(this.#graceTimer);
    const reason = this.#fc.reason ?? new ConnectionClosedError("Connection closed");
    this.#requests.abortAll(reason);
    this.#settings.unwatchWrites(this.#fc);
    this.#settings.release(this);
    if (diagnostics.connectionClose.hasSubscribers) {
      diagnostics.connectionClose.publish({
        side: "server",
        connectionId: this.id,
        reason: this.#fc.reason,
      });
    }
  }
}
