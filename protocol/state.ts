// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The connection state machine of PROTOCOL.md §5, for both ends.
 *
 * @module
 */
import { ErrorCode } from "./constants.ts";
import type { Frame } from "./types.ts";
import { IdMap } from "./_id_map.ts";

/** A connection's state. */
export type ConnectionState = "connecting" | "handshaking" | "ready" | "closing" | "closed";

/** Which end of the connection. */
export type Role = "client" | "server";

/**
 * A frame that is legal on the wire but not in the receiver's state (for
 * example a `REQUEST` before `HELLO`). `code` is the {@linkcode ErrorCode} to
 * send back before closing.
 *
 * @example A request before hello
 * ```ts
 * import assert from "node:assert/strict";
 * import { ErrorCode, ProtocolStateMachine, ProtocolViolation } from "@ipc/linux/protocol";
 *
 * const server = new ProtocolStateMachine("server");
 * assert.throws(
 *   () => server.receive({ kind: "request", id: 1, method: "x", payload: new Uint8Array() }),
 *   (e) => e instanceof ProtocolViolation && e.code === ErrorCode.UNEXPECTED_FRAME,
 * );
 * ```
 */
export class ProtocolViolation extends Error {
  /** The error code to report to the peer. */
  readonly code: number;

  /**
   * Constructs a new instance.
   *
   * @param code An {@linkcode ErrorCode}.
   * @param message What happened.
   */
  constructor(code: number, message: string) {
    super(message);
    this.name = "ProtocolViolation";
    this.code = code;
  }
}

const CLIENT_READY = new Set(["response", "error", "notify", "ping", "pong", "goodbye"]);
const SERVER_READY = new Set(["request", "notify", "cancel", "ping", "pong", "goodbye"]);

/**
 * Tracks one end's state, the open request ids, and the goodbye exchange;
 * {@linkcode ProtocolStateMachine.receive} rejects every frame PROTOCOL.md §5
 * calls illegal with a {@linkcode ProtocolViolation}.
 *
 * @example A client's life
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProtocolStateMachine } from "@ipc/linux/protocol";
 *
 * const sm = new ProtocolStateMachine("client");
 * sm.send({ kind: "hello", minVersion: 1, maxVersion: 1, features: 0, maxFrameSize: 4096 });
 * assert.equal(sm.state, "handshaking");
 * sm.receive({ kind: "accept", version: 1, features: 0, maxFrameSize: 4096 });
 * sm.send({ kind: "request", id: 1, method: "m", payload: new Uint8Array() });
 * sm.send({ kind: "goodbye", reason: "" });
 * sm.receive({ kind: "response", id: 1, payload: new Uint8Array() });
 * sm.receive({ kind: "goodbye", reason: "" });
 * assert.equal(sm.state, "closing");
 * assert.ok(sm.drained);
 * ```
 */
export class ProtocolStateMachine {
  readonly #role: Role;
  #state: ConnectionState;
  /** Ids of open requests (made on the first request: an idle connection holds none). */
  #open: IdMap<true> | undefined;
  #goodbyeSent = false;
  #goodbyeReceived = false;
  #helloReceived = false;
  /** The version range this client offered in its HELLO. */
  #offered: { min: number; max: number } | undefined;

