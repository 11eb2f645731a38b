// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A client's calls awaiting an answer: the pending-request table (ids,
 * cancellation, settling on RESPONSE/ERROR) and the pings awaiting a PONG.
 *
 * @module
 */
import { RemoteError } from "../protocol/mod.ts";
import { IdMap } from "../protocol/_id_map.ts";
import type { FramedConnection } from "./_connection.ts";
import { ConnectionClosedError } from "./errors.ts";
import { closeAll, takeReplyFds } from "./_frame_fds.ts";

interface Pending {
  resolve(payload: Uint8Array): void;
  reject(err: unknown): void;
  /** Already settled locally (cancelled); the id stays reserved until the server answers. */
  settled: boolean;
  cleanup?: () => void;
  /** Close the descriptors the reply brings (the caller did not ask for them). */
  dropFds: boolean;
}

/** The requests sent and not yet answered by the server, by id. */
export class PendingRequests {
  readonly #pending = new IdMap<Pending>();
  #nextId = 1;

  /** Requests waiting for their reply (not cancelled). */
  get inFlight(): number {
    let n = 0;
    for (const p of this.#pending.values()) if (!p.settled) n++;
    return n;
  }

  /**
   * Sends a REQUEST frame on `fc` and waits for its answer; with `dropFds`,
   * descriptors that come with the reply are closed.
   */
  send(
    fc: FramedConnection,
    method: string,
    methodLength: number,
    bytes: Uint8Array,
    signal: AbortSignal | undefined,
    fds?: number[],
    dropFds = false,
  ): Promise<Uint8Array> {
    const size = 11 + methodLength + bytes.length;
    if (size > fc.peerMaxFrameSize) {
      throw new RangeError(
        `Cannot request: a ${size}-byte frame exceeds the server's limit of ${fc.peerMaxFrameSize}`,
      );
    }
    // (A signal that aborted while the request waited is never dispatched again.)
    signal?.throwIfAborted();
    let id = this.#nextId;
    while (this.#pending.has(id)) id = id >= 0xffff_ffff ? 1 : id + 1;
    this.#nextId = id >= 0xffff_ffff ? 1 : id + 1;
    // A large payload is written from the caller's buffer: until it is out,
    // a cancelled request must not hand the buffer back (reject after it).
    const released = fds
      ? fc.send({ kind: "request", id, method, payload: bytes, fdCount: fds.length }, fds)
      : fc.send({ kind: "request", id, method, payload: bytes });
    return new Promise<Uint8Array>((resolve, reject) => {
      const pending: Pending = { resolve, reject, settled: false, dropFds };
      this.#pending.set(id, pending);
      if (signal) {
        const onAbort = () => {
          pending.settled = true;
          if (released) released.then(() => reject(signal.reason));
          else reject(signal.reason);
          try {
            if (!fc.closed) fc.send({ kind: "cancel", id });
          } catch {
            // the connection is failing; the request is settled either way
          }
        };
        signal.addEventListener("abort", onAbort, { once: true });
        pending.cleanup = () => signal.removeEventListener("abort", onAbort);
      }
    });
  }

  /**
   * Settles request `id` with the server's RESPONSE; `withFds`: descriptors
   * came with it (kept for the payload by `keepReplyFds`).
   */
  resolve(id: number, payload: Uint8Array, withFds = false): void {
    const p = this.#pending.get(id)!;
    this.#pending.delete(id);
    p.cleanup?.();
    if (withFds && (p.dropFds || p.settled)) closeAll(takeReplyFds(payload));
    if (!p.settled) p.resolve(payload);
  }

  /** Settles request `id` with the server's ERROR. */
  reject(id: number, code: number, message: string): void {
    const p = this.#pending.get(id)!;
    this.#pending.delete(id);
    p.cleanup?.();
    if (!p.settled) p.reject(new RemoteError(code, message));
  }

  /** Rejects every request with `err` (the connection is lost) and forgets them. */
  rejectAll(err: Error): void {
    for (const p of this.#pending.values()) {
      p.cleanup?.();
      if (!p.settled) p.reject(err);
    }
    this.#pending.clear();
  }
}

/** The pings sent and waiting for their PONG, by nonce. */
export class PendingPings {
  readonly #pings = new Map<number, () => void>();
  /** The last nonce used: each ping in flight has its own. */
  #nonce = 0;

  /** Sends a PING on `fc` and waits for its PONG (or for the connection to close). */
  send(fc: FramedConnection, signal: AbortSignal | undefined): Promise<void> {
    const nonce = this.#nonce = (this.#nonce + 1) >>> 0;
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.#pings.delete(nonce);
        reject(signal!.reason);
      };
      this.#pings.set(nonce, () => {
        this.#pings.delete(nonce);
        signal?.removeEventListener("abort", onAbort);
        if (fc.closed) reject(fc.reason ?? new ConnectionClosedError("Connection closed"));
        else resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      try {
        fc.send({ kind: "ping", id: nonce, payload: new Uint8Array() });
      } catch (err) {
        this.#pings.delete(nonce);
        signal?.removeEventListener("abort", onAbort);
        reject(err);
      }
    });
  }

  /** Wakes the ping waiting for the PONG `id`, if any. */
  pong(id: number): void {
    this.#pings.get(id)?.();
  }

  /** Wakes every ping (the connection closed: they reject). */
  wakeAll(): void {
    for (const wake of this.#pings.values()) wake();
  }
}
