// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The client returned by `connect(options)`.
 *
 * @module
 */
import { ClientLink } from "./_client_link.ts";
import type { FramedConnection } from "./_connection.ts";
import { methodLength as checkMethod } from "../protocol/mod.ts";
import { ConnectionClosedError } from "./errors.ts";
import { toBytes } from "./handler.ts";
import type { Address } from "./transport.ts";
import type { ClientSettings, ClientState } from "./types.ts";
import { NotificationEvent } from "./notification_event.ts";
import type { ClientStats } from "./stats.ts";

export { NotificationEvent } from "./notification_event.ts";
import { closeAll, prepareFds, takeReplyFds } from "./_frame_fds.ts";
import { type FdLike, fdNumbers, type ReceivedFd } from "./received_fd.ts";
import { closeFd } from "../_ffi/socket.ts";

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
  /**
   * Descriptors to pass with the request (at most 253): needs the FDS
   * feature, negotiated when both ends use `transport: "native"`; without it
   * the request fails with `NotSupported` before anything is written. The
   * server gets duplicates; yours stay open. @default {[]}
   */
  fds?: readonly FdLike[];
}

/** Options for {@linkcode Client.notify}. */
export interface NotifyOptions {
  /**
   * Descriptors to pass with the notification (at most 253; the FDS feature,
   * as for {@linkcode RequestOptions.fds}). @default {[]}
   */
  fds?: readonly FdLike[];
}

/** A response with the descriptors that came with it (see {@linkcode Client.requestWithFds}). */
export interface ReplyWithFds {
  /** The response bytes. */
  payload: Uint8Array;
  /** The descriptors, each closed unless you take it (see {@linkcode ReceivedFd}). */
  fds: ReceivedFd[];
}

/** The events a {@linkcode Client} dispatches, by type. */
export interface ClientEventMap {
  /** The server sent a notification. */
  notification: NotificationEvent;
  /** {@linkcode Client.state} changed (read it in the listener). */
  statechange: Event;
}

