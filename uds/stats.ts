// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Counters of servers and clients, read without any subscription
 * (`server.stats`, `client.stats`). Bytes are payload bytes, not framing.
 *
 * @module
 */

/** What a {@linkcode Server} has done since it started. */
export interface ServerStats {
  /** Connections that completed their handshake. */
  connections: number;
  /** Requests received. */
  requests: number;
  /** Requests answered with an error (handler errors, cancellations, shutdown). */
  errors: number;
  /** Notifications received from clients. */
  notifications: number;
  /** Payload bytes received (requests and notifications). */
  bytesReceived: number;
  /** Payload bytes sent (responses and notifications). */
  bytesSent: number;
}

/** What a {@linkcode Client} has done since it was made. */
export interface ClientStats {
  /** Requests sent. */
  requests: number;
  /** Requests answered with an error by the server. */
  errors: number;
  /** Notifications received from the server. */
  notifications: number;
  /** Times the connection was made again after it was lost. */
  reconnects: number;
  /** Payload bytes sent (requests and notifications). */
  bytesSent: number;
  /** Payload bytes received (responses and notifications). */
  bytesReceived: number;
}

/** A zeroed {@linkcode ServerStats}. */
export function newServerStats(): ServerStats {
  return {
    connections: 0,
    requests: 0,
    errors: 0,
    notifications: 0,
    bytesReceived: 0,
    bytesSent: 0,
  };
}

/** A zeroed {@linkcode ClientStats}. */
export function newClientStats(): ClientStats {
  return {
    requests: 0,
    errors: 0,
    notifications: 0,
    reconnects: 0,
    bytesSent: 0,
    bytesReceived: 0,
  };
}
