// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The HELLO/ACCEPT exchange that opens a connection: the client's side (send
 * HELLO, wait for ACCEPT) and the server's (answer a HELLO).
 *
 * @module
 */
import { ErrorCode, Feature, type HelloFrame, PROTOCOL_VERSION } from "../protocol/mod.ts";
import type { FramedConnection } from "./_connection.ts";
import { ConnectionClosedError } from "./errors.ts";
import { errors } from "../_ffi/errors.ts";
import { diagnostics } from "../_diagnostics.ts";
import type { ServerStats } from "./stats.ts";

/** What answering a HELLO needs from the server's settings (for connections of type `C`). */
export interface HelloSettings<C extends { readonly id: number }> {
  /** The largest frame the server accepts. */
  maxFrameSize: number;
  /** Whether the server may accept one more ready connection. */
  admit(connection: C): "ok" | "busy" | "shutting-down";
  /** Called when a client completes its handshake. */
  onConnection?: (connection: C) => void;
  /** The server's counters. */
  stats: ServerStats;
}

/** A client's handshake: at most one in progress at a time. */
export class Handshake {
  #waiter: { resolve(): void; reject(err: unknown): void } | undefined;

  /** The server accepted: the handshake in progress, if any, succeeds. */
  accept(): void {
    this.#waiter?.resolve();
  }

  /** The server refused or the connection closed: the handshake in progress, if any, fails. */
  fail(err: unknown): void {
    this.#waiter?.reject(err);
  }

  /**
   * Sends HELLO on `fc`, starts reading, and waits for {@linkcode Handshake.accept}.
   * On failure (including `timeout` ms without an answer, or `signal` aborting)
   * closes `fc` and throws.
   */
  async run(
    fc: FramedConnection,
    maxFrameSize: number,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    maxFrameSize = Math.min(maxFrameSize, fc.frameLimit); // seqpacket: one packet
    try {
      await new Promise<void>((resolve, reject) => {
        this.#waiter = {
          // The frames after the ACCEPT may be as large as we announced.
          resolve: () => (fc.decoder.maxFrameSize = maxFrameSize, resolve()),
          reject,
        };
        timer = setTimeout(
          () => reject(new errors.TimedOut("Cannot connect: no ACCEPT within the timeout")),
          timeout,
        );
        onAbort = () => reject(signal!.reason);
        signal?.addEventListener("abort", onAbort, { once: true });
        if (signal?.aborted) return onAbort();
        fc.send({
          kind: "hello",
          minVersion: PROTOCOL_VERSION,
          maxVersion: PROTOCOL_VERSION,
          features: fc.canCarryFds ? Feature.FDS : 0,
          maxFrameSize,
        });
        fc.start();
      });
    } catch (err) {
      fc.close(new ConnectionClosedError("Handshake failed", { cause: err }));
      throw err;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
      this.#waiter = undefined;
    }
  }
}

/**
 * The server's side: answers the client's `hello` on `fc` with ACCEPT
 * (raising `fc`'s frame limits, then calling `onConnection`) or, when the
 * versions do not overlap or the server does not admit `connection`, fails
 * `fc` with the error frame that says why.
 */
export function answerHello<C extends { readonly id: number }>(
  fc: FramedConnection,
  hello: HelloFrame,
  settings: HelloSettings<C>,
  connection: C,
): void {
  const reject = (code: number, message: string) => {
    if (diagnostics.handshakeReject.hasSubscribers) {
      diagnostics.handshakeReject.publish({ connectionId: connection.id, code, message });
    }
    fc.fail(code, message);
  };
  if (hello.minVersion > PROTOCOL_VERSION || hello.maxVersion < PROTOCOL_VERSION) {
    return reject(
      ErrorCode.UNSUPPORTED_VERSION,
      `Server speaks version ${PROTOCOL_VERSION}, client offered ${hello.minVersion}..${hello.maxVersion}`,
    );
  }
  const admitted = settings.admit(connection);
  if (admitted !== "ok") {
    return admitted === "busy"
      ? reject(ErrorCode.SERVER_BUSY, "Server is at its connection limit")
      : reject(ErrorCode.SHUTTING_DOWN, "Server is shutting down");
  }
  // Grant what the client offered and this end's transport can do (PROTOCOL.md §6).
  const features = fc.canCarryFds ? hello.features & Feature.FDS : 0;
  fc.send({
    kind: "accept",
    version: PROTOCOL_VERSION,
    features,
    maxFrameSize: Math.min(settings.maxFrameSize, fc.frameLimit),
  });
  if (features & Feature.FDS) fc.enableFds();
  fc.decoder.maxFrameSize = Math.min(settings.maxFrameSize, fc.frameLimit);
  fc.peerMaxFrameSize = hello.maxFrameSize;
  settings.stats.connections++;
  if (diagnostics.connectionOpen.hasSubscribers) {
    diagnostics.connectionOpen.publish({ side: "server", connectionId: connection.id });
  }
  try {
    settings.onConnection?.(connection);
  } catch {
    // the connection is served regardless
  }
}
