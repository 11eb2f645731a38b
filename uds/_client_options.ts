// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the options and results of {@linkcode Client}'s calls, and its
 * event map (re-exported by uds/client.ts).
 *
 * @module
 */
import type { NotificationEvent } from "./notification_event.ts";
import type { FdLike, ReceivedFd } from "./received_fd.ts";

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
