// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: sending and receiving whole messages (seqpacket and datagram
 * sockets), waiting on the shared poll loop when the socket would block.
 *
 * A message longer than the receiver allows (`maxBytes`) is an error, never
 * a silent truncation: it is read once with `MSG_TRUNC`, which makes the
 * kernel report its real length, then DROPPED (the kernel cannot keep the
 * rest of a message), and `InvalidData` is thrown with the real length in
 * the message and the bytes that fitted in the error's `data`. Descriptors
 * that came with it are closed.
 *
 * @module
 */
import { errors } from "../_ffi/errors.ts";
import { POLLIN, POLLOUT } from "../_ffi/constants.ts";
import { waitReady } from "../_ffi/poller.ts";
import { closeFd } from "../_ffi/socket.ts";
import { receiveMessage, sendMessage, WOULD_BLOCK } from "../_ffi/message.ts";
import { SCM_MAX_FD } from "../_ffi/_socket_struct.ts";
import { ReceivedFd } from "./received_fd.ts";
import { controlProblem, type SocketMessage } from "./_native_io.ts";
import { spinUntil } from "./_spin.ts";

/** The most bytes one message receive may accept (`maxBytes`). */
export const MAX_MESSAGE = 16 * 1024 * 1024;
/** The default `maxBytes` of a message receive: more than a default socket buffer holds. */
export const DEFAULT_MAX_MESSAGE = 256 * 1024;

/** One message: bytes, descriptors, and the sender's address. */
export interface WholeMessage {
  /** The message's bytes. */
  data: Uint8Array;
  /** The descriptors that came with it, each owned until taken. */
  fds: ReceivedFd[];
  /**
   * The sender's bound address (`""` when it is unbound or connected-only,
   * or bound at a name that is not UTF-8: no string could name it back).
   */
  from: string;
}

/** Check `maxBytes`/`maxFds` options of a message receive. */
export function checkMessageLimits(
  options: { maxBytes?: number; maxFds?: number },
  defaultMax = DEFAULT_MAX_MESSAGE,
): { maxBytes: number; maxFds: number } {
  const maxBytes = options.maxBytes ?? defaultMax;
  const maxFds = options.maxFds ?? SCM_MAX_FD;
  if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > MAX_MESSAGE) {
    throw new RangeError(
      `Cannot receive: maxBytes ${maxBytes} is not an integer in 1..${MAX_MESSAGE}`,
    );
  }
  if (!Number.isInteger(maxFds) || maxFds < 0 || maxFds > SCM_MAX_FD) {
    throw new RangeError(`Cannot receive: maxFds ${maxFds} is not an integer in 0..${SCM_MAX_FD}`);
  }
  return { maxBytes, maxFds };
}

/** The InvalidData error of a message that could not be taken whole. */
function refused(why: string, data: Uint8Array, fds: number[]): Error {
  for (const n of fds) closeFd(n);
  const err = new errors.InvalidData(
    `Cannot receive: ${why}; the message was dropped and the ${fds.length} descriptors ` +
      "that came with it were closed",
  );
  Object.defineProperty(err, "data", { value: data, enumerable: true });
  return err;
}

/**
 * Receive one whole message, waiting (after spinning up to `spin` µs on
 * non-blocking reads) until one is there.
 */
export async function receiveWhole(
  fd: number,
  maxBytes: number,
  maxFds: number,
  signal: AbortSignal,
  spin = 0,
): Promise<WholeMessage> {
  for (;;) {
    if (signal.aborted) throw signal.reason;
    let got = receiveMessage(fd, maxBytes, maxFds);
    if (got === WOULD_BLOCK && spin > 0) {
      got = spinUntil(spin, () => receiveMessage(fd, maxBytes, maxFds), WOULD_BLOCK);
    }
    if (got === WOULD_BLOCK) {
      await waitReady(fd, POLLIN, signal);
      continue;
    }
    if (got.length > maxBytes) {
      throw refused(
        `the message has ${got.length} bytes, more than maxBytes (${maxBytes}) allows (MSG_TRUNC)`,
        got.data,
        got.fds,
      );
    }
    if (got.data.length < got.length) { // never a silent truncation
      throw refused(
        `only ${got.data.length} of its ${got.length} bytes were read`,
        got.data,
        got.fds,
      );
    }
    const why = controlProblem(got.flags, got.fds, maxFds, got.malformed);
    if (why !== undefined) throw refused(why, got.data, got.fds);
    return { data: got.data, fds: got.fds.map((n) => new ReceivedFd(n)), from: got.from };
  }
}

/**
 * Send one whole message (to `to`, or to the connected peer). A datagram
 * socket's writability does not reflect an unconnected receiver's full
 * queue, so after a wake-up that still finds no room it backs off on a
 * timer (1 ms, doubling to 16 ms) instead of spinning.
 */
export async function sendWhole(
  fd: number,
  data: Uint8Array,
  fds: readonly number[],
  to: { addr: Uint8Array; length: number } | undefined,
  object: string | undefined,
  signal: AbortSignal,
): Promise<void> {
  let nap = 0;
  for (;;) {
    if (signal.aborted) throw signal.reason;
    if (sendMessage(fd, data, fds, to, object) !== WOULD_BLOCK) return;
    if (nap > 0) {
      await new Promise((resolve) => setTimeout(resolve, nap));
      if (signal.aborted) throw signal.reason;
    }
    await waitReady(fd, POLLOUT, signal);
    nap = Math.min(Math.max(1, nap * 2), 16);
  }
}

/**
 * One seqpacket message; a zero-length read without descriptors is the end
 * of the stream (the kernel reports both the same way: a peer's empty
 * message cannot be told apart from its close).
 */
export async function receivePacket(
  fd: number,
  maxBytes: number,
  maxFds: number,
  signal: AbortSignal,
  spin: number,
): Promise<SocketMessage | null> {
  const got = await receiveWhole(fd, maxBytes, maxFds, signal, spin);
  if (got.data.length === 0 && got.fds.length === 0) return null;
  return { data: got.data, fds: got.fds };
}
