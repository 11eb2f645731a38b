// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A server connection's requests being handled: running the handler, the
 * table of requests in flight by id, and answering each exactly once (with
 * RESPONSE or ERROR, on cancellation, or at a shutdown timeout).
 *
 * @module
 */
import { ErrorCode, type Frame, RemoteError, type RequestFrame } from "../protocol/mod.ts";
import { IdMap } from "../protocol/_id_map.ts";
import { Context } from "./_context.ts";
import { Message, type ResponseBody, type ServerRequest, toBytes } from "./handler.ts";
import { ConnectionClosedError } from "./errors.ts";
import { closeAll, fdsOf, prepareFds } from "./_frame_fds.ts";
import { closeFd } from "../_ffi/socket.ts";
import { diagnostics } from "../_diagnostics.ts";
import type { ServerStats } from "./stats.ts";

/** A request handler, for connections of type `C` (the public `Handler` is one). */
export type RequestHandler<C> = (
  request: ServerRequest,
  context: { readonly connection: C; readonly signal: AbortSignal },
) => ResponseBody | Promise<ResponseBody>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `message`, cut at a character boundary to at most `room` UTF-8 bytes. */
function fit(message: string, room: number): string {
  if (message.length * 3 <= room) return message;
  const bytes = encoder.encode(message);
  if (bytes.length <= room) return message;
  let end = room;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // a continuation byte
  return decoder.decode(bytes.subarray(0, end));
}

/** What the request table needs from its connection. */
export interface InflightLink {
  /** Sends a frame (with descriptors), ignoring a connection that failed meanwhile. */
  send(frame: Frame, fds?: number[]): void;
  /** Whether FDS was negotiated on the connection. */
  fds(): boolean;
  /** The largest frame the client accepts. */
  peerMaxFrameSize(): number;
  /** A request was answered (the connection may now finish its goodbye). */
  answered(): void;
  /** The server's counters. */
  readonly stats: ServerStats;
  /** A handler threw something other than a RemoteError (the server's `onError`). */
  handlerError?(error: unknown, request: Message): void;
}

/** A request watched for diagnostics: what it called and when it arrived. */
interface Traced {
  method: string;
  at: number;
}

/** Whether anyone listens for the end of requests (checked when one arrives). */
function tracing(): boolean {
  return diagnostics.requestEnd.hasSubscribers || diagnostics.requestError.hasSubscribers;
}

/** The requests one connection is handling, by id. */
export class InflightRequests<C extends { readonly id: number }> {
  // The three tables are made on first use: an idle connection holds none.
  #inflight: IdMap<Context<C>> | undefined;
  readonly #connection: C;
  readonly #handler: RequestHandler<C>;
  readonly #link: InflightLink;
  /** Requests that arrived while someone listened for their end, by id. */
  #traced: Map<number, Traced> | undefined;
  /** The request objects handlers got, by id, kept only for `handlerError`. */
  #requests: Map<number, Message> | undefined;

  constructor(connection: C, handler: RequestHandler<C>, link: InflightLink) {
    this.#connection = connection;
    this.#handler = handler;
    this.#link = link;
  }

  /** Requests being handled right now. */
  get size(): number {
    return this.#inflight?.size ?? 0;
  }