  /**
   * Constructs a new instance.
   *
   * @param role `"client"` starts in `connecting`, `"server"` in `handshaking`.
   */
  constructor(role: Role) {
    if (role !== "client" && role !== "server") {
      throw new TypeError(`Cannot create state machine: role "${role}" is not client or server`);
    }
    this.#role = role;
    this.#state = role === "client" ? "connecting" : "handshaking";
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** This end's role. */
  get role(): Role {
    return this.#role;
  }

  /** Ids of requests that have no terminal frame yet. */
  get openRequests(): number {
    return this.#open?.size ?? 0;
  }

  /** Whether this end sent `GOODBYE`. */
  get goodbyeSent(): boolean {
    return this.#goodbyeSent;
  }

  /** Whether the peer sent `GOODBYE`. */
  get goodbyeReceived(): boolean {
    return this.#goodbyeReceived;
  }

  /** Both goodbyes exchanged and no request open: the stream may close. */
  get drained(): boolean {
    return this.#goodbyeSent && this.#goodbyeReceived && !this.#open?.size;
  }

  /** Whether request `id` is open. */
  isOpen(id: number): boolean {
    return this.#open?.has(id) ?? false;
  }

  /**
   * Applies an incoming frame.
   *
   * @param frame The frame received.
   * @throws {ProtocolViolation} When the frame is illegal in this state.
   */
  receive(frame: Frame): void {
    const kind = frame.kind;
    const state = this.#state;
    if (state === "closed" || state === "connecting") throw this.#unexpected(kind, state);
    if (kind === "error" && frame.id === 0) {
      this.#state = "closed";
      return;
    }
    if (state === "handshaking") {
      if (this.#role === "server" && kind === "hello" && !this.#helloReceived) {
        this.#helloReceived = true; // stays handshaking until ACCEPT or REJECT is sent
      } else if (this.#role === "client" && frame.kind === "accept") {
        const offered = this.#offered;
        if (offered && (frame.version < offered.min || frame.version > offered.max)) {
          throw new ProtocolViolation(
            ErrorCode.UNSUPPORTED_VERSION,
            `The server accepted version ${frame.version}, outside the offered ${offered.min}..${offered.max}`,
          );
        }
        this.#state = "ready";
      } else if (this.#role === "client" && kind === "reject") this.#state = "closed";
      else throw this.#unexpected(kind, state);
      return;
    }
    const allowed = this.#role === "client" ? CLIENT_READY : SERVER_READY;
    if (!allowed.has(kind)) throw this.#unexpected(kind, state);
    switch (frame.kind) {
      case "request":
        if (this.#goodbyeReceived) throw this.#unexpected(kind, state);
        if (this.isOpen(frame.id)) {
          throw new ProtocolViolation(ErrorCode.DUPLICATE_ID, `Request id ${frame.id} is open`);
        }
        (this.#open ??= new IdMap()).set(frame.id, true);
        break;
      case "response":
      case "error":
        if (!this.#open?.delete(frame.id)) {
          throw new ProtocolViolation(
            ErrorCode.UNEXPECTED_FRAME,
            `${kind.toUpperCase()} for request id ${frame.id}, which is not open`,
          );
        }
        break;
      case "notify":
        if (this.#goodbyeReceived) throw this.#unexpected(kind, state);
        break;
      case "goodbye":
        this.#goodbyeReceived = true;
        this.#state = "closing";
        break;
    }
  }

  /**
   * Applies an outgoing frame.
   *
   * @param frame The frame about to be sent.
   * @throws {Error} When this end may not send it now (a bug in the caller).
   */
  send(frame: Frame): void {
    const kind = frame.kind;
    const state = this.#state;
    switch (frame.kind) {
      case "hello":
        if (this.#role !== "client" || state !== "connecting") throw this.#refuse(kind, state);
        this.#offered = { min: frame.minVersion, max: frame.maxVersion };
        this.#state = "handshaking";
        return;
      case "accept":
      case "reject":
        if (this.#role !== "server" || state !== "handshaking") throw this.#refuse(kind, state);
        if (frame.kind === "accept" && !this.#helloReceived) throw this.#refuse(kind, state);
        this.#state = frame.kind === "accept" ? "ready" : "closed";
        return;
      case "error":
      case "response":
        if (frame.kind === "error" && frame.id === 0) {
          this.#state = "closed";
          return;
        }
        if (this.#role !== "server" || (state !== "ready" && state !== "closing")) {
          throw this.#refuse(kind, state);
        }
        this.#open?.delete(frame.id);
        return;
      case "request":
        if (this.#role !== "client" || state !== "ready" || this.#goodbyeSent) {
          throw this.#refuse(kind, state);
        }
        if (this.isOpen(frame.id)) {
          throw new Error(`Cannot send request: id ${frame.id} is open`);
        }
        (this.#open ??= new IdMap()).set(frame.id, true);
        return;
      case "notify":
        if ((state !== "ready" && state !== "closing") || this.#goodbyeSent) {
          throw this.#refuse(kind, state);
        }
        return;
      case "cancel":
        if (this.#role !== "client" || (state !== "ready" && state !== "closing")) {
          throw this.#refuse(kind, state);
        }
        return;
      case "ping":
      case "pong":
        if (state !== "ready" && state !== "closing") throw this.#refuse(kind, state);
        return;
      case "goodbye":
        if (state !== "ready" && state !== "closing") throw this.#refuse(kind, state);
        this.#goodbyeSent = true;
        this.#state = "closing";
        return;
    }
  }

  /** The error of an incoming frame that is illegal in `state` (made only when thrown). */
  #unexpected(kind: Frame["kind"], state: string): ProtocolViolation {
    return new ProtocolViolation(
      ErrorCode.UNEXPECTED_FRAME,
      `Unexpected ${kind.toUpperCase()} frame for a ${this.#role} in state ${state}`,
    );
  }

  /** The error of an outgoing frame this end may not send in `state` (made only when thrown). */
  #refuse(kind: Frame["kind"], state: string): Error {
    return new Error(`Cannot send ${kind.toUpperCase()}: ${this.#role} is ${state}`);
  }

  /** Marks the stream closed (end-of-stream or local close). */
  close(): void {
    this.#state = "closed";
  }
}
