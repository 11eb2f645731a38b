// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the syscalls behind {@linkcode UnixSocket} and its listener —
 * open, bind, listen, connect, accept, credentials — all non-blocking, with
 * waits on the shared poll loop (no thread per socket, nothing pending when
 * idle).
 *
 * @module
 */
import { decodeSunPath } from "../_ffi/message.ts";
import { backend, check, libc } from "../_ffi/libc.ts";
import { errnoError } from "../_ffi/errno.ts";
import { errors } from "../_ffi/errors.ts";
import { POLLIN, POLLOUT, SOL_SOCKET } from "../_ffi/constants.ts";
import { waitReady } from "../_ffi/poller.ts";
import { closeFd, socketLib } from "../_ffi/socket.ts";
import {
  AF_UNIX,
  EAGAIN,
  EINPROGRESS,
  EINTR,
  encodeSockaddrUn,
  SO_ACCEPTCONN,
  SO_ERROR,
  SO_TYPE,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_SEQPACKET,
  SOCK_STREAM,
  SOMAXCONN,
} from "../_ffi/_socket_struct.ts";

/** The kind of a Unix socket: a byte stream, or messages with boundaries. */
export type SocketType = "stream" | "seqpacket";

const F_GETFL = 3;
const F_SETFL = 4;
const O_NONBLOCK = 0o4000;

/** The `SOCK_*` constant of a {@linkcode SocketType}, checked. */
export function socketTypeOf(type: unknown, action: string): number {
  if (type === undefined || type === "stream") return SOCK_STREAM;
  if (type === "seqpacket") return SOCK_SEQPACKET;
  throw new TypeError(
    `Cannot ${action}: type ${JSON.stringify(type)} is not "stream" or "seqpacket"`,
  );
}

/** A new non-blocking, close-on-exec Unix socket. */
export function openSocket(type: number): number {
  return check(socketLib().socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), "socket");
}

/** A connected pair (`socketpair(2)`), non-blocking and close-on-exec. */
export function openPair(type: number): [number, number] {
  const sv = new Int32Array(2);
  check(
    socketLib().socketpair(
      AF_UNIX,
      type | SOCK_NONBLOCK | SOCK_CLOEXEC,
      0,
      new Uint8Array(sv.buffer),
    ),
    "socketpair",
  );
  return [sv[0]!, sv[1]!];
}

/** Bind `fd` to `path` (a file or an abstract name) and listen. */
export function bindAndListen(fd: number, path: string, backlog = SOMAXCONN): void {
  const { addr, length } = encodeSockaddrUn(path);
  check(socketLib().bind(fd, addr, length), "bind", path);
  check(socketLib().listen(fd, backlog), "listen", path);
}

/**
 * Connect a new socket to `path`. A full backlog is `WouldBlock` (as with
 * `Deno.connect`); a path nobody listens on is `ConnectionRefused`.
 */
export async function connectTo(path: string, type: number, signal: AbortSignal): Promise<number> {
  const { addr, length } = encodeSockaddrUn(path);
  const fd = openSocket(type);
  try {
    if (socketLib().connect(fd, addr, length) !== 0) {
      const errno = backend().errno();
      if (errno !== EINPROGRESS && errno !== EINTR) throw errnoError(errno, "connect", path);
      await waitReady(fd, POLLOUT, signal);
      const error = socketOption(fd, SO_ERROR, "SO_ERROR");
      if (error !== 0) throw errnoError(error, "connect", path);
    }
    return fd;
  } catch (err) {
    closeFd(fd);
    throw err;
  }
}

/** Accept one connection (non-blocking, close-on-exec), waiting for it. */
export async function acceptFrom(fd: number, signal: AbortSignal): Promise<number> {
  for (;;) {
    if (signal.aborted) throw signal.reason;
    const conn = socketLib().accept4(fd, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (conn >= 0) return conn;
    const errno = backend().errno();
    if (errno !== EAGAIN && errno !== EINTR) throw errnoError(errno, "accept4", fd);
    await waitReady(fd, POLLIN, signal);
  }
}

/** An integer socket option (`getsockopt` at SOL_SOCKET). */
export function socketOption(fd: number, option: number, name: string): number {
  const out = new Int32Array(1);
  const len = new Uint32Array([4]);
  check(
    libc().getsockopt(
      fd,
      SOL_SOCKET,
      option,
      new Uint8Array(out.buffer),
      new Uint8Array(len.buffer),
    ),
    "getsockopt",
    name,
  );
  return out[0]!;
}

/**
 * Check that `fd` is a Unix socket this library can adopt (listening or not,
 * as `listening` says) and make it non-blocking; returns its `SOCK_*` type.
 *
 * @throws {Deno.errors.BadResource} When it is not an open descriptor.
 * @throws {Deno.errors.InvalidData} When it is not such a socket.
 */
export function adoptSocket(fd: number, listening: boolean, action: string): number {
  return adoptSocketAt(fd, listening, action).type;
}

/**
 * {@linkcode adoptSocket}, also returning the path the socket is bound to
 * (an abstract name starts with `"\0"`; empty when unbound).
 */
export function adoptSocketAt(
  fd: number,
  listening: boolean,
  action: string,
): { type: number; path: string } {
  if (!Number.isInteger(fd) || fd < 0) {
    throw new TypeError(`Cannot ${action}: ${String(fd)} is not a descriptor`);
  }
  let type: number;
  let accepting: number;
  try {
    type = socketOption(fd, SO_TYPE, "SO_TYPE");
    accepting = socketOption(fd, SO_ACCEPTCONN, "SO_ACCEPTCONN");
  } catch (err) {
    if ((err as { code?: string }).code === "ENOTSOCK") {
      throw new errors.InvalidData(`Cannot ${action}: descriptor ${fd} is not a socket`);
    }
    throw err;
  }
  const family = new Uint8Array(new ArrayBuffer(128));
  const len = new Uint32Array([128]);
  check(socketLib().getsockname(fd, family, new Uint8Array(len.buffer)), "getsockname", fd);
  if ((family[0]! | (family[1]! << 8)) !== AF_UNIX) {
    throw new errors.InvalidData(`Cannot ${action}: descriptor ${fd} is not a Unix socket`);
  }
  if (type !== SOCK_STREAM && type !== SOCK_SEQPACKET) {
    throw new errors.InvalidData(`Cannot ${action}: socket ${fd} is neither stream nor seqpacket`);
  }
  if ((accepting !== 0) !== listening) {
    throw new errors.InvalidData(
      `Cannot ${action}: socket ${fd} is ${accepting ? "" : "not "}a listening socket`,
    );
  }
  const flags = check(socketLib().fcntl(fd, F_GETFL, 0), "fcntl", fd);
  if ((flags & O_NONBLOCK) === 0) {
    check(socketLib().fcntl(fd, F_SETFL, flags | O_NONBLOCK), "fcntl", fd);
  }
  return { type, path: decodeSunPath(family, len[0]!) };
}
