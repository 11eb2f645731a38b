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
import { lstat as fsLstat, mkdir, rmdir, unlink } from "node:fs/promises";
import type { Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import { check, cstring, libc } from "../_ffi/libc.ts";
import { O_CLOEXEC, O_NOFOLLOW, O_PATH, S_IFMT } from "../_ffi/constants.ts";
import { decodeStat, STAT_SIZE } from "../_ffi/struct.ts";
import { errors } from "../_ffi/errors.ts";
import { closeFd, socketLib } from "../_ffi/socket.ts";
import { encodeSockaddrUn, SOCK_DGRAM } from "../_ffi/_socket_struct.ts";
import { fsCall } from "./_os_error.ts";
import { probe, removeStale } from "./_socket_file.ts";
import { openSocket } from "./_native.ts";
import type { StreamConn, Transport } from "./transport.ts";

/** `S_IFSOCK`: the file type of a socket file. */
const S_IFSOCK = 0o140000;

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
  // Exact bits, whatever the umask; never through a link swapped in since bind.
  const ours = chmodSocketFile(path, mode);
  return async () => {
    const now = await fsLstat(absolute, { bigint: true }).catch(() => undefined);
    if (now && `${now.dev}:${now.ino}` === ours) await unlink(absolute).catch(() => {});
  };
}

/**
 * Set `mode` on the socket file at `path` without following anything put
 * there since bind (whoever may write the directory can rename a symbolic
 * link, or a hard link to another file, over it): through a descriptor that
 * names the file itself (`O_PATH | O_NOFOLLOW`), only when it is a socket.
 * Returns its device and inode (`"dev:ino"`).
 *
 * @throws {Deno.errors.AlreadyExists} When it is no longer a socket (nothing
 *   is changed or removed: it is not ours).
 */
function chmodSocketFile(path: string, mode: number): string {
  const fd = check(
    libc().open(cstring(path), O_PATH | O_NOFOLLOW | O_CLOEXEC, 0),
    "open",
    path,
  );
  try {
    const st = new Uint8Array(STAT_SIZE);
    check(libc().fstat(fd, st), "fstat", path);
    const found = decodeStat(st);
    if ((found.mode & S_IFMT) !== S_IFSOCK) {
      throw new errors.AlreadyExists(
        `Cannot bind "${path}": another file was put in place of the socket file ` +
          "before its mode was set (left alone)",
      );
    }
    check(libc().chmod(cstring(`/proc/self/fd/${fd}`), mode), "chmod", path);
    return found.id;
  } finally {
    closeFd(fd);
  }
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
