// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the settings a server shares with each of its connections.
 *
 * @module
 */
import type { FramedConnection } from "./_connection.ts";
import type { RequestHandler } from "./_inflight.ts";
import type { ServerNotification, ServerRequest } from "./handler.ts";
import type { ServerStats } from "./stats.ts";

/** Internal settings shared with each connection (a `C`: `C`). */
export interface ServerSettings<C> {
  maxFrameSize: number;
  handshakeTimeout: number;
  highWaterMark: number;
  handler: RequestHandler<C>;
  onNotification?: (
    notification: ServerNotification,
    connection: C,
  ) => void | Promise<void>;
  onConnection?: (connection: C) => void;
  onError?: (error: unknown, request: ServerRequest, connection: C) => void;
  borrowNotifications: boolean;
  /** ms a connection's queued bytes may make no progress before it fails. */
  writeTimeout: number;
  /** Watches the writes of a new connection (see `ServeOptions.writeTimeout`). */
  watchWrites(fc: FramedConnection): void;
  /** Stops watching the writes of a connection that closed. */
  unwatchWrites(fc: FramedConnection): void;
  /** The server's counters, updated by every connection. */
  stats: ServerStats;
  /** Whether the server may accept one more ready connection. */
  admit(connection: C): "ok" | "busy" | "shutting-down";
  /** The connection closed. */
  release(connection: C): void;
}
