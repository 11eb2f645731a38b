// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Socket activation: the listening sockets a service manager (systemd, or
 * any launcher following `sd_listen_fds(3)`) bound and passed in.
 *
 * @module
 */
import { check, libc } from "../_ffi/libc.ts";
import { errors } from "../_ffi/errors.ts";
import { getEnv, unsetEnv } from "../_ffi/env.ts";
import { host } from "../_ffi/host.ts";
import { socketLib } from "../_ffi/socket.ts";
import { AF_UNIX, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM } from "../_ffi/_socket_struct.ts";
import { describeSocket } from "./_message_adopt.ts";
import { checkServeOptions } from "./_serve_options.ts";
import type { Handler, ServeOptions } from "./types.ts";

/** The first inherited descriptor (`SD_LISTEN_FDS_START`). */
const FIRST = 3;
const F_GETFD = 1;
const F_SETFD = 2;
const FD_CLOEXEC = 1;
/** An unsigned decimal: ASCII digits only, no sign, space, point, exponent or base prefix. */
const DECIMAL = /^[0-9]+$/;

/** One descriptor passed by socket activation. */
export interface ActivatedSocket {
  /** The descriptor (3, 4, …); owned by whoever serves on it or adopts it. */
  readonly fd: number;
  /** Its name from `LISTEN_FDNAMES` (systemd's `FileDescriptorName=`), or `"unknown"`. */
  readonly name: string;
  /** `"unix"` for a Unix socket, `"other"` for anything else (TCP, a FIFO…). */
  readonly family: "unix" | "other";
  /** The socket type: `"stream"`, `"seqpacket"`, `"datagram"`, or `"other"`. */
  readonly type: "stream" | "seqpacket" | "datagram" | "other";
  /** Whether it is a listening socket (`SO_ACCEPTCONN`). */
  readonly listening: boolean;
}

let taken: ActivatedSocket[] | undefined;
let refused: Error | undefined;
const claimed = new Set<number>();

function kind(fd: number): Pick<ActivatedSocket, "family" | "type" | "listening"> {
  try {
    const { domain, type, listening } = describeSocket(fd, "take an activated socket");
    const name = type === SOCK_STREAM
      ? "stream"
      : type === SOCK_SEQPACKET
      ? "seqpacket"
      : type === SOCK_DGRAM
      ? "datagram"
      : "other";
    return { family: domain === AF_UNIX ? "unix" : "other", type: name, listening };
  } catch (err) {
    if (err instanceof errors.InvalidData) {
      return { family: "other", type: "other", listening: false };
    }
    throw err;
  }
}

/**
 * The descriptors passed by socket activation, as `sd_listen_fds(1)` takes
 * them: only when `LISTEN_PID` is this process (else none: they were meant
 * for a parent that exec-ed us; a `LISTEN_PID` that is not a plain unsigned
 * decimal such as `"1234"`, e.g. `" 1234"`, `"0x4d2"` or `"1234.0"`, names
 * no process and takes none either); descriptors `3 … 3+LISTEN_FDS−1`, each
 * made close-on-exec and named from `LISTEN_FDNAMES`. `LISTEN_PID`,
 * `LISTEN_FDS` and `LISTEN_FDNAMES` are removed from the environment the
 * first time (child processes must not take them again); later calls return
 * the same list.
 *
 * Each socket is described (family, type, listening) through `getsockopt`
 * (`SO_DOMAIN`, `SO_TYPE`, `SO_ACCEPTCONN`); serve on one with
 * `serve({ activation: name })` or `serve({ fd })`, or adopt it with
 * `UnixListener.fromFd`/`UnixDatagram.fromFd`.
 *
 * Requires `--allow-env --allow-ffi` permission.
 * NOTE: This API is only available on Linux.
 *
 * @returns The activated sockets (empty when not socket-activated).
 * @throws {Deno.errors.InvalidData} When `LISTEN_FDS` is set for this process but is not a
 *   plain unsigned decimal (`"2"`; not `" 2"`, `"+2"`, `"0x2"`, `"2e0"` or `"2.0"`) up to 65536,
 *   or (on Deno) counts more descriptors than were inherited: one of them is close-on-exec.
 * @throws {Deno.errors.BadResource} When a descriptor it announces is not open.
 *
 * @example Not socket-activated: nothing inherited
 * ```ts
 * import assert from "node:assert/strict";
 * import { listenFds } from "@ipc/linux/uds";
 *
 * Deno.env.set("LISTEN_PID", "1"); // for another process: not ours to take
 * Deno.env.set("LISTEN_FDS", "1");
 * assert.deepEqual(listenFds(), []);
 * assert.equal(Deno.env.get("LISTEN_FDS"), undefined); // removed all the same
 * ```
 */
