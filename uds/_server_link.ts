// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: a server connection's callbacks, for its framed connection and
 * its request table, as one object whose methods every connection shares:
 * an idle connection holds this one object instead of a closure (and its
 * context) per callback.
 *
 * @module
 */
import type { Frame, NotifyFrame } from "../protocol/mod.ts";
import type { FramedConnection } from "./_connection.ts";
import type { FramedHandlers } from "./_receive.ts";
import type { InflightLink } from "./_inflight.ts";
import { Message, type ServerNotification } from "./handler.ts";
import { closeAll, fdsOf } from "./_frame_fds.ts";
import type { ServerStats } from "./stats.ts";

/** What a link reaches inside its connection `C` (one object for all of them). */
export interface LinkInternals<C> {
  /** A legal frame arrived on `c`. */
  frame(c: C, frame: Frame): void | Promise<unknown>;
  /** `c`'s framed connection closed. */
  closed(c: C): void;
  /** Sends a frame on `c`, ignoring a connection that failed meanwhile. */
  send(c: C, frame: Frame, fds?: number[]): void;
  /** `c`'s framed connection. */
  fc(c: C): FramedConnection;
  /** A request of `c` was answered. */
  answered(c: C): void;
  /** `c`'s client, as error messages name it. */
  who(c: C): string;
}

/** The callbacks of one connection `C`, through the shared internals. */
export class ConnectionLink<C> implements FramedHandlers, InflightLink {
  readonly #c: C;
  readonly #internals: LinkInternals<C>;
  readonly stats: ServerStats;
  readonly handlerError?: (error: unknown, request: Message) => void;

  constructor(
    c: C,
    internals: LinkInternals<C>,
    stats: ServerStats,
    handlerError?: (error: unknown, request: Message) => void,
  ) {
    this.#c = c;
    this.#internals = internals;
    this.stats = stats;
    if (handlerError) this.handlerError = handlerError;
  }

  frame(frame: Frame): void | Promise<unknown> {
    return this.#internals.frame(this.#c, frame);
  }

  closed(): void {
    this.#internals.closed(this.#c);
  }

  send(frame: Frame, fds?: number[]): void {
    this.#internals.send(this.#c, frame, fds);
  }

  fds(): boolean {
    return this.#internals.fc(this.#c).fds;
  }

  peerMaxFrameSize(): number {
    return this.#internals.fc(this.#c).peerMaxFrameSize;
  }

  answered(): void {
    this.#internals.answered(this.#c);
  }

  who(): string {
    return this.#internals.who(this.#c);
  }
}

/**
 * Counts a NOTIFY that arrived on `c` and runs the server's `onNotification`
 * on it; its descriptors are closed once the handler is done. A borrowed
 * payload stays valid until a returned promise settles, which is returned.
 */
export function deliverNotification<C>(
  settings: {
    stats: ServerStats;
    onNotification?: (notification: ServerNotification, connection: C) => void | Promise<void>;
  },
  frame: NotifyFrame,
  c: C,
): void | Promise<unknown> {
  settings.stats.notifications++;
  settings.stats.bytesReceived += frame.payload.length;
  const handler = settings.onNotification;
  if (!handler) return;
  let result;
  const fds = frame.fdCount ? fdsOf(frame) : undefined;
  try {
    result = handler(new Message(0, frame.method, frame.payload, fds), c);
  } catch {
    if (fds) closeAll(fds);
    return; // a notification has nobody to report to
  }
  if (typeof (result as PromiseLike<void> | undefined)?.then === "function") {
    return Promise.resolve(result).catch(() => {}).finally(() => fds && closeAll(fds));
  }
  if (fds) closeAll(fds);
}
