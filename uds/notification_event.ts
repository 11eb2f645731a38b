// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The event a client dispatches for each server notification.
 *
 * @module
 */

const decoder = new TextDecoder();

/**
 * A notification from the server, dispatched as a `"notification"` event on
 * the {@linkcode Client}.
 *
 * @example Reading an event's payload
 * ```ts
 * import assert from "node:assert/strict";
 * import { NotificationEvent } from "@ipc/linux/uds";
 *
 * const event = new NotificationEvent("stats", new TextEncoder().encode('{"n":1}'));
 * assert.equal(event.type, "notification");
 * assert.deepEqual(event.json(), { n: 1 });
 * ```
 */
export class NotificationEvent extends Event {
  /** The method name. */
  readonly method: string;
  /**
   * The notification bytes: yours to keep, unless the client was connected
   * with `borrowNotifications: true` (then valid only while the event is
   * dispatched; copy with `payload.slice()` what you keep).
   */
  readonly payload: Uint8Array;

  /**
   * Constructs a new instance.
   *
   * @param method The method name.
   * @param payload The bytes.
   */
  constructor(method: string, payload: Uint8Array) {
    super("notification");
    this.method = method;
    this.payload = payload;
  }

  /** The payload as UTF-8 text. */
  text(): string {
    return decoder.decode(this.payload);
  }

  /** The payload parsed as JSON. */
  json(): unknown {
    return JSON.parse(this.text());
  }
}
