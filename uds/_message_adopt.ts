// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: checking a descriptor before owning it as a Unix socket of a
 * given type (inherited, received, or passed by socket activation):
 * `SO_DOMAIN`, `SO_TYPE` and `SO_ACCEPTCONN` through `getsockopt`, then
 * made non-blocking.
 *
 * @module
 */
import { errors } from "../_ffi/errors.ts";
import {
  AF_UNIX,
  SO_ACCEPTCONN,
  SO_TYPE,
  SOCK_DGRAM,
  SOCK_SEQPACKET,
  SOCK_STREAM,
} from "../_ffi/_socket_struct.ts";
import { adoptSocketAt, socketOption } from "./_native.ts";
import { check } from "../_ffi/libc.ts";
import { socketLib } from "../_ffi/socket.ts";
import { decodeSunPath } from "../_ffi/message.ts";

/** `SO_DOMAIN` (socket(7)): the address family of a socket. */
const SO_DOMAIN = 39;

const NAMES: Record<number, string> = {
  [SOCK_STREAM]: "stream",
  [SOCK_DGRAM]: "datagram",
  [SOCK_SEQPACKET]: "seqpacket",
};

/** The family, type and listening state of socket `fd` (InvalidData when not a socket). */
export function describeSocket(
  fd: number,
  action: string,
): { domain: number; type: number; listening: boolean } {
  if (!Number.isInteger(fd) || fd < 0) {
    throw new TypeError(`Cannot ${action}: ${String(fd)} is not a descriptor`);
  }
  try {
    return {
      domain: socketOption(fd, SO_DOMAIN, "SO_DOMAIN"),
      type: socketOption(fd, SO_TYPE, "SO_TYPE"),
      listening: socketOption(fd, SO_ACCEPTCONN, "SO_ACCEPTCONN") !== 0,
    };
  } catch (err) {
    if ((err as { code?: string }).code === "ENOTSOCK") {
      throw new errors.InvalidData(`Cannot ${action}: descriptor ${fd} is not a socket`);
    }
    throw err;
  }
}

/** The name of a `SOCK_*` type, for messages. */
export function typeName(type: number): string {
  return NAMES[type] ?? `type ${type}`;
}

/**
 * Check that `fd` is a Unix datagram socket (`type` SOCK_DGRAM), make it
 * non-blocking, and return the address it is bound to.
 */
export function adoptMessageSocket(fd: number, type: number, action: string): { path: string } {
  const found = describeSocket(fd, action);
  if (found.domain !== AF_UNIX) {
    throw new errors.InvalidData(`Cannot ${action}: descriptor ${fd} is not a Unix socket`);
  }
  if (found.type !== type) {
    throw new errors.InvalidData(
      `Cannot ${action}: socket ${fd} is a ${typeName(found.type)} socket, not ${typeName(type)}`,
    );
  }
  if (type !== SOCK_DGRAM) return { path: adoptSocketAt(fd, found.listening, action).path };
  return { path: boundPath(fd) };
}

const F_GETFL = 3;
const F_SETFL = 4;
const O_NONBLOCK = 0o4000;

/** Make `fd` non-blocking and return its bound address. */
function boundPath(fd: number): string {
  const flags = check(socketLib().fcntl(fd, F_GETFL, 0), "fcntl", fd);
  if ((flags & O_NONBLOCK) === 0) {
    check(socketLib().fcntl(fd, F_SETFL, flags | O_NONBLOCK), "fcntl", fd);
  }
  const addr = new Uint8Array(new ArrayBuffer(128));
  const len = new Uint32Array([128]);
  check(socketLib().getsockname(fd, addr, new Uint8Array(len.buffer)), "getsockname", fd);
  return decodeSunPath(addr, len[0]!);
}