/**
 * A connection to a server made with {@linkcode connect}. Many requests may
 * be in flight at once; replies are matched by id. Events (typed, see
 * {@linkcode ClientEventMap}): `"notification"` ({@linkcode NotificationEvent})
 * whenever the server sends one, and `"statechange"` whenever
 * {@linkcode Client.state} moves between `"connecting"`, `"ready"`,
 * `"reconnecting"`, `"closing"` and `"closed"`.
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
  readonly #link: ClientLink;

  /** @internal Use {@linkcode connect}. */
  constructor(settings: ClientSettings) {
    super();
    this.#settings = settings;
    this.#link = new ClientLink(settings, {
      notification: (method, payload) => this.dispatchEvent(new NotificationEvent(method, payload)),
      statechange: () => this.dispatchEvent(new Event("statechange")),
    });
  }

  /**
   * Listen for `"notification"` or `"statechange"`; the listener gets the
   * event's own type, so `(e) => e.method` needs no cast.
   *
   * @param type The event type.
   * @param listener Called with each event.
   * @param options As for `EventTarget.addEventListener`.
   */
  override addEventListener<K extends keyof ClientEventMap>(
    type: K,
    listener: (this: Client, event: ClientEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /**
   * Listen for any event type (as `EventTarget.addEventListener`).
   *
   * @param type The event type.
   * @param listener Called with each event.
   * @param options As for `EventTarget.addEventListener`.
   */
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null | ((event: Event) => void),
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  /**
   * Stop listening (the counterpart of {@linkcode Client.addEventListener}).
   *
   * @param type The event type.
   * @param listener The listener given to `addEventListener`.
   * @param options As for `EventTarget.removeEventListener`.
   */
  override removeEventListener<K extends keyof ClientEventMap>(
    type: K,
    listener: (this: Client, event: ClientEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  /**
   * Stop listening for any event type (as `EventTarget.removeEventListener`).
   *
   * @param type The event type.
   * @param listener The listener given to `addEventListener`.
   * @param options As for `EventTarget.removeEventListener`.
   */
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null | ((event: Event) => void),
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  /** The current state. */
  get state(): ClientState {
    return this.#link.state;
  }

  /** Whether the client is closed for good. */
  get closed(): boolean {
    return this.#link.state === "closed";
  }

  /** The address this client connects to. */
  get addr(): Address {
    return this.#settings.address;
  }

  /** Counters since the client was made (a copy), read without any subscription. */
  get stats(): ClientStats {
    return { ...this.#link.calls.stats };
  }

  /** Requests waiting for their reply. */
  get inFlight(): number {
    return this.#link.calls.requests.inFlight;
  }

  /**
   * Opens the transport and completes the handshake (`connect` does this).
   *
   * @param options `signal` aborts connecting and the handshake.
   */
  async open(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#link.open(options.signal);
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
    if (options.fds !== undefined) {
      return this.requestWithFds(method, payload, options).then(({ payload, fds }) => {
        closeAll(fds); // descriptors a reply brought back are closed: nobody asked for them
        return payload;
      });
    }
    try {
      if (typeof method !== "string") {
        throw new TypeError("Cannot request: method must be a string");
      }
      const bytes = toBytes(payload, "request");
      const methodLength = checkMethod(method);
      const signal = options.signal;
      signal?.throwIfAborted();
      const stats = this.#link.calls.stats;
      stats.requests++;
      stats.bytesSent += bytes.length;
      const fc = this.#link.usable();
      if (fc && !fc.congested) {
        return this.#send(fc, method, methodLength, bytes, signal);
      }
      return this.#requestSlowly(method, methodLength, bytes, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Like {@linkcode Client.request}, and also returns the descriptors the
   * server's response carried (FDS feature: both ends on
   * `transport: "native"`). Use it when replies bring descriptors;
   * `request` closes them.
   *
   * @example Ask a server for a descriptor
   * ```ts
   * import assert from "node:assert/strict";
   * import { connect, serve } from "@ipc/linux/uds";
   * import { SharedMemory } from "@ipc/linux/shm";
   *
   * const dir = await Deno.makeTempDir();
   * const path = `${dir}/fds.sock`;
   * {
   *   using shm = SharedMemory.anonymous(64);
   *   shm.write(new TextEncoder().encode("shared"));
   *   await using _server = await serve(
   *     { path, transport: "native" },
   *     () => ({ payload: "here", fds: [shm] }),
   *   );
   *   await using client = await connect({ path, transport: "native" });
   *   const reply = await client.requestWithFds("memory");
   *   using memory = SharedMemory.fromFd(reply.fds[0]!.take());
   *   assert.equal(new TextDecoder().decode(memory.read(0, 6)), "shared");
   * }
   * await Deno.remove(dir, { recursive: true });
   * ```
   *
   * @param method Method name (1–255 UTF-8 bytes).
   * @param payload Bytes or text (sent as UTF-8).
   * @param options Request options, `fds` included.
   * @returns The response bytes and descriptors.
   * @throws {Deno.errors.NotSupported} When sending descriptors without the FDS feature.
   */
  async requestWithFds(
    method: string,
    payload: Uint8Array | string = EMPTY,
    options: RequestOptions = {},
  ): Promise<ReplyWithFds> {
    if (typeof method !== "string") throw new TypeError("Cannot request: method must be a string");
    const bytes = toBytes(payload, "request");
    const methodLength = checkMethod(method);
    const signal = options.signal;
    signal?.throwIfAborted();
    fdNumbers(options.fds, "request"); // bad descriptors fail before any wait
    const stats = this.#link.calls.stats;
    stats.requests++;
    stats.bytesSent += bytes.length;
    const fc = this.#link.usable() ?? await this.#link.ready(signal);
    if (fc.congested) await this.#link.drain(fc, signal);
    const fds = prepareFds(options.fds, fc.fds, "request");
    let reply: Promise<Uint8Array>;
    try {
      reply = this.#link.calls.requests.send(fc, method, methodLength, bytes, signal, fds);
    } catch (err) {
      for (const fd of fds ?? []) closeFd(fd);
      throw err;
    }
    const answer = await reply;
    return { payload: answer, fds: takeReplyFds(answer) };
  }

  async #requestSlowly(
    method: string,
    methodLength: number,
    bytes: Uint8Array,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    const fc = this.#link.usable() ?? await this.#link.ready(signal);
    if (fc.congested) {
      await this.#link.drain(fc, signal);
      if (fc.closed) throw fc.reason ?? new ConnectionClosedError("Connection closed");
    }
    return await this.#send(fc, method, methodLength, bytes, signal);
  }

  /**
   * Send a request without descriptors of its own on `fc`. On an FDS
   * connection, descriptors a reply brings back are closed: nobody asked for them.
   */
  #send(
    fc: FramedConnection,
    method: string,
    methodLength: number,
    bytes: Uint8Array,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    return this.#link.calls.requests.send(
      fc,
      method,
      methodLength,
      bytes,
      signal,
      undefined,
      fc.fds,
    );
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
   *   const firstBytes: Array<number | undefined> = [];
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
   * @param options Descriptors to pass (FDS feature, see {@linkcode RequestOptions.fds}).
   * @returns Resolves once the frame is queued (once written, for a payload of 16 KiB or more).
   * @throws {TypeError|RangeError} On a bad method or payload, or a frame over the server's limit.
   * @throws {ConnectionClosedError} When the client is closing or closed, or
   * the connection fails before a payload sent without a copy was written.
   */
  async notify(
    method: string,
    payload: Uint8Array | string = new Uint8Array(),
    options: NotifyOptions = {},
  ): Promise<void> {
    const bytes = toBytes(payload, "notify");
    fdNumbers(options.fds, "notify"); // bad descriptors fail before any wait
    let fc = this.#link.fc;
    if (this.#link.state !== "ready" || !fc) fc = await this.#link.ready();
    if (fc.congested) await fc.writer.drain();
    this.#link.calls.stats.bytesSent += bytes.length;
    const fds = prepareFds(options.fds, fc.fds, "notify");
    try {
      await fc.notify(method, bytes, fds);
    } catch (err) {
      // Not queued (a bad method, a frame over the limit): the duplicates are ours to close.
      if (fds && !(err instanceof ConnectionClosedError)) { for (const fd of fds) closeFd(fd); }
      throw err;
    }
  }

  /**
   * Sends a `PING` and waits for the `PONG`.
   *
   * @param options `signal` to give up waiting.
   * @returns The round-trip time in milliseconds.
   * @throws {ConnectionClosedError} When the connection closes first.
   */
  async ping(options: RequestOptions = {}): Promise<number> {
    const fc = await this.#link.ready(options.signal);
    const start = performance.now();
    await this.#link.calls.pings.send(fc, options.signal);
    return performance.now() - start;
  }

  /**
   * Closes gracefully: sends `GOODBYE`, waits for the replies to requests in
   * flight, then closes. Stops reconnecting. Idempotent.
   *
   * @returns Resolves once the connection is closed.
   */
  close(): Promise<void> {
    return this.#link.close();
  }

  /** Same as {@linkcode Client.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
