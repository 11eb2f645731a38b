// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * What the library publishes on `node:diagnostics_channel` (Deno, Node.js
 * and Bun all have it): subscribe to a channel by its name to see
 * connections open and close, handshakes rejected, requests start and end,
 * reconnect attempts, and queue and Channel waits that had to sleep.
 * Nothing is built or published while a channel has no subscriber.
 *
 * @module
 */

/**
 * The names of the channels this library publishes on, for `subscribe()`
 * from `node:diagnostics_channel`. Each message is described by the
 * interface named in its line.
 *
 * @example See every request a server handles
 * ```ts
 * import assert from "node:assert/strict";
 * import { subscribe, unsubscribe } from "node:diagnostics_channel";
 * import { channels, type RequestEndMessage } from "@ipc/linux";
 * import { connect, serve } from "@ipc/linux/uds";
 *
 * const seen: string[] = [];
 * const onEnd = (m: unknown) => seen.push((m as RequestEndMessage).method);
 * subscribe(channels.requestEnd, onEnd);
 * const dir = await Deno.makeTempDir();
 * {
 *   await using _server = await serve({ path: `${dir}/s.sock` }, () => "ok");
 *   await using client = await connect({ path: `${dir}/s.sock` });
 *   await client.request("hello");
 * }
 * unsubscribe(channels.requestEnd, onEnd);
 * assert.deepEqual(seen, ["hello"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export const channels = {
  /** A connection completed its handshake ({@linkcode ConnectionMessage}). */
  connectionOpen: "ipc-linux:uds:connection-open",
  /** A connection closed, with the reason when it failed ({@linkcode ConnectionMessage}). */
  connectionClose: "ipc-linux:uds:connection-close",
  /** A server refused a client's HELLO ({@linkcode HandshakeRejectMessage}). */
  handshakeReject: "ipc-linux:uds:handshake-reject",
  /** A server's handler started on a request ({@linkcode RequestStartMessage}). */
  requestStart: "ipc-linux:uds:request-start",
  /** A request was answered with a response ({@linkcode RequestEndMessage}). */
  requestEnd: "ipc-linux:uds:request-end",
  /** A request was answered with an error ({@linkcode RequestErrorMessage}). */
  requestError: "ipc-linux:uds:request-error",
  /** A client's reconnection attempt ended ({@linkcode ReconnectMessage}). */
  reconnect: "ipc-linux:uds:reconnect",
  /** A message-queue send or receive had to sleep ({@linkcode WaitMessage}). */
  mqWait: "ipc-linux:mq:wait",
  /** A Channel send or receive had to sleep ({@linkcode WaitMessage}). */
  channelWait: "ipc-linux:shm:channel-wait",
} as const;

/** Published on `connectionOpen` and `connectionClose`. */
export interface ConnectionMessage {
  /** Which end of the connection this process is. */
  side: "server" | "client";
  /** The server's id of the connection (`ServerConnection.id`); 0 on the client side. */
  connectionId: number;
  /** Why it closed: undefined for a clean close (both GOODBYEs), else the error. */
  reason?: Error;
}

/** Published on `handshakeReject`. */
export interface HandshakeRejectMessage {
  /** The server's id of the connection. */
  connectionId: number;
  /** The protocol error code sent in REJECT. */
  code: number;
  /** The reason sent in REJECT. */
  message: string;
}

/** Published on `requestStart`. */
export interface RequestStartMessage {
  /** The server's id of the connection. */
  connectionId: number;
  /** The request id. */
  id: number;
  /** The method called. */
  method: string;
}

/** Published on `requestEnd`. */
export interface RequestEndMessage extends RequestStartMessage {
  /** Milliseconds from the request's arrival to its answer. */
  durationMs: number;
}

/** Published on `requestError`. */
export interface RequestErrorMessage extends RequestEndMessage {
  /** The protocol error code answered. */
  code: number;
  /** What the handler threw (or the reason the request failed). */
  error: unknown;
}

/** Published on `reconnect`. */
export interface ReconnectMessage {
  /** The attempt's number, from 1. */
  attempt: number;
  /** Milliseconds waited before it. */
  delayMs: number;
  /** Why it failed; undefined when it succeeded. */
  error?: unknown;
}

/** Published on `mqWait` and `channelWait` when a wait had to sleep. */
export interface WaitMessage {
  /** The queue's or channel's name. */
  name: string;
  /** What waited. */
  operation: "send" | "receive";
}
