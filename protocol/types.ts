// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The frame types of protocol version 1 (PROTOCOL.md §1).
 *
 * @module
 */

/** `HELLO`: the client's first frame. */
export interface HelloFrame {
  /** Frame kind. */
  kind: "hello";
  /** Lowest protocol version the client speaks. */
  minVersion: number;
  /** Highest protocol version the client speaks. */
  maxVersion: number;
  /** Feature bits (none defined in version 1). */
  features: number;
  /** Largest frame the client accepts, in bytes. */
  maxFrameSize: number;
}

/** `ACCEPT`: the server's answer to a good hello. */
export interface AcceptFrame {
  /** Frame kind. */
  kind: "accept";
  /** The chosen protocol version. */
  version: number;
  /** The agreed feature bits. */
  features: number;
  /** Largest frame the server accepts, in bytes. */
  maxFrameSize: number;
}

/** `REJECT`: the server refuses the connection, then closes. */
export interface RejectFrame {
  /** Frame kind. */
  kind: "reject";
  /** An {@linkcode ErrorCode}. */
  code: number;
  /** Why, for humans. */
  message: string;
}

/** `REQUEST`: call `method` with `payload`; answered by one terminal frame. */
export interface RequestFrame {
  /** Frame kind. */
  kind: "request";
  /** Non-zero request id. */
  id: number;
  /** Method name, 1–255 UTF-8 bytes. */
  method: string;
  /** Request bytes. */
  payload: Uint8Array;
  /**
   * How many descriptors ride with this frame (the FDS feature, see
   * PROTOCOL.md §6): 1–253, carried in the flags byte. Absent: none.
   */
  fdCount?: number;
}

/** `RESPONSE`: the successful result of request `id`. */
export interface ResponseFrame {
  /** Frame kind. */
  kind: "response";
  /** The request's id. */
  id: number;
  /** Response bytes. */
  payload: Uint8Array;
  /**
   * How many descriptors ride with this frame (the FDS feature, see
   * PROTOCOL.md §6): 1–253, carried in the flags byte. Absent: none.
   */
  fdCount?: number;
}

/** `ERROR`: request `id` failed, or (id 0) the connection failed. */
export interface ErrorFrame {
  /** Frame kind. */
  kind: "error";
  /** The request's id, or 0 for a connection error. */
  id: number;
  /** An {@linkcode ErrorCode} or an application code (1000–65535). */
  code: number;
  /** Why, for humans. */
  message: string;
}

/** `NOTIFY`: a one-way message. */
export interface NotifyFrame {
  /** Frame kind. */
  kind: "notify";
  /** Method name, 1–255 UTF-8 bytes. */
  method: string;
  /** Notification bytes. */
  payload: Uint8Array;
  /**
   * How many descriptors ride with this frame (the FDS feature, see
   * PROTOCOL.md §6): 1–253, carried in the flags byte. Absent: none.
   */
  fdCount?: number;
}

/** `CANCEL`: the client no longer wants the result of request `id`. */
export interface CancelFrame {
  /** Frame kind. */
  kind: "cancel";
  /** The request's id. */
  id: number;
}

/** `PING`: asks the peer for a `PONG` with the same nonce and body. */
export interface PingFrame {
  /** Frame kind. */
  kind: "ping";
  /** Any 32-bit nonce. */
  id: number;
  /** Opaque bytes, at most 64. */
  payload: Uint8Array;
}

/** `PONG`: the answer to a `PING`. */
export interface PongFrame {
  /** Frame kind. */
  kind: "pong";
  /** The ping's nonce. */
  id: number;
  /** The ping's body. */
  payload: Uint8Array;
}

/** `GOODBYE`: the sender starts nothing new and will close once drained. */
export interface GoodbyeFrame {
  /** Frame kind. */
  kind: "goodbye";
  /** Why, for humans (may be empty). */
  reason: string;
}

/** Any frame of protocol version 1. */
export type Frame =
  | HelloFrame
  | AcceptFrame
  | RejectFrame
  | RequestFrame
  | ResponseFrame
  | ErrorFrame
  | NotifyFrame
  | CancelFrame
  | PingFrame
  | PongFrame
  | GoodbyeFrame;
