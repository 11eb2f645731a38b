// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The client returned by `connect(options)`.
 *
 * @module
 */
import { ClientLink } from "./_client_link.ts";
import type { Address } from "./transport.ts";
import type { ClientSettings, ClientState } from "./types.ts";
import { NotificationEvent } from "./notification_event.ts";
import type { ClientStats } from "./stats.ts";
import * as calls from "./_client_calls.ts";
import type {
  ClientEventMap,
  NotifyOptions,
  ReplyWithFds,
  RequestOptions,
} from "./_client_options.ts";

export { NotificationEvent } from "./notification_event.ts";
export type { ClientEventMap, NotifyOptions, ReplyWithFds, RequestOptions };

const EMPTY = new Uint8Array();

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
    return calls.request(this.#link, method, payload, options);
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
  requestWithFds(
    method: string,
    payload: Uint8Array | string = EMPTY,
    options: RequestOptions = {},
  ): Promise<ReplyWithFds> {
    return calls.requestWithFds(this.#link, method, payload, options);
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
  notify(
    method: string,
    payload: Uint8Array | string = EMPTY,
    options: NotifyOptions = {},
  ): Promise<void> {
    return calls.notify(this.#link, method, payload, options);
  }

  /**
   * Sends a `PING` and waits for the `PONG`.
   *
   * @param options `signal` to give up waiting.
   * @returns The round-trip time in milliseconds.
   * @throws {ConnectionClosedError} When the connection closes first.
   */
  async ping(options: RequestOptions = {}): Promise<number> {
    return await calls.ping(this.#link, options);
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
