// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Messaging over Unix domain sockets (and TCP) with the framed, versioned
 * protocol of `@ipc/linux/protocol`: a server with request handlers,
 * notifications and graceful shutdown; a client with many requests in
 * flight, cancellation, notifications and optional reconnection.
 *
 * Requires `--allow-read --allow-write --allow-net` permission for Unix
 * sockets (`--allow-net` for TCP).
 *
 * NOTE: This API is only available on Linux.
 *
 * @example Request and response over a Unix socket
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, serve } from "@ipc/linux/uds";
 *
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/app.sock`;
 * {
 *   await using _server = await serve({ path }, (req) => `hello ${req.text()}`);
 *   await using client = await connect({ path });
 *   const reply = await client.request("greet", "world");
 *   assert.equal(new TextDecoder().decode(reply), "hello world");
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export { serve, Server } from "./server.ts";
export type {
  ResponseBody,
  ResponseWithFds,
  ServerNotification,
  ServerRequest,
} from "./handler.ts";
export type {
  ClientState,
  Handler,
  NotificationHandler,
  ReconnectOptions,
  RequestContext,
  ServeOptions,
  ShutdownOptions,
} from "./types.ts";
export { ServerConnection } from "./server_connection.ts";
export { Client } from "./client.ts";
export type { NotifyOptions, ReplyWithFds, RequestOptions } from "./client.ts";
export { connect } from "./connect.ts";
export type { ConnectOptions } from "./connect.ts";
export { NotificationEvent } from "./notification_event.ts";
export { ConnectionClosedError } from "./errors.ts";
export type { Address, AddressOptions } from "./transport.ts";
export type { PeerCredentials } from "./transport.ts";
export { UnixSocket } from "./unix_socket.ts";
export type {
  SocketMessage,
  SocketType,
  UnixConnectOptions,
  UnixReceiveOptions,
  UnixSendOptions,
} from "./unix_socket.ts";
export { UnixListener } from "./unix_listener.ts";
export { UnixDatagram } from "./unix_datagram.ts";
export { type ActivatedSocket, listenFds } from "./listen_fds.ts";
export type {
  Datagram,
  DatagramReceiveOptions,
  DatagramSendOptions,
  UnixDatagramOptions,
} from "./unix_datagram.ts";
export type { UnixAcceptOptions, UnixListenOptions } from "./unix_listener.ts";
export { type FdLike, ReceivedFd } from "./received_fd.ts";
export { ErrorCode, RemoteError } from "../protocol/mod.ts";
export type { ConnectionState } from "../protocol/mod.ts";
