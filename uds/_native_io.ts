// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: sending and receiving bytes with descriptors on a non-blocking
 * Unix socket, waiting on the shared poll loop when it would block.
 *
 * @module
 */
import { errors } from "../_ffi/errors.ts";
import { POLLIN, POLLOUT } from "../_ffi/constants.ts";
import { waitReady } from "../_ffi/poller.ts";
import {
  CHUNK,
  closeFd,
  receiveRights,
  sendBytes,
  sendRights,
  WOULD_BLOCK,
} from "../_ffi/socket.ts";
import { MSG_CTRUNC, MSG_TRUNC, SCM_MAX_FD } from "../_ffi/_socket_struct.ts";
import { ReceivedFd } from "./received_fd.ts";
import { spinUntil } from "./_spin.ts";

/** One message read from a socket: its bytes and the descriptors that came with them. */
export interface SocketMessage {
  /** The bytes. */
  data: Uint8Array;
  /** The descriptors, each owned until taken (see {@linkcode ReceivedFd}). */
  fds: ReceivedFd[];
}

/**
 * The InvalidData error of a message that could not be received whole, its
 * bytes in the error's `data`.
 */
function truncated(message: string, data: Uint8Array): Error {
  const err = new errors.InvalidData(message);
  Object.defineProperty(err, "data", { value: data, enumerable: true });
  return err;
}

/**
 * Why the control data of a receive is refused, or undefined when it is
 * fine: more descriptors than `maxFds` (MSG_CTRUNC: the kernel closed the
 * rest), or malformed. The one check of every native receive (streams here
 * and in uds/_spin_conn.ts, messages in uds/_message_io.ts).
 */
export function controlProblem(
  flags: number,
  fds: readonly number[],
  maxFds: number,
  malformed: string | undefined,
): string | undefined {
  // CMSG_SPACE rounds up: room for maxFds may hold one more, without MSG_CTRUNC.
  if ((flags & MSG_CTRUNC) !== 0 || fds.length > maxFds) {
    return `the message carried more descriptors than maxFds (${maxFds}) allows (MSG_CTRUNC)`;
  }
  if (malformed !== undefined) return `malformed control data: ${malformed}`;
  return undefined;
}

/**
 * The InvalidData error of a stream read refused for `why`: the descriptors
 * that arrived are closed; the bytes, if the caller has them, are in `data`.
 */
export function refuseStream(why: string, fds: readonly number[], data?: Uint8Array): Error {
  for (const n of fds) closeFd(n);
  const message = `Cannot receive: ${why}; the ${fds.length} descriptors that arrived were closed`;
  return data === undefined ? new errors.InvalidData(message) : truncated(message, data);
}

/**
 * Write all of `data` to `fd`, the descriptors attached to its first byte.
 * On a seqpacket socket the message goes out in one call (all or nothing).
 */
export async function sendAll(
  fd: number,
  data: Uint8Array,
  fds: readonly number[],
  seqpacket: boolean,
  signal: AbortSignal,
): Promise<void> {
  let at = 0;
  let rights = fds;
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const rest = at === 0 ? data : data.subarray(at);
    const n = rights.length > 0 ? sendRights(fd, rest, rights) : sendBytes(fd, rest);
    if (n === WOULD_BLOCK) {
      await waitReady(fd, POLLOUT, signal);
      continue;
    }
    rights = [];
    at += n;
    if (at >= data.length || seqpacket) return;
  }
}

/**
 * Read what is there (at most `maxBytes`, and `maxFds` descriptors), waiting
 * until something is; `null` at end-of-stream. A message with more
 * descriptors than `maxFds` (MSG_CTRUNC), or a seqpacket message longer than
 * `maxBytes` (MSG_TRUNC), is an InvalidData error (see truncated()), the
 * descriptors that did arrive closed.
 */
export async function receiveSome(
  fd: number,
  maxBytes: number,
  maxFds: number,
  signal: AbortSignal,
  spin = 0,
): Promise<SocketMessage | null> {
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const got = tryReceiveSome(fd, maxBytes, maxFds, spin);
    if (got !== WOULD_BLOCK) return got;
    await waitReady(fd, POLLIN, signal);
  }
}

/**
 * {@linkcode receiveSome} without the wait: what is there, after retrying
 * for up to `spin` µs, or WOULD_BLOCK.
 */
export function tryReceiveSome(
  fd: number,
  maxBytes: number,
  maxFds: number,
  spin: number,
): SocketMessage | null | typeof WOULD_BLOCK {
  let got = receiveRights(fd, maxBytes, maxFds);
  if (got === WOULD_BLOCK && spin > 0) {
    got = spinUntil(spin, () => receiveRights(fd, maxBytes, maxFds), WOULD_BLOCK);
  }
  if (got === WOULD_BLOCK) return WOULD_BLOCK;
  const why = controlProblem(got.flags, got.fds, maxFds, got.malformed) ??
    ((got.flags & MSG_TRUNC) !== 0
      ? `the message was longer than maxBytes (${maxBytes}) (MSG_TRUNC)`
      : undefined);
  if (why !== undefined) throw refuseStream(why, got.fds, got.data);
  if (got.data.length === 0 && got.fds.length === 0) return null;
  return { data: got.data, fds: got.fds.length === 0 ? [] : got.fds.map((n) => new ReceivedFd(n)) };
}

/** Send what the socket takes of `data` now: the bytes sent, or WOULD_BLOCK. */
export function trySend(fd: number, data: Uint8Array, fds: readonly number[]): number {
  return fds.length > 0 ? sendRights(fd, data, fds) : sendBytes(fd, data);
}

/** Check `maxBytes`/`maxFds` receive options. */
export function checkReceiveLimits(
  options: { maxBytes?: number; maxFds?: number },
): { maxBytes: number; maxFds: number } {
  const maxBytes = options.maxBytes ?? CHUNK;
  const maxFds = options.maxFds ?? SCM_MAX_FD;
  if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > CHUNK) {
    throw new RangeError(`Cannot receive: maxBytes ${maxBytes} is not an integer in 1..${CHUNK}`);
  }
  if (!Number.isInteger(maxFds) || maxFds < 0 || maxFds > SCM_MAX_FD) {
    throw new RangeError(`Cannot receive: maxFds ${maxFds} is not an integer in 0..${SCM_MAX_FD}`);
  }
  return { maxBytes, maxFds };
}
