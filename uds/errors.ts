// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Errors of the socket layer.
 *
 * @module
 */

/**
 * The connection closed or was lost. Requests that were in flight reject with
 * this error: they may or may not have run on the server, and they are never
 * resent automatically.
 *
 * @example Recognising a lost connection
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConnectionClosedError } from "@ipc/linux/uds";
 *
 * const err = new ConnectionClosedError("Connection lost");
 * assert.equal(err.name, "ConnectionClosedError");
 * ```
 */
export class ConnectionClosedError extends Error {
  /**
   * Constructs a new instance.
   *
   * @param message What happened.
   * @param options Standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConnectionClosedError";
  }
}
