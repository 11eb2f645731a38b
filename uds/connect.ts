// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * `connect(options)`: open a {@linkcode Client}.
 *
 * @module
 */
import { checkInteger } from "../_ffi/validate.ts";
import { DEFAULT_MAX_FRAME_SIZE, MIN_MAX_FRAME_SIZE } from "../protocol/mod.ts";
import { Client } from "./client.ts";
import type { NotificationEvent } from "./notification_event.ts";
import { type AddressOptions, toAddress } from "./transport.ts";
import type { ReconnectOptions } from "./types.ts";

/** Options for {@linkcode connect}. Give `path` (Unix socket) or `port` (TCP). */
export interface ConnectOptions extends AddressOptions {
  /** Aborts connecting (and the handshake). @default {undefined} */
  signal?: AbortSignal;
  /**
   * Reconnect after the connection is lost. Requests in flight at that moment
   * reject with {@linkcode ConnectionClosedError} and are never resent;
   * requests made while reconnecting, or after the server said GOODBYE (a
   * graceful restart), wait for the new connection.
   * @default {false}
   */
  reconnect?: boolean | ReconnectOptions;
  /** The largest frame accepted from the server, in bytes. @default {16777216} */
  maxFrameSize?: number;
  /** Bytes queued before `request`/`notify` wait for the socket to drain. @default {1048576} */
  highWaterMark?: number;
  /** How long the server may take to accept, in ms. @default {10000} */
  handshakeTimeout?: number;
  /**
   * Lend notification payloads instead of giving them away: a large
   * notification is read into a buffer the client reuses for the next one,
   * so {@linkcode NotificationEvent.payload} is valid only while the
   * `"notification"` event is being dispatched, that is, in the synchronous
   * part of each listener (copy what you keep with `payload.slice()`). Saves
   * allocating and page-faulting a fresh buffer per notification; the client
   * keeps one buffer as large as the largest notification it received (at
   * most `maxFrameSize`). Responses are never borrowed.
   * @default {false}
   */
  borrowNotifications?: boolean;
  /**
   * Called for each notification from the server, registered before the
   * handshake: it also sees a notification the server sends right behind its
   * ACCEPT (e.g. from `onConnection`), which arrives before `connect()`
   * resolves and so before any listener added afterwards with
   * `addEventListener("notification", …)`. Called like such a listener, first
   * among them; it stays registered across reconnections. A promise it
   * returns is not waited for, and its rejection is ignored.
   * @default {undefined}
   */
  onNotification?: (event: NotificationEvent) => void;
}

/**
 * Connects to a server made with {@linkcode serve} (or any implementation
 * of PROTOCOL.md) and completes the handshake.
 *
 * Requires `--allow-read --allow-write --allow-net` for Unix sockets,
 * `--allow-net` for TCP.
 *
 * @example Notifications from the server
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, type NotificationEvent, serve } from "@ipc/linux/uds";
 *
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/events.sock`;
 * {
 *   await using server = await serve({ path }, () => "subscribed");
 *   await using client = await connect({ path });
 *   const got = new Promise<string>((resolve) =>
 *     client.addEventListener("notification", (e) => resolve((e as NotificationEvent).text()))
 *   );
 *   await client.request("subscribe");
 *   await server.broadcast("tick", "1");
 *   assert.equal(await got, "1");
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @example Receiving large notifications in a reused buffer
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, type NotificationEvent, serve } from "@ipc/linux/uds";
 *
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/feed.sock`;
 * {
 *   await using server = await serve({ path }, () => "");
 *   await using client = await connect({ path, borrowNotifications: true });
 *   const firstBytes: Array<number | undefined> = [];
 *   let kept: Uint8Array | undefined;
 *   client.addEventListener("notification", (e) => {
 *     const { payload } = e as NotificationEvent; // valid only in this listener
 *     firstBytes.push(payload[0]);
 *     kept ??= payload.slice(); // a copy is yours to keep
 *   });
 *   await client.request("subscribe");
 *   for (const n of [7, 8]) await server.broadcast("frame", new Uint8Array(1 << 20).fill(n));
 *   await client.ping(); // answered after both notifications were dispatched
 *   assert.deepEqual(firstBytes, [7, 8]);
 *   assert.equal(kept![0], 7);
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @example A greeting sent right behind the ACCEPT
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, serve } from "@ipc/linux/uds";
 *
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/greet.sock`;
 * {
 *   await using _server = await serve({
 *     path,
 *     onConnection: (connection) => void connection.notify("welcome", "v1"),
 *   }, () => "");
 *   const greetings: string[] = [];
 *   await using client = await connect({
 *     path,
 *     onNotification: (n) => greetings.push(`${n.method} ${n.text()}`),
 *   });
 *   await client.ping(); // answered after the greeting was dispatched
 *   assert.deepEqual(greetings, ["welcome v1"]);
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param options Where to connect and how.
 * @returns A ready client.
 * @throws {TypeError|RangeError} On bad options (before any syscall).
 * @throws {RemoteError} When the server rejects the handshake.
 * @throws {Deno.errors.NotFound|Deno.errors.ConnectionRefused} When nobody listens.
 */
export async function connect(options: ConnectOptions): Promise<Client> {
  const address = toAddress(options, "connect");
  const maxFrameSize = checkInteger(
    options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE,
    "connect",
    "maxFrameSize",
    MIN_MAX_FRAME_SIZE,
    0xffff_ffff,
  );
  const highWaterMark = checkInteger(
    options.highWaterMark ?? 1 << 20,
    "connect",
    "highWaterMark",
    1,
    2 ** 31 - 1,
  );
  const handshakeTimeout = checkInteger(
    options.handshakeTimeout ?? 10_000,
    "connect",
    "handshakeTimeout",
    1,
    2 ** 31 - 1,
  );
  let reconnect: Required<ReconnectOptions> | undefined;
  if (options.reconnect) {
    const r = options.reconnect === true ? {} : options.reconnect;
    reconnect = {
      initialDelay: checkInteger(
        r.initialDelay ?? 100,
        "connect",
        "reconnect.initialDelay",
        0,
        2 ** 31 - 1,
      ),
      maxDelay: checkInteger(r.maxDelay ?? 5000, "connect", "reconnect.maxDelay", 0, 2 ** 31 - 1),
      maxAttempts: r.maxAttempts === undefined || r.maxAttempts === Infinity
        ? Infinity
        : checkInteger(r.maxAttempts, "connect", "reconnect.maxAttempts", 1, 2 ** 31 - 1),
    };
  }
  const borrowNotifications = options.borrowNotifications ?? false;
  if (typeof borrowNotifications !== "boolean") {
    throw new TypeError("Cannot connect: borrowNotifications must be a boolean");
  }
  const onNotification = options.onNotification;
  if (onNotification !== undefined && typeof onNotification !== "function") {
    throw new TypeError("Cannot connect: onNotification is not a function");
  }
  const client = new Client({
    address,
    maxFrameSize,
    highWaterMark,
    handshakeTimeout,
    reconnect,
    borrowNotifications,
  });
  if (onNotification) {
    client.addEventListener("notification", (e) => {
      const result: unknown = onNotification(e as NotificationEvent);
      // As with serve's onNotification: a returned promise is not waited
      // for, and its rejection has nobody to go to (it is not left unhandled).
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
        Promise.resolve(result).catch(() => {});
      }
    });
  }
  await client.open({ signal: options.signal });
  return client;
}
