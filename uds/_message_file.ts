// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: binding a datagram socket to a socket file under the rules of
 * stream socket files (uds/_socket_file.ts): mode 0o600 by default with no
 * umask window, a stale file replaced, a live socket or any other file never
 * (`AlreadyExists`), and the file removed on close only while it is still
 * ours.
 *
 * A datagram socket must be bound at its final path (receivers see that name
 * as `from` and reply to it), so the bind-elsewhere-then-link trick of stream
 * sockets does not apply. Instead the socket's own inode gets the mode BEFORE
 * bind (`fchmod` on the unbound socket: Linux creates the file with those
 * bits, minus the umask), and the exact mode is set right after.
 *
 * @module
 */
import { chmod, lstat as fsLstat, mkdir, rmdir, unlink } from "node:fs/promises";
import type { Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import { check, libc } from "../_ffi/libc.ts";
import { errors } from "../_ffi/errors.ts";
import { closeFd, socketLib } from "../_ffi/socket.ts";
import { encodeSockaddrUn, SOCK_DGRAM } from "../_ffi/_socket_struct.ts";
import { fsCall } from "./_os_error.ts";
import { probe, removeStale } from "./_socket_file.ts";
import { openSocket } from "./_native.ts";
import type { StreamConn, Transport } from "./transport.ts";

/** Connect datagram socket `fd` to `path` (refused when nobody is bound there). */
export function connectDatagram(fd: number, path: string): void {
  const { addr, length } = encodeSockaddrUn(path);
  check(socketLib().connect(fd, addr, length), "connect", path);
}

/** A transport whose `connect` only probes whether a datagram socket is bound at a path. */
const probing: Transport = {
  listen: () => Promise.reject(new TypeError("Cannot listen on a datagram socket")),
  connect(address) {
    const fd = openSocket(SOCK_DGRAM);
    try {
      connectDatagram(fd, address.transport === "unix" ? address.path : "");
    } finally {
      closeFd(fd);
    }
    return Promise.resolve({ close() {} } as StreamConn);
  },
};

function bindOnce(fd: number, path: string): boolean {
  const { addr, length } = encodeSockaddrUn(path);
  try {
    check(socketLib().bind(fd, addr, length), "bind", path);
    return true;
  } catch (err) {
    if (err instanceof errors.AddrInUse) return false;
    throw err;
  }
}

/**
 * Bind datagram socket `fd` at `path` (a file or an abstract name) with
 * permission bits `mode`; returns how to remove the file on close.
 */
export async function bindDatagram(
  fd: number,
  path: string,
  mode: number,
): Promise<() => Promise<void>> {
  if (path.startsWith("\0")) {
    if (!bindOnce(fd, path)) {
      throw new errors.AlreadyExists(
        `Address in use: a socket is bound to abstract name ${JSON.stringify(path)}`,
      );
    }
    return () => Promise.resolve();
  }
  const absolute = resolve(path);
  check(libc().fchmod(fd, mode), "fchmod", path); // the file is born with these bits
  for (let attempt = 0;; attempt++) {
    if (bindOnce(fd, path)) break;
    if (attempt === 8) {
      throw new errors.AlreadyExists(`Address in use: "${path}" stayed taken`);
    }
    const stale = await probe(probing, path); // AlreadyExists when live or not a socket
    if (stale) await removeStaleFile(path, stale);
  }
  let ours: Stats;
  try {
    await fsCall("chmod", path, () => chmod(path, mode)); // exact bits, whatever the umask
    ours = await fsCall("lstat", path, () => fsLstat(path));
  } catch (err) {
    await unlink(path).catch(() => {});
    throw err;
  }
  return async () => {
    const now = await fsLstat(absolute).catch(() => undefined);
    if (now && now.ino === ours.ino && now.dev === ours.dev) await unlink(absolute).catch(() => {});
  };
}

/** {@linkcode removeStale} with a private directory next to `path` for the move. */
async function removeStaleFile(path: string, stale: Stats): Promise<void> {
  const random = crypto.getRandomValues(new Uint8Array(4));
  const dir = `${dirname(path)}/.ipc${
    [...random].map((b) => b.toString(16).padStart(2, "0")).join("")
  }`;
  await fsCall("mkdir", dir, () => mkdir(dir, { mode: 0o700 }));
  try {
    await removeStale(path, stale, dir);
  } finally {
    await rmdir(dir).catch(() => {});
  }
}