export function listenFds(): readonly ActivatedSocket[] {
  if (refused) throw refused;
  if (taken) return taken;
  try {
    return taken = takeFds();
  } catch (err) {
    throw refused = err as Error; // the variables are gone: the same answer every time
  }
}

function takeFds(): ActivatedSocket[] {
  const pid = getEnv("LISTEN_PID");
  const count = getEnv("LISTEN_FDS");
  const names = getEnv("LISTEN_FDNAMES");
  for (const name of ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"]) unsetEnv(name);
  // Plain unsigned decimals only (what a launcher writes): Number()
  // would also take " 123", "0x7b", "1e3" or "123.0". A LISTEN_PID that is
  // not one names no process, so none of this is ours (as for another pid).
  if (pid === undefined || count === undefined) return [];
  if (!DECIMAL.test(pid) || Number(pid) !== libc().getpid()) return [];
  const n = Number(count);
  if (!DECIMAL.test(count) || n > 65536) {
    throw new errors.InvalidData(
      `Cannot take activated sockets: LISTEN_FDS="${count}" is not a count`,
    );
  }
  // On Deno a descriptor that crossed exec has close-on-exec clear; one that
  // has it set was opened by this process (the runtime's own), counted
  // because LISTEN_FDS says more than were passed. All are checked before
  // any is touched. (Node.js and Bun set the flag on all at startup.)
  const strict = host().inheritedKeepExecFlag;
  const flags: number[] = [];
  for (let fd = FIRST; fd < FIRST + n; fd++) {
    const got = check(socketLib().fcntl(fd, F_GETFD, 0), "fcntl", fd);
    if (strict && (got & FD_CLOEXEC) !== 0) {
      throw new errors.InvalidData(
        `Cannot take activated sockets: LISTEN_FDS=${n}, but descriptor ${fd} was not inherited ` +
          "(it is close-on-exec: this process opened it)",
      );
    }
    flags.push(got);
  }
  const labels = names?.split(":") ?? [];
  const found: ActivatedSocket[] = [];
  for (let fd = FIRST; fd < FIRST + n; fd++) {
    check(socketLib().fcntl(fd, F_SETFD, flags[fd - FIRST]! | FD_CLOEXEC), "fcntl", fd);
    found.push({ fd, name: labels[fd - FIRST] || "unknown", ...kind(fd) });
  }
  return found;
}

/**
 * Claim the activated listening Unix socket named `name` (or, for `true`,
 * the first stream or seqpacket one not claimed yet) for a server.
 *
 * @throws {Deno.errors.NotFound} When there is no such socket.
 * @throws {Deno.errors.InvalidData} When the named one is not a listening Unix stream or seqpacket socket.
 */
export function claimActivated(name: string | true): number {
  const all = listenFds();
  const usable = (s: ActivatedSocket) =>
    s.family === "unix" && s.listening && (s.type === "stream" || s.type === "seqpacket");
  const socket = name === true
    ? all.find((s) => usable(s) && !claimed.has(s.fd))
    : all.find((s) => s.name === name && !claimed.has(s.fd));
  if (!socket) {
    throw new errors.NotFound(
      `Cannot serve an activated socket: ${name === true ? "none" : `none named "${name}"`} ` +
        `was passed (LISTEN_FDS/LISTEN_PID; got ${all.map((s) => s.name).join(", ") || "none"})`,
    );
  }
  if (!usable(socket)) {
    throw new errors.InvalidData(
      `Cannot serve activated socket "${socket.name}" (fd ${socket.fd}): it is a ${socket.family} ` +
        `${socket.type} socket${socket.listening ? "" : " not listening"}, not a listening Unix ` +
        "stream or seqpacket socket",
    );
  }
  claimed.add(socket.fd);
  return socket.fd;
}

/**
 * `serve`'s `activation` option: the options with `fd` set to the claimed
 * socket (every other option checked first, before any syscall).
 */
export function resolveActivation(options: ServeOptions, handler: Handler): ServeOptions {
  const activation = options?.activation;
  if (activation === undefined || activation === false) return options;
  if (activation !== true && (typeof activation !== "string" || activation === "")) {
    throw new TypeError("Cannot serve: activation must be true or a socket name");
  }
  if (options.fd !== undefined) {
    throw new TypeError("Cannot serve: give either activation or fd, not both");
  }
  checkServeOptions({ ...options, fd: 0 }, handler);
  return { ...options, fd: claimActivated(activation) };
}
