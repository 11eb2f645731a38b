// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * What every mechanism checks before it trusts a named object someone else
 * may have made: /dev/shm is world-writable (and queue names are global), so
 * another user can create any name first. An existing object must be a
 * regular file of the size its kind needs, owned by this process's effective
 * uid unless the caller allows another owner; and the permission bits a
 * caller asks for are checked by one rule.
 *
 * @module
 */
import { check, libc } from "./libc.ts";
import { errnoError, errnoName } from "./errno.ts";
import { errors } from "./errors.ts";
import { EISDIR, ELOOP, ENXIO, S_IFMT, S_IFREG } from "./constants.ts";
import { decodeStat, STAT_SIZE } from "./struct.ts";

/**
 * Check permission bits: a TypeError for a non-number, a RangeError outside
 * 0..0o777 (no setuid, setgid or sticky bits). `action` completes
 * "Cannot …" in the message.
 */
export function checkMode(mode: unknown, action: string): number {
  if (typeof mode !== "number") {
    throw new TypeError(`Cannot ${action}: mode must be a number, got ${typeof mode}`);
  }
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    throw new RangeError(`Cannot ${action}: mode ${mode} is not in 0..0o777`);
  }
  return mode;
}

/** Check the `allowOtherOwner` option: a boolean, false when absent. */
export function checkAllowOtherOwner(value: unknown, action: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") {
    throw new TypeError(`Cannot ${action}: allowOtherOwner must be a boolean, got ${typeof value}`);
  }
  return value;
}

/** What {@linkcode inspect} found out about an open descriptor. */
export interface Inspected {
  /** Size in bytes. */
  size: number;
  /** The owner's uid. */
  uid: number;
  /** Whether a process of another uid may write it (another owner, or group/other write bits). */
  othersMayWrite: boolean;
  /** Device and inode, as a string. */
  id: string;
  /** When its status last changed (`st_ctim`), in ms since the epoch. */
  ctimeMs: number;
}

/** How {@linkcode inspect} checks a descriptor. */
export interface InspectOptions {
  /** The smallest size the kind of object needs (0: any). */
  minSize?: number;
  /** Skip the owner check. */
  allowOtherOwner?: boolean;
  /** Skip the file type check (a message queue descriptor is not a regular file). */
  anyType?: boolean;
}

/**
 * fstat an object this process has just opened and check it before anything
 * maps or trusts it: a regular file (InvalidData otherwise), at least
 * `minSize` bytes (InvalidData), owned by the effective uid unless
 * `allowOtherOwner` (PermissionDenied naming the owner).
 *
 * @param fd The open descriptor.
 * @param what The object for messages, e.g. `semaphore "/lock"`.
 */
export function inspect(fd: number, what: string, options: InspectOptions = {}): Inspected {
  const st = new Uint8Array(STAT_SIZE);
  check(libc().fstat(fd, st), "fstat", what);
  const { size, mode, uid, id, ctimeMs } = decodeStat(st);
  if (!options.anyType && (mode & S_IFMT) !== S_IFREG) {
    throw new errors.InvalidData(
      `Cannot open ${what}: it is not a regular file (file type 0o${(mode & S_IFMT).toString(8)})`,
    );
  }
  const minSize = options.minSize ?? 0;
  if (size < minSize) {
    throw new errors.InvalidData(
      `Cannot open ${what}: its size ${size} is smaller than the ${minSize} bytes it needs`,
    );
  }
  const euid = libc().geteuid();
  if (!options.allowOtherOwner) {
    if (uid !== euid) {
      throw new errors.PermissionDenied(
        `Cannot open ${what}: it is owned by uid ${uid}, not by this process's effective uid ${euid} ` +
          "(another user may have created the name first; pass allowOtherOwner: true to trust it)",
      );
    }
  }
  return { size, uid, id, ctimeMs, othersMayWrite: uid !== euid || (mode & 0o022) !== 0 };
}

/**
 * The error of a failed open of an existing object: InvalidData when the
 * name holds something that is not a file (a symbolic link refused by
 * O_NOFOLLOW, a directory, a socket or device), else the errno error.
 *
 * @param errno The errno of the failed open.
 * @param call The C function, e.g. `"shm_open"`.
 * @param posix The object's name.
 * @param what The object for messages, e.g. `semaphore "/lock"`.
 */
export function openError(errno: number, call: string, posix: string, what: string): Error {
  const kind = errno === ELOOP
    ? "a symbolic link"
    : errno === EISDIR
    ? "a directory"
    : errno === ENXIO
    ? "a socket or device"
    : undefined;
  if (kind === undefined) return errnoError(errno, call, posix);
  const err = new errors.InvalidData(
    `Cannot open ${what}: its name holds ${kind}, not a regular file (${errnoName(errno)})`,
  );
  Object.defineProperty(err, "code", { value: errnoName(errno), enumerable: true });
  return err;
}
