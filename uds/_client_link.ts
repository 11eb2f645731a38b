// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A client's link to its server over time: the connection in use and the
 * client's state, opening it, reconnecting after a loss, waiting for it to be
 * ready, and closing it.
 *
 * @module
 */
import { FramedConnection } from "./_connection.ts";
import { ClientCalls, sayGoodbye } from "./_client_frames.ts";
import { ReadyWaiters, reconnectLoop } from "./_reconnect.ts";
import { ConnectionClosedError } from "./errors.ts";
import { runtimeTransport } from "./transport.ts";
import { nativeTransport } from "./_native_transport.ts";
import { SOCK_SEQPACKET, SOCK_STREAM } from "../_ffi/_socket_struct.ts";
import type { ClientSettings, ClientState } from "./types.ts";
import { diagnostics } from "../_diagnostics.ts";

/** What a link tells its client. */
export interface LinkEvents {
  /** A NOTIFY arrived (a borrowed payload is valid only during the call). */
  notification(method: string, payload: Uint8Array): void;
  /** The state changed. */
  statechange(): void;
}

/** The connection a client sends on, and its state. */
export class ClientLink {
  /** The calls waiting on the connection. */
  readonly calls: ClientCalls;
  readonly #settings: ClientSettings;
  readonly #events: LinkEvents;
  #fc: FramedConnection | undefined;
  #state: ClientState = "connecting";
  readonly #readyWaiters = new ReadyWaiters();
  readonly #stop = new AbortController();
  #closing: Promise<void> | undefined;
  #reconnecting: Promise<void> | undefined;

  constructor(settings: ClientSettings, events: LinkEvents) {
    this.#settings = settings;
    this.#events = events;
    this.calls = new ClientCalls({
      notification: (method, payload) => events.notification(method, payload),
      goodbye: () => {
        if (this.#state === "ready") this.#setState("closing");
      },
    });
  }

  /** The client's state. */
  get state(): ClientState {
    return this.#state;
  }

  /** The latest connection opened, if any (open or not). */
  get fc(): FramedConnection | undefined {
    return this.#fc;
  }

  /** The connection if requests can be sent on it now: ready, and no GOODBYE either way. */
  usable(): FramedConnection | undefined {
    const fc = this.#fc;
    if (this.#state !== "ready" || !fc || fc.sm.goodbyeReceived || fc.sm.goodbyeSent) return;
    return fc;
  }

  #setState(state: ClientState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#events.statechange();
  }

  /** Opens the transport and completes the handshake. */
  async open(signal?: AbortSignal): Promise<void> {
    const { address, handshakeTimeout, highWaterMark, maxFrameSize } = this.#settings;
    signal?.throwIfAborted();
    const transport = address.transport === "unix" && address.native
      ? nativeTransport(address.seqpacket ? SOCK_SEQPACKET : SOCK_STREAM, undefined, address)
      : await runtimeTransport();
    const conn = await transport.connect(address);
    const fc: FramedConnection = new FramedConnection(conn, "client", highWaterMark, {
      frame: (frame) => this.calls.frame(fc, frame),
      closed: (reason) => this.#onClosed(fc, reason),
    }, this.#settings.borrowNotifications);
    this.#fc = fc;
    await this.calls.handshake.run(fc, maxFrameSize, handshakeTimeout, signal);
    // Frames read together with the ACCEPT were handled before this point: an
    // ERROR(0) closed the connection (its close was not reported, as we were
    // still connecting), a GOODBYE began closing it.
    if (fc.closed) throw fc.reason ?? new ConnectionClosedError("Connection closed by the server");
    if (this.#state === "reconnecting") this.calls.stats.reconnects++;
    this.#setState(fc.sm.goodbyeReceived ? "closing" : "ready");
    if (diagnostics.connectionOpen.hasSubscribers) {
      diagnostics.connectionOpen.publish({ side: "client", connectionId: 0 });
    }
    this.#readyWaiters.resolveAll();
  }

  #onClosed(fc: FramedConnection, reason: Error | undefined): void {
    if (fc !== this.#fc) return;
    this.calls.lost(reason);
    if (diagnostics.connectionClose.hasSubscribers) {
      diagnostics.connectionClose.publish({ side: "client", connectionId: 0, reason });
    }
    // While connecting or reconnecting, open() reports the failure to its
    // caller (connect(), or the one reconnection loop, which tries again).
    if (this.#state === "connecting" || this.#state === "reconnecting") return;
    if (this.#settings.reconnect && !this.#stop.signal.aborted) {
      this.#setState("reconnecting");
      this.#reconnecting = reconnectLoop(
        this.#settings.reconnect,
        this.#stop.signal,
        (signal) => this.open(signal),
        (reason) => this.#finish(reason),
      );
    } else {
      this.#finish(reason);
    }
  }

  #finish(reason?: Error): void {
    this.#setState("closed");
    const err = new ConnectionClosedError(reason?.message ?? "The client is closed", {
      cause: reason,
    });
    this.#readyWaiters.rejectAll(err);
  }

  /** Whether a new connection is coming: the server said GOODBYE, and the client reconnects. */
  #replacing(): boolean {
    return this.#state === "closing" && this.#settings.reconnect !== undefined &&
      !this.#stop.signal.aborted;
  }

  /**
   * Waits while the client is connecting or reconnecting (or, with
   * `reconnect`, closing because the server said GOODBYE), then returns the
   * connection if it is usable.
   *
   * @throws {ConnectionClosedError} When it is not (closing or closed).
   */
  async ready(signal?: AbortSignal): Promise<FramedConnection> {
    while (
      this.#state === "reconnecting" || this.#state === "connecting" || this.#replacing()
    ) {
      signal?.throwIfAborted();
      await this.#readyWaiters.wait(signal);
    }
    const fc = this.usable();
    if (!fc) throw new ConnectionClosedError(`Cannot send: the client is ${this.#state}`);
    return fc;
  }

  /**
   * Waits until `fc`'s write queue has drained below its high-water mark, or
   * `signal` aborts (then throws its reason).
   */
  async drain(fc: FramedConnection, signal: AbortSignal | undefined): Promise<void> {
    if (!signal) return await fc.writer.drain();
    signal.throwIfAborted();
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        fc.writer.drain(),
        new Promise<never>((_, reject) => {
          onAbort = () => reject(signal.reason);
          signal.addEventListener("abort", onAbort, { once: true });
        }),
      ]);
    } finally {
      signal.removeEventListener("abort", onAbort!);
    }
  }

  /** Says GOODBYE, waits for the connection to close, stops reconnecting. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stop.abort();
      const fc = this.#fc;
      if (fc && !fc.closed) {
        if (this.#state === "ready") this.#setState("closing");
        await sayGoodbye(fc);
      }
      await this.#reconnecting;
      this.#finish();
    })();
    return this.#closing;
  }
}
