// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The shared types of the Unix-socket server and client: what handlers
 * receive and return, and the options and settings of `serve` and `connect`.
 *
 * @module
 */
import type { ResponseBody, ServerNotification, ServerRequest } from "./handler.ts";
import type { ServerConnection } from "./server_connection.ts";
import type { Address, AddressOptions } from "./transport.ts";

/** The second argument of a {@linkcode Handler}. */
export interface RequestContext {
  /** The connection the request came on. */
  readonly connection: ServerConnection;
  /** Aborted when the client cancels the request or disconnects, or at shutdown timeout. */
  readonly signal: AbortSignal;
}

/** Answers one request; throw to send an `ERROR` frame. */
export type Handler = (
  request: ServerRequest,
  context: RequestContext,
) => ResponseBody | Promise<ResponseBody>;

/** Receives client notifications. */
export type NotificationHandler = (
  notification: ServerNotification,
  connection: ServerConnection,
) => void | Promise<void>;

/** Options for {@linkcode serve}. Give `path` (Unix socket) or `port` (TCP). */
export interface ServeOptions extends AddressOptions {
  /** Permission bits of the socket file. @default {0o600} */
  mode?: number;
  /** Connections served at once; more are refused with `SERVER_BUSY`. @default {1024} */
  maxConnections?: number;
  /** The largest frame accepted from clients, in bytes. @default {16777216} */
  maxFrameSize?: number;
  /** How long a new connection may take to send its hello, in ms. @default {10000} */
  handshakeTimeout?: number;
  /**
   * Bytes queued for one connection before the server stops reading more
   * requests from it until the client reads its replies.
   * @default {1048576}
   */
  highWaterMark?: number;
  /**
   * How long, in ms, bytes queued for one client may wait without any of
   * them being written (the client stopped reading, and its socket buffer is
   * full) before that connection is failed: its pending `notify` calls, the
   * `broadcast` waiting on it and its handlers' replies reject with
   * `Deno.errors.TimedOut` (naming the client and the bytes queued); other
   * clients are unaffected. `Infinity` waits forever. A client that reads,
   * however slowly, is never cut off.
   * @default {30000}
   */
  writeTimeout?: number;
  /** Called for each notification a client sends. @default {undefined} */
  onNotification?: NotificationHandler;
  /**
   * Lend notification payloads instead of giving them away: a large
   * notification is read into a buffer that each connection reuses for the
   * next one, so its `payload` is valid only until `onNotification` returns
   * or, if it returns a promise, until that promise settles (copy what you
   * keep with `payload.slice()`). Saves allocating and page-faulting a fresh
   * buffer per notification, which for bulk streams of large payloads
   * costs about as much as the transfer itself. Each connection keeps one
   * buffer as large as the largest notification it received (at most
   * `maxFrameSize`). Request payloads are never borrowed.
   * @default {false}
   */
  borrowNotifications?: boolean;
  /**
   * Called when a client completes its handshake, with its
   * {@linkcode ServerConnection} (`id`, `remoteAddr`, `peer`, `notify`,
   * `close`); the connection is served whatever it does or throws.
   * @default {undefined}
   */
  onConnection?: (connection: ServerConnection) => void;
  /**
   * Called when a handler throws (or rejects with) anything but a
   * `RemoteError`: the client gets `HANDLER_ERROR` with the error's
   * message, and this is where the server sees the error itself. Whatever
   * `onError` throws is ignored.
   * @default {undefined}
   */
  onError?: (error: unknown, request: ServerRequest, connection: ServerConnection) => void;
  /**
   * Read each Unix-socket client's pid, uid and gid (`SO_PEERCRED`) into
   * {@linkcode ServerConnection.peer}. Serves through `node:net` (whose
   * sockets expose their fd) instead of `Deno.listen`, and needs
   * `--allow-ffi`.
   * @default {false}
   */
  peerCredentials?: boolean;
  /**
   * Serve on this listening Unix socket descriptor instead of binding a path:
   * one handed over by the server running before (socket hand-off, see
   * {@linkcode Server.fd}) or inherited. It is served on the native
   * transport. A `path` given with it only names it in `addr` (nothing is
   * bound; without one, `addr.path` is the address the socket was bound at,
   * for a socket bound by `serve` a temporary name). No `port`. Shutting down
   * never removes its socket file. Requires `--allow-ffi`.
   * @default {undefined}
   */
  fd?: number;
  /**
   * Socket activation: serve on a listening socket the service manager
   * passed in (`LISTEN_FDS`, checked against `LISTEN_PID`; see
   * {@linkcode listenFds}): `true` takes the first Unix stream or seqpacket
   * one not served yet, a string the one of that name (`LISTEN_FDNAMES`,
   * systemd's `FileDescriptorName=`). Then as with `fd`. A seqpacket socket
   * is served one frame per packet. Requires `--allow-env --allow-ffi`.
   * @default {undefined}
   */
  activation?: boolean | string;
  /** Aborting it shuts the server down (see {@linkcode Server.shutdown}). @default {undefined} */
  signal?: AbortSignal;
}

/** Options for {@linkcode Server.shutdown}. */
export interface ShutdownOptions {
  /**
   * After this many ms, handlers still running are aborted, their requests
   * answered with `SHUTTING_DOWN`, and connections closed.
   * @default {10000}
   */
  timeout?: number;
  /**
   * Leave the socket file in place: its listening socket was handed to
   * another server (see {@linkcode Server.fd}), which goes on serving there.
   * @default {false}
   */
  keepSocketFile?: boolean;
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

/** Reconnection with exponential backoff. */
export interface ReconnectOptions {
  /** Delay before the first attempt, in ms. @default {100} */
  initialDelay?: number;
  /** Largest delay between attempts, in ms. @default {5000} */
  maxDelay?: number;
  /** Attempts before giving up (the client then closes). @default {Infinity} */
  maxAttempts?: number;
}
