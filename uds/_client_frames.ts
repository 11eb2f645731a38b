// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A client's side of one connection: the frames that arrive from the server
 * (settling the handshake, the requests and the pings waiting for them), what
 * the loss of the connection does to those, and the closing GOODBYE.
 *
 * @module
 */
import { errorCodeName, Feature, type Frame, RemoteError } from "../protocol/mod.ts";
import { fdsOf, keepReplyFds } from "./_frame_fds.ts";
import type { FramedConnection } from "./_connection.ts";
import { Handshake } from "./_handshake.ts";
import { PendingPings, PendingRequests } from "./_pending.ts";
import { ConnectionClosedError } from "./errors.ts";
import { type ClientStats, newClientStats } from "./stats.ts";

/** What the client does about the frames that settle no call. */
export interface ClientEvents {
  /** A NOTIFY arrived (a borrowed payload is valid only during the call). */
  notification(method: string, payload: Uint8Array): void;
  /** The server said GOODBYE (the client answers it after this call). */
  goodbye(): void;
}

/** The calls a client is waiting on, and the frames from the server that settle them. */
export class ClientCalls {
  /** The handshake in progress, if any. */
  readonly handshake: Handshake = new Handshake();
  /** Requests sent and not yet answered. */
  readonly requests: PendingRequests = new PendingRequests();
  /** Pings waiting for their PONG. */
  readonly pings: PendingPings = new PendingPings();
  /** The client's counters. */
  readonly stats: ClientStats = newClientStats();
  readonly #events: ClientEvents;

  constructor(events: ClientEvents) {
    this.#events = events;
  }

  /** Handles one frame the server sent on `fc`. */
  frame(fc: FramedConnection, frame: Frame): void {
    switch (frame.kind) {
      case "accept":
        fc.peerMaxFrameSize = frame.maxFrameSize;
        if (frame.features & Feature.FDS) fc.enableFds();
        return this.handshake.accept();
      case "reject":
        this.handshake.fail(
          new RemoteError(frame.code, `Connection rejected: ${frame.message}`),
        );
        return fc.close(new ConnectionClosedError(`Connection rejected: ${frame.message}`));
      case "response":
        this.stats.bytesReceived += frame.payload.length;
        if (!frame.fdCount) return this.requests.resolve(frame.id, frame.payload);
        keepReplyFds(frame.payload, fdsOf(frame));
        return this.requests.resolve(frame.id, frame.payload, true);
      case "error": {
        if (frame.id === 0) {
          const cause = new RemoteError(frame.code, frame.message);
          this.handshake.fail(cause);
          return fc.close(
            new ConnectionClosedError(
              `Server closed the connection: ${frame.message} (${errorCodeName(frame.code)})`,
              { cause },
            ),
          );
        }
        this.stats.errors++;
        return this.requests.reject(frame.id, frame.code, frame.message);
      }
      case "notify":
        this.stats.notifications++;
        this.stats.bytesReceived += frame.payload.length;
        return this.#events.notification(frame.method, frame.payload);
      case "ping":
        try {
          fc.send({ kind: "pong", id: frame.id, payload: frame.payload });
        } catch {
          // closing; nothing to answer
        }
        return;
      case "pong":
        return this.pings.pong(frame.id);
      case "goodbye":
        this.#events.goodbye();
        if (!fc.sm.goodbyeSent) fc.send({ kind: "goodbye", reason: "" });
        return;
    }
  }

  /**
   * The connection closed (`reason` is undefined after a clean close): the
   * handshake fails, and requests and pings waiting for it reject (requests
   * are not resent).
   */
  lost(reason: Error | undefined): void {
    this.handshake.fail(reason ?? new ConnectionClosedError("Connection closed"));
    const lost = new ConnectionClosedError(
      `${reason?.message ?? "Connection closed"}; the request was not resent`,
      { cause: reason },
    );
    this.requests.rejectAll(lost);
    this.pings.wakeAll();
  }
}

/**
 * Closes `fc` gracefully: sends GOODBYE if its state allows (else closes it
 * at once), waits at most 10 s for the server to close, then closes it.
 */
export async function sayGoodbye(fc: FramedConnection): Promise<void> {
  try {
    if (!fc.sm.goodbyeSent && (fc.sm.state === "ready" || fc.sm.state === "closing")) {
      fc.send({ kind: "goodbye", reason: "" });
    } else if (fc.sm.state !== "ready" && fc.sm.state !== "closing") {
      fc.close();
    }
  } catch {
    fc.close();
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    fc.done,
    new Promise<void>((resolve) => timer = setTimeout(resolve, 10_000)),
  ]);
  clearTimeout(timer);
  fc.close();
}
