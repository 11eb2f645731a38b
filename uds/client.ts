// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The client returned by `connect(options)`.
 *
 * @module
 */
import { errorCodeName, type Frame, RemoteError } from "../protocol/mod.ts";
import { FramedConnection } from "./_connection.ts";
import { Handshake } from "./_handshake.ts";
import { methodLength as checkMethod, PendingPings, PendingRequests } from "./_pending.ts";
import { ReadyWaiters, reconnectLoop } from "./_reconnect.ts";
import { ConnectionClosedError } from "./errors.ts";
import { toBytes } from "./server_connection.ts";
import { type Address, runtimeTransport } from "./transport.ts";
import type { ReconnectOptions } from "./connect.ts";
import { NotificationEvent } from "./notification_event.ts";

export { NotificationEvent } from "./notification_event.ts";

const EMPTY = new Uint8Array();

/** Options for {@linkcode Client.request}. */
export interface RequestOptions {
  /**
   * Cancels the request: it rejects with `signal.reason` and the server is
   * told. For a payload of 16 KiB or more (written from your buffer without a
   * copy) the rejection waits until the payload is written or dropped, so the
   * buffer is yours again once the promise settles. @default {undefined}
   */
  signal?: AbortSignal;
}

/** A client's state. */
export type ClientState = "connecting" | "ready" | "reconnecting" | "closing" | "closed";

/** Settings of a client (internal; see {@linkcode connect}). */
export interface ClientSettings {
  address: Address;
  maxFrameSize: number;
  highWaterMark: number;
  handshakeTimeout: number;
  reconnect: Required<ReconnectOptions> | undefined;
  borrowNotifications: boolean;
}

