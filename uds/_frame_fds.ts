// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: descriptors riding with frames (the FDS feature, PROTOCOL.md §6).
 * A connection that can carry them (the native transport) queues what it
 * receives; each frame with a descriptor count claims that many from the
 * front of the queue, and hands them on through {@linkcode fdsOf}.
 *
 * @module
 */
import { errors } from "../_ffi/errors.ts";
import { closeFd, socketLib } from "../_ffi/socket.ts";
import { check } from "../_ffi/libc.ts";
import { MAX_FRAME_FDS } from "../protocol/mod.ts";
import { type FdLike, fdNumbers, type ReceivedFd } from "./received_fd.ts";
import type { StreamConn } from "./transport.ts";

/** A connection that can carry descriptors. */
export interface FdConn extends StreamConn {
  /** Descriptors received and not claimed by a frame yet, oldest first. */
  readonly fdQueue: ReceivedFd[];
  /** Keep received descriptors (once FDS is negotiated); until then they are closed on arrival. */
  keepFds: boolean;
  /** Writes `data` with `fds` attached to its first byte; returns the bytes written. */
  writeWithFds(data: Uint8Array, fds: readonly number[]): Promise<number>;
}

/** Whether `conn` can carry descriptors. */
export function canCarryFds(conn: StreamConn): conn is FdConn {
  return typeof (conn as Partial<FdConn>).writeWithFds === "function";
}

const byFrame = new WeakMap<object, ReceivedFd[]>();

/**
 * Move `count` descriptors from the front of `conn`'s queue to `frame`.
 * False when fewer are queued (the frame is malformed).
 */
export function claimFds(conn: StreamConn, frame: object, count: number): boolean {
  if (!canCarryFds(conn) || conn.fdQueue.length < count) return false;
  byFrame.set(frame, conn.fdQueue.splice(0, count));
  return true;
}

/** The descriptors that came with `frame` (none: empty); the caller owns them from now on. */
export function fdsOf(frame: object): ReceivedFd[] {
  const fds = byFrame.get(frame);
  if (fds === undefined) return [];
  byFrame.delete(frame);
  return fds;
}

/** Close each descriptor that was not taken. */
export function closeAll(fds: readonly ReceivedFd[]): void {
  for (const fd of fds) fd.close();
}

/**
 * Check the descriptors a caller wants to send and duplicate them (so the
 * caller may close its own as soon as the call returns); the writer closes
 * the duplicates once written or dropped.
 *
 * @throws {TypeError|RangeError} For bad or too many descriptors.
 * @throws {Deno.errors.NotSupported} When FDS is not negotiated (`enabled` false).
 */
export function prepareFds(
  fds: readonly FdLike[] | undefined,
  enabled: boolean,
  action: string,
): number[] | undefined {
  const numbers = fdNumbers(fds, action);
  if (numbers.length === 0) return undefined;
  if (numbers.length > MAX_FRAME_FDS) {
    throw new RangeError(
      `Cannot ${action}: ${numbers.length} descriptors, at most ${MAX_FRAME_FDS}`,
    );
  }
  if (!enabled) {
    throw new errors.NotSupported(
      `Cannot ${action} with descriptors: the connection did not negotiate the FDS feature ` +
        '(both ends need transport: "native")',
    );
  }
  const dups: number[] = [];
  try {
    for (const fd of numbers) dups.push(check(socketLib().fcntl(fd, 1030, 0), "fcntl", fd));
  } catch (err) {
    for (const fd of dups) closeFd(fd);
    throw err;
  }
  return dups;
}

const byReply = new WeakMap<Uint8Array, ReceivedFd[]>();

/** Keep the descriptors of a RESPONSE with its payload, for {@linkcode takeReplyFds}. */
export function keepReplyFds(payload: Uint8Array, fds: ReceivedFd[]): void {
  byReply.set(payload, fds);
}

/** The descriptors that came with a response payload (none: empty); the caller owns them. */
export function takeReplyFds(payload: Uint8Array): ReceivedFd[] {
  const fds = byReply.get(payload) ?? [];
  byReply.delete(payload);
  return fds;
}
