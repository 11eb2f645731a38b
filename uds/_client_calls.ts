// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: what {@linkcode Client.request}, `requestWithFds`, `notify` and
 * `ping` do on the client's {@linkcode ClientLink}: check the arguments, wait for
 * a usable connection (and for its write queue to drain) only when there
 * is none, pass descriptors as duplicates, and send.
 *
 * @module
 */
import type { ClientLink } from "./_client_link.ts";
import type { FramedConnection } from "./_connection.ts";
import { methodLength as checkMethod } from "../protocol/mod.ts";
import { ConnectionClosedError } from "./errors.ts";
import { toBytes } from "./handler.ts";
import { closeAll, prepareFds, takeReplyFds } from "./_frame_fds.ts";
import { fdNumbers } from "./received_fd.ts";
import { closeFd } from "../_ffi/socket.ts";
import type { NotifyOptions, ReplyWithFds, RequestOptions } from "./_client_options.ts";

/** {@linkcode Client.request}: not an async function, so the fast path saves its promise hops. */
export function request(
  link: ClientLink,
  method: string,
  payload: Uint8Array | string,
  options: RequestOptions,
): Promise<Uint8Array> {
  if (options.fds !== undefined) {
    return requestWithFds(link, method, payload, options).then(({ payload, fds }) => {
      closeAll(fds); // descriptors a reply brought back are closed: nobody asked for them
      return payload;
    });
  }
  try {
    if (typeof method !== "string") {
      throw new TypeError("Cannot request: method must be a string");
    }
    const bytes = toBytes(payload, "request");
    const methodLength = checkMethod(method);
    const signal = options.signal;
    signal?.throwIfAborted();
    const stats = link.calls.stats;
    stats.requests++;
    stats.bytesSent += bytes.length;
    const fc = link.usable();
    if (fc && !fc.congested) return send(link, fc, method, methodLength, bytes, signal);
    return requestSlowly(link, method, methodLength, bytes, signal);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** {@linkcode Client.requestWithFds}. */
export async function requestWithFds(
  link: ClientLink,
  method: string,
  payload: Uint8Array | string,
  options: RequestOptions,
): Promise<ReplyWithFds> {
  if (typeof method !== "string") throw new TypeError("Cannot request: method must be a string");
  const bytes = toBytes(payload, "request");
  const methodLength = checkMethod(method);
  const signal = options.signal;
  signal?.throwIfAborted();
  fdNumbers(options.fds, "request"); // bad descriptors fail before any wait
  const stats = link.calls.stats;
  stats.requests++;
  stats.bytesSent += bytes.length;
  const fc = link.usable() ?? await link.ready(signal);
  if (fc.congested) await link.drain(fc, signal);
  const fds = prepareFds(options.fds, fc.fds, "request");
  let reply: Promise<Uint8Array>;
  try {
    reply = link.calls.requests.send(fc, method, methodLength, bytes, signal, fds);
  } catch (err) {
    for (const fd of fds ?? []) closeFd(fd);
    throw err;
  }
  const answer = await reply;
  return { payload: answer, fds: takeReplyFds(answer) };
}

/** A request that waits for the connection, or for its write queue to drain. */
async function requestSlowly(
  link: ClientLink,
  method: string,
  methodLength: number,
  bytes: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const fc = link.usable() ?? await link.ready(signal);
  if (fc.congested) {
    await link.drain(fc, signal);
    if (fc.closed) throw fc.reason ?? new ConnectionClosedError("Connection closed");
  }
  return await send(link, fc, method, methodLength, bytes, signal);
}

/**
 * Send a request without descriptors of its own on `fc`. On an FDS
 * connection, descriptors a reply brings back are closed: nobody asked for them.
 */
function send(
  link: ClientLink,
  fc: FramedConnection,
  method: string,
  methodLength: number,
  bytes: Uint8Array,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  return link.calls.requests.send(fc, method, methodLength, bytes, signal, undefined, fc.fds);
}

/** {@linkcode Client.notify}. */
export async function notify(
  link: ClientLink,
  method: string,
  payload: Uint8Array | string,
  options: NotifyOptions,
): Promise<void> {
  const bytes = toBytes(payload, "notify");
  fdNumbers(options.fds, "notify"); // bad descriptors fail before any wait
  let fc = link.fc;
  if (link.state !== "ready" || !fc) fc = await link.ready();
  if (fc.congested) await fc.writer.drain();
  link.calls.stats.bytesSent += bytes.length;
  const fds = prepareFds(options.fds, fc.fds, "notify");
  try {
    await fc.notify(method, bytes, fds);
  } catch (err) {
    // Not queued (a bad method, a frame over the limit): the duplicates are ours to close.
    if (fds && !(err instanceof ConnectionClosedError)) { for (const fd of fds) closeFd(fd); }
    throw err;
  }
}

/** {@linkcode Client.ping}: the round-trip time in milliseconds. */
export async function ping(link: ClientLink, options: RequestOptions): Promise<number> {
  const fc = await link.ready(options.signal);
  const start = performance.now();
  await link.calls.pings.send(fc, options.signal);
  return performance.now() - start;
}