/**
 * A connection to a server made with {@linkcode connect}. Many requests may
 * be in flight at once; replies are matched by id. Events: `"notification"`
 * ({@linkcode NotificationEvent}) and `"statechange"`.
 *
 * @example Concurrent requests, then a graceful close
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, serve } from "@ipc/linux/uds";
 *
 * const dir = await Deno.makeTempDir();
 * {
 *   await using _server = await serve({ path: `${dir}/s.sock` }, async (req) => {
 *     await new Promise((r) => setTimeout(r, 30 - Number(req.text()) * 10));
 *     return req.payload;
 *   });
 *   const client = await connect({ path: `${dir}/s.sock` });
 *   const replies = await Promise.all(["0", "1", "2"].map((n) => client.request("delay", n)));
 *   assert.deepEqual(replies.map((r) => new TextDecoder().decode(r)), ["0", "1", "2"]);
 *   await client.close();
 *   assert.equal(client.state, "closed");
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class Client extends EventTarget implements AsyncDisposable {
  readonly #settings: ClientSettings;
  #fc: FramedConnection | undefined;
  #state: ClientState = "connecting";
  readonly #pending = new PendingRequests();
  readonly #pings = new PendingPings();
  readonly #handshake = new Handshake();
  readonly #readyWaiters = new ReadyWaiters();
  readonly #stop = new AbortController();
  #closing: Promise<void> | undefined;
  #reconnecting: Promise<void> | undefined;

  /** @internal Use {@linkcode connect}. */
  constructor(settings: ClientSettings) {
    super();
    this.#settings = settings;
  }

  /** The current state. */
  get state(): ClientState {
    return this.#state;
  }

  /** Whether the client is closed for good. */
  get closed(): boolean {
    return this.#state === "closed";
  }

  /** The address this client connects to. */
  get addr(): Address {
    return this.#settings.address;
  }

  /** Requests waiting for their reply. */
  get inFlight(): number {
    return this.#pending.inFlight;
  }

  #setState(state: ClientState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.dispatchEvent(new Event("statechange"));
  }

  /** Opens the transport and completes the handshake. */
  async open(signal?: AbortSignal): Promise<void> {
    const { address, handshakeTimeout, highWaterMark, maxFrameSize } = this.#settings;
    signal?.throwIfAborted();
    const conn = await (await runtimeTransport()).connect(address);
    const fc: FramedConnection = new FramedConnection(conn, "client", highWaterMark, {
      frame: (frame) => this.#onFrame(fc, frame),
      closed: (reason) => this.#onClosed(fc, reason),
    }, this.#settings.borrowNotifications);
    this.#fc = fc;
    await this.#handshake.run(fc, maxFrameSize, handshakeTimeout, signal);
    fc.decoder.maxFrameSize = maxFrameSize;
    this.#setState("ready");
    this.#readyWaiters.resolveAll();
  }

  #onFrame(fc: FramedConnection, frame: Frame): void {
    switch (frame.kind) {
      case "accept":
        fc.peerMaxFrameSize = frame.maxFrameSize;
        return this.#handshake.accept();
      case "reject":
        this.#handshake.fail(
          new RemoteError(frame.code, `Connection rejected: ${frame.message}`),
        );
        return fc.close(new ConnectionClosedError(`Connection rejected: ${frame.message}`));
      case "response":
        return this.#pending.resolve(frame.id, frame.payload);
      case "error": {
        if (frame.id === 0) {
          const cause = new RemoteError(frame.code, frame.message);
          this.#handshake.fail(cause);
          return fc.close(
            new ConnectionClosedError(
              `Server closed the connection: ${frame.message} (${errorCodeName(frame.code)})`,
              { cause },
            ),
          );
        }
        return this.#pending.reject(frame.id, frame.code, frame.message);
      }
      case "notify":
        this.dispatchEvent(new NotificationEvent(frame.method, frame.payload));
        return;
      case "ping":
        try {
          fc.send({ kind: "pong", id: frame.id, payload: frame.payload });
        } catch {
          // closing; nothing to answer
        }
        return;
      case "pong":
        return this.#pings.pong(frame.id);
      case "goodbye":
        if (this.#state === "ready") this.#setState("closing");
        if (!fc.sm.goodbyeSent) fc.send({ kind: "goodbye", reason: "" });
        return;
    }
  }

  #onClosed(fc: FramedConnection, reason: Error | undefined): void {
    if (fc !== this.#fc) return;
    this.#handshake.fail(reason ?? new ConnectionClosedError("Connection closed"));
    const lost = new ConnectionClosedError(
      `${reason?.message ?? "Connection closed"}; the request was not resent`,
      { cause: reason },
    );
    this.#pending.rejectAll(lost);
    this.#pings.wakeAll();
    if (this.#state === "connecting") return; // open() reports the failure
    if (this.#settings.reconnect && !this.#stop.signal.aborted) {
      this.#setState("reconnecting");
      this.#reconnecting = reconnectLoop(
        this.#settings.reconnect,
        this.#stop.signal,
        (signal) => this.open(signal),
        (reason) => this.#finish(reason),
      );
    } else {
      this.#finish(reason);
    }
  }

  #finish(reason?: Error): void {
    this.#setState("closed");
    const err = new ConnectionClosedError(reason?.message ?? "The client is closed", {
      cause: reason,
    });
    this.#readyWaiters.rejectAll(err);
  }

  async #ready(signal?: AbortSignal): Promise<FramedConnection> {
    while (this.#state === "reconnecting" || this.#state === "connecting") {
      signal?.throwIfAborted();
      await this.#readyWaiters.wait(signal);
    }
    const fc = this.#fc;
    if (this.#state !== "ready" || !fc || fc.sm.goodbyeSent || fc.sm.goodbyeReceived) {
      throw new ConnectionClosedError(`Cannot send: the client is ${this.#state}`);
    }
    return fc;
  }

  /**
   * Calls `method` on the server and waits for its reply. Rejects with
   * {@linkcode RemoteError} when the server answers with an error, with
   * `signal.reason` when cancelled (the server is told with `CANCEL`), and
   * with {@linkcode ConnectionClosedError} when the connection is lost first
   * (the request is not resent).
   *
   * @example A request with a timeout
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect, serve } from "@ipc/linux/uds";
   *
   * const dir = await Deno.makeTempDir();
   * const path = `${dir}/rpc.sock`;
   * {
   *   await using _server = await serve({ path }, (req) => req.text().toUpperCase());
   *   await using client = await connect({ path });
   *   const reply = await client.request("upper", "abc", { signal: AbortSignal.timeout(5000) });
   *   assert.equal(new TextDecoder().decode(reply), "ABC");
   * }
   * await Deno.remove(dir, { recursive: true });
   * ```
   *
   * @param method Method name (1–255 UTF-8 bytes).
   * @param payload Bytes or text (sent as UTF-8).
   * @param options Request options.
   * @returns The response bytes.
   * @throws {TypeError|RangeError} On a bad method or payload, or a frame over the server's limit.
   */
  request(
    method: string,
    payload: Uint8Array | string = EMPTY,
    options: RequestOptions = {},
  ): Promise<Uint8Array> {
    // Not an async function: the fast path saves the promise hops of one.
    try {
      if (typeof method !== "string") {
        throw new TypeError("Cannot request: method must be a string");
      }
      const bytes = toBytes(payload, "request");
      const methodLength = checkMethod(method);
      const signal = options.signal;
      signal?.throwIfAborted();
      const fc = this.#fc;
      if (
        this.#state === "ready" && fc && !fc.sm.goodbyeReceived && !fc.sm.goodbyeSent &&
        !fc.congested
      ) {
        return this.#pending.send(fc, method, methodLength, bytes, signal);
      }
      return this.#requestSlowly(method, methodLength, bytes, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async #requestSlowly(
    method: string,
    methodLength: number,
    bytes: Uint8Array,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    let fc = this.#fc;
    if (this.#state !== "ready" || !fc || fc.sm.goodbyeReceived || fc.sm.goodbyeSent) {
      fc = await this.#ready(signal);
    }
    if (fc.congested) {
      await fc.writer.drain();
      signal?.throwIfAborted();
      if (fc.closed) throw fc.reason ?? new ConnectionClosedError("Connection closed");
    }
    return await this.#pending.send(fc, method, methodLength, bytes, signal);
  }

  /**
   * Sends a one-way notification. Waits while the write queue is over its
   * high-water mark (a slow server applies backpressure). A payload of 16
   * KiB or more is written straight from your buffer, without a copy: then
   * the promise resolves once it has been written, and the buffer is yours
   * to reuse (smaller payloads are copied when queued).
   *
   * @example Streaming a file in chunks through one reused buffer
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect, serve } from "@ipc/linux/uds";
   *
   * const dir = await Deno.makeTempDir();
   * const path = `${dir}/upload.sock`;
   * {
   *   const firstBytes: number[] = [];
   *   await using server = await serve({
   *     path,
   *     onNotification: (n) => void firstBytes.push(n.payload[0]),
   *   }, () => "");
   *   await using client = await connect({ path });
   *   const chunk = new Uint8Array(64 * 1024);
   *   for (let i = 0; i < 4; i++) {
   *     chunk.fill(i); // refill the same buffer: notify resolved, so it was sent
   *     await client.notify("chunk", chunk);
   *   }
   *   await client.request("sync"); // answered after every notification was handled
   *   assert.deepEqual(firstBytes, [0, 1, 2, 3]);
   *   assert.equal(server.connections.size, 1);
   * }
   * await Deno.remove(dir, { recursive: true });
   * ```
   *
   * @param method Method name (1–255 UTF-8 bytes).
   * @param payload Bytes or text.
   * @returns Resolves once the frame is queued (once written, for a payload of 16 KiB or more).
   * @throws {ConnectionClosedError} When the client is closing or closed, or
   * the connection fails before a payload sent without a copy was written.
   */
  async notify(method: string, payload: Uint8Array | string = new Uint8Array()): Promise<void> {
    const bytes = toBytes(payload, "notify");
    let fc = this.#fc;
    if (this.#state !== "ready" || !fc) fc = await this.#ready();
    if (fc.congested) await fc.writer.drain();
    await fc.notify(method, bytes);
  }

  /**
   * Sends a `PING` and waits for the `PONG`.
   *
   * @param options `signal` to give up waiting.
   * @returns The round-trip time in milliseconds.
   * @throws {ConnectionClosedError} When the connection closes first.
   */
  async ping(options: RequestOptions = {}): Promise<number> {
    const fc = await this.#ready(options.signal);
    const start = performance.now();
    await this.#pings.send(fc, options.signal);
    return performance.now() - start;
  }

  /**
   * Closes gracefully: sends `GOODBYE`, waits for the replies to requests in
   * flight, then closes. Stops reconnecting. Idempotent.
   *
   * @returns Resolves once the connection is closed.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stop.abort();
      const fc = this.#fc;
      if (fc && !fc.closed) {
        if (this.#state === "ready") this.#setState("closing");
        try {
          if (!fc.sm.goodbyeSent && (fc.sm.state === "ready" || fc.sm.state === "closing")) {
            fc.send({ kind: "goodbye", reason: "" });
          } else if (fc.sm.state !== "ready" && fc.sm.state !== "closing") {
            fc.close();
          }
        } catch {
          fc.close();
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          fc.done,
          new Promise<void>((resolve) => timer = setTimeout(resolve, 10_000)),
        ]);
        clearTimeout(timer);
        fc.close();
      }
      await this.#reconnecting;
      this.#finish();
    })();
    return this.#closing;
  }

  /** Same as {@linkcode Client.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
