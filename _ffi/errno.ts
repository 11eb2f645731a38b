// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * errno → `Deno.errors.*` (or {@linkcode OsError}) with `code` set to the
 * errno name and a Deno-style message naming the call and the object:
 * `No such file or directory (os error 2): mq_open "/jobs"`.
 *
 * @module
 */
import { ERRNO_TABLE } from "./_errno_table.ts";
import { type ErrorClassName, errors, OsError } from "./errors.ts";

const BY_NUMBER = new Map(ERRNO_TABLE.map(([n, name, msg]) => [n, { name, msg }]));
const BY_NAME = new Map(ERRNO_TABLE.map(([n, name]) => [name, n]));

const CLASS_OF: Readonly<Record<string, ErrorClassName>> = {
  ENOENT: "NotFound",
  ESRCH: "NotFound",
  EEXIST: "AlreadyExists",
  EACCES: "PermissionDenied",
  EPERM: "PermissionDenied",
  EAGAIN: "WouldBlock",
  EINTR: "Interrupted",
  ETIMEDOUT: "TimedOut",
  EBUSY: "Busy",
  EBADF: "BadResource",
  ENOSYS: "NotSupported",
  EOPNOTSUPP: "NotSupported",
  EPIPE: "BrokenPipe",
  EADDRINUSE: "AddrInUse",
  ECONNREFUSED: "ConnectionRefused",
  ECONNRESET: "ConnectionReset",
  ENOTCONN: "NotConnected",
  EISDIR: "IsADirectory",
  ENOTDIR: "NotADirectory",
  ELOOP: "FilesystemLoop",
};

/** The errno name for a number, e.g. 2 → `"ENOENT"` (`"E<n>"` if unknown). */
export function errnoName(errno: number): string {
  return BY_NUMBER.get(errno)?.name ?? `E${errno}`;
}

/** The errno number for a name, e.g. `"ENOENT"` → 2. */
export function errnoNumber(name: string): number | undefined {
  return BY_NAME.get(name);
}

/**
 * Build the error for a failed call.
 *
 * @param errno The errno value read right after the call.
 * @param call The C function that failed, e.g. `"mq_open"`.
 * @param object What it was called on, e.g. a queue name; quoted in the message.
 * @param hint Optional extra sentence, e.g. which system limit was exceeded.
 */
export function errnoError(
  errno: number,
  call: string,
  object?: string | number,
  hint?: string,
): Error {
  const known = BY_NUMBER.get(errno);
  const code = known?.name ?? `E${errno}`;
  const text = known?.msg ?? `Unknown error ${errno}`;
  const target = object === undefined ? "" : ` ${JSON.stringify(String(object))}`;
  const message = `${text} (os error ${errno}): ${call}${target}${hint ? `: ${hint}` : ""}`;
  const className = CLASS_OF[code];
  const err = className === undefined
    ? new OsError(message, errno, code)
    : new errors[className](message);
  Object.defineProperty(err, "code", { value: code, enumerable: true });
  Object.defineProperty(err, "errno", { value: errno, enumerable: true });
  return err;
}