  /** Runs the handler for `frame`; its result or error answers the request. */
  run(frame: RequestFrame): void {
    const id = frame.id;
    const ac = new Context(this.#connection);
    (this.#inflight ??= new IdMap()).set(id, ac);
    const stats = this.#link.stats;
    stats.requests++;
    stats.bytesReceived += frame.payload.length;
    if (diagnostics.requestStart.hasSubscribers) {
      diagnostics.requestStart.publish({
        connectionId: this.#connection.id,
        id,
        method: frame.method,
      });
    }
    if (tracing()) {
      (this.#traced ??= new Map()).set(id, { method: frame.method, at: performance.now() });
    }
    const fds = frame.fdCount ? fdsOf(frame) : undefined;
    const request = new Message(id, frame.method, frame.payload, fds);
    if (this.#link.handlerError) (this.#requests ??= new Map()).set(id, request);
    let result;
    try {
      result = this.#handler(request, ac);
    } catch (err) {
      if (fds) closeAll(fds);
      return this.#fail(id, ac, err);
    }
    if (result instanceof Promise) {
      result.then((value) => this.#reply(id, ac, value), (err) => this.#fail(id, ac, err))
        .finally(() => fds && closeAll(fds));
    } else {
      if (fds) closeAll(fds);
      this.#reply(id, ac, result);
    }
  }

  /** The client cancelled request `id`: abort its handler and answer `CANCELLED`. */
  cancel(id: number): void {
    const ac = this.#inflight?.get(id);
    if (!ac) return; // already answered; ignore
    this.#inflight!.delete(id);
    const reason = new RemoteError(ErrorCode.CANCELLED, "Request cancelled by the client");
    ac.abort(reason);
    this.#error(id, ErrorCode.CANCELLED, reason.message, reason);
    this.#link.answered();
  }

  /** The shutdown timed out: abort every handler and answer `SHUTTING_DOWN`. */
  terminate(): void {
    for (const [id, ac] of this.#inflight?.entries() ?? []) {
      const reason = new ConnectionClosedError("Server shutdown timed out");
      ac.abort(reason);
      this.#error(id, ErrorCode.SHUTTING_DOWN, reason.message, reason);
    }
    this.#inflight?.clear();
  }

  /** The connection closed: abort every handler with `reason`; nothing is answered. */
  abortAll(reason: Error): void {
    for (const ac of this.#inflight?.values() ?? []) ac.abort(reason);
    for (const id of this.#traced?.keys() ?? []) this.#ended(id, 0, reason);
    this.#inflight?.clear();
    this.#requests?.clear();
  }

  /**
   * Answers request `id` with an ERROR frame (its message cut to fit the
   * client's limit); `cause` is what failed, for diagnostics.
   */
  #error(id: number, code: number, message: string, cause: unknown): void {
    this.#link.stats.errors++;
    this.#ended(id, code, cause);
    message = fit(message, this.#link.peerMaxFrameSize() - 12);
    this.#link.send({ kind: "error", id, code, message });
  }

  /** Request `id` is over: publish its end (code 0: a response) or error. */
  #ended(id: number, code: number, error?: unknown): void {
    this.#requests?.delete(id);
    const traced = this.#traced?.get(id);
    if (traced === undefined) return;
    this.#traced!.delete(id);
    const message = {
      connectionId: this.#connection.id,
      id,
      method: traced.method,
      durationMs: performance.now() - traced.at,
    };
    if (code === 0) diagnostics.requestEnd.publish(message);
    else diagnostics.requestError.publish({ ...message, code, error });
  }

  #reply(id: number, ac: Context<C>, value: ResponseBody): void {
    if (this.#inflight?.get(id) !== ac) return; // cancelled, or the connection closed
    let payload;
    let fds: number[] | undefined;
    try {
      if (value !== null && typeof value === "object" && !(value instanceof Uint8Array)) {
        fds = prepareFds(value.fds, this.#link.fds(), "respond");
        payload = toBytes(value.payload, "respond");
      } else {
        payload = toBytes(value, "respond");
      }
    } catch (err) {
      for (const fd of fds ?? []) closeFd(fd);
      return this.#fail(id, ac, err);
    }
    this.#inflight.delete(id);
    if (payload.length + 10 > this.#link.peerMaxFrameSize()) {
      const message = `Response of ${payload.length} bytes exceeds the client's limit`;
      this.#error(id, ErrorCode.RESPONSE_TOO_LARGE, message, new RangeError(message));
      for (const fd of fds ?? []) closeFd(fd);
    } else if (fds) {
      this.#ended(id, 0);
      this.#link.stats.bytesSent += payload.length;
      this.#link.send({ kind: "response", id, payload, fdCount: fds.length }, fds);
    } else {
      this.#ended(id, 0);
      this.#link.stats.bytesSent += payload.length;
      this.#link.send({ kind: "response", id, payload });
    }
    this.#link.answered();
  }

  #fail(id: number, ac: Context<C>, err: unknown): void {
    if (this.#inflight?.get(id) !== ac) return;
    this.#inflight.delete(id);
    const remote = err instanceof RemoteError && Number.isInteger(err.code) && err.code > 0 &&
      err.code <= 0xffff;
    const message = err instanceof Error ? err.message : String(err);
    const request = this.#requests?.get(id);
    this.#error(id, remote ? (err as RemoteError).code : ErrorCode.HANDLER_ERROR, message, err);
    if (!remote && request !== undefined) {
      try {
        this.#link.handlerError?.(err, request);
      } catch {
        // onError's own failure is documented as ignored
      }
    }
    this.#link.answered();
  }
}
