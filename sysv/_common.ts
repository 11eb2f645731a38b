// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: what every System V kind shares: checking keys and open options
 * before any syscall, the `*get` call with create / exclusive semantics, the
 * owner check on an existing object, `*ctl(IPC_STAT)` decoding, and errors
 * that name the object.
 *
 * @module
 */
import { backend, errnoError, errors, libc, readTextFile } from "../_ffi/mod.ts";
import {
  decodeIpcPerm,
  DS_MAX_SIZE,
  IPC_CREAT,
  IPC_EXCL,
  IPC_PRIVATE,
  IPC_RMID,
  IPC_STAT,
  readLong,
} from "../_ffi/_sysv_struct.ts";
import type { SysvOpenOptions, SysvStat, SysvWaitOptions } from "./types.ts";

/** The three kinds, as `/proc/sysvipc` and `ipcs` name them. */
export type SysvKind = "msg" | "shm" | "sem";

const EEXIST = 17;
const EIDRM = 43;
const EINVAL = 22;

/** What users call each kind, for messages. */
export const KIND_NAME: Readonly<Record<SysvKind, string>> = {
  msg: "System V message queue",
  shm: "System V shared memory",
  sem: "System V semaphore set",
};

/** `key 0x0000162e (id 32768)`: how messages name an object. */
export function label(key: number, id?: number): string {
  const k = key === IPC_PRIVATE
    ? "IPC_PRIVATE"
    : `key 0x${(key >>> 0).toString(16).padStart(8, "0")}`;
  return id === undefined ? k : `${k} (id ${id})`;
}

/** The errno error of a failed call on an object, with a hint for a removed one. */
export function sysvError(errno: number, call: string, object: string, hint?: string): Error {
  if (hint === undefined && (errno === EIDRM || errno === EINVAL)) {
    hint = "the object was removed, or an argument is out of range";
  }
  return errnoError(errno, call, object, hint);
}

/** Check a key: an integer that fits key_t (signed or unsigned 32-bit); returns it as int32. */
export function checkKey(key: unknown, action: string): number {
  if (typeof key !== "number") {
    throw new TypeError(`Cannot ${action}: key must be a number, got ${typeof key}`);
  }
  if (!Number.isInteger(key) || key < -0x8000_0000 || key > 0xffff_ffff) {
    throw new RangeError(`Cannot ${action}: key ${key} is not a 32-bit integer`);
  }
  return key | 0;
}

/** Check an optional boolean. */
export function boolean(action: string, what: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") {
    throw new TypeError(`Cannot ${action}: ${what} must be a boolean, got ${typeof value}`);
  }
  return value;
}

/** The argument checks every module shares (TypeError / RangeError before any syscall). */
export {
  checkOptions as options,
  checkSignal as signalOption,
  integerOption as integer,
} from "../mq/_options.ts";
import { integerOption as integer } from "../mq/_options.ts";
import { MAX_WAIT_MICROS } from "../_ffi/validate.ts";

/** Open options, checked. */
export interface ParsedOpen {
  key: number;
  create: boolean;
  exclusive: boolean;
  mode: number;
  allowOtherOwner: boolean;
}

/** Check the key and the options every kind shares. */
export function parseOpen(kind: SysvKind, key: unknown, o: SysvOpenOptions): ParsedOpen {
  const action = `open ${KIND_NAME[kind]}`;
  const k = checkKey(key, action);
  const exclusive = boolean(action, "exclusive", o.exclusive);
  if (exclusive && o.create === false) {
    throw new TypeError(`Cannot ${action}: "exclusive" needs "create"`);
  }
  return {
    key: k,
    create: boolean(action, "create", o.create) || exclusive || k === IPC_PRIVATE,
    exclusive,
    mode: integer(action, "mode", o.mode, 0, 0o777) ?? 0o600,
    allowOtherOwner: boolean(action, "allowOtherOwner", o.allowOtherOwner),
  };
}

/** Wait options, checked, with their defaults. */
export function parseWait(
  kind: SysvKind,
  o: SysvWaitOptions,
): { spin: number; poll: number; syncWait: number } {
  const action = `open ${KIND_NAME[kind]}`;
  return {
    // semaphore sets sleep in semtimedop instead (as a blocked C program does)
    spin: integer(action, "spin", o.spin, 0, MAX_WAIT_MICROS) ?? (kind === "sem" ? 0 : 50),
    poll: integer(action, "pollInterval", o.pollInterval, 1, 1000) ?? 10,
    syncWait: integer(action, "syncWait", o.syncWait, 0, MAX_WAIT_MICROS) ?? 200,
  };
}

/**
 * Call a `*get` function as the options say: exclusive create, create or
 * open, or open only. Returns the id and whether this call created it.
 * `get(flags)` returns the id or -1 (errno set).
 */
export function getObject(
  kind: SysvKind,
  parsed: ParsedOpen,
  get: (flags: number) => number,
  call: string,
): { id: number; created: boolean } {
  const object = `${KIND_NAME[kind]} ${label(parsed.key)}`;
  if (parsed.create) {
    const id = get(IPC_CREAT | IPC_EXCL | parsed.mode);
    if (id >= 0) return { id, created: true };
    const errno = backend().errno();
    if (errno !== EEXIST || parsed.exclusive) throw sysvError(errno, call, object);
  }
  const id = get(0);
  if (id < 0) throw sysvError(backend().errno(), call, object);
  return { id, created: false };
}

/** Read an object's `*_ds` struct with IPC_STAT; `ctl(id, cmd, buf)` returns -1 on failure. */
export function statDs(
  id: number,
  ctl: (id: number, cmd: number, buf: Uint8Array) => number,
  call: string,
  object: string,
): Uint8Array {
  const ds = new Uint8Array(DS_MAX_SIZE);
  if (ctl(id, IPC_STAT, ds) !== 0) throw sysvError(backend().errno(), call, object);
  return ds;
}

/**
 * Refuse an existing object that another user controls, unless allowed:
 * its owner (`ipc_perm.uid`) must be this process's uid, and so must its
 * creator (`ipc_perm.cuid`) unless that is root. A creator keeps every
 * right over the object (IPC_SET, IPC_RMID) whoever owns it, so a squatter
 * can create the key's object first, hand it to us with IPC_SET, and still
 * change its mode, read what is sent, or remove it.
 */
export function checkOwner(kind: SysvKind, ds: Uint8Array, object: string, allow: boolean): void {
  if (allow) return;
  const { uid, cuid } = decodeIpcPerm(ds);
  const euid = libc().geteuid();
  const hint = "(pass allowOtherOwner: true to use it anyway)";
  if (uid !== euid) {
    throw new errors.PermissionDenied(
      `Cannot open ${KIND_NAME[kind]} ${object}: it is owned by uid ${uid}${userName(uid)}, ` +
        `not by this process's uid ${euid} ${hint}`,
    );
  }
  if (cuid !== euid && cuid !== 0) {
    throw new errors.PermissionDenied(
      `Cannot open ${KIND_NAME[kind]} ${object}: it was created by uid ${cuid}${userName(cuid)}, ` +
        `who can still change or remove it, not by this process's uid ${euid} ${hint}`,
    );
  }
}

/** ` ("name")` for a uid found in /etc/passwd, or "". */
export function userName(uid: number): string {
  try {
    for (const line of readTextFile("/etc/passwd").split("\n")) {
      const [name, , id] = line.split(":");
      if (Number(id) === uid && id !== "") return ` (${name})`;
    }
  } catch {
    // no passwd: the uid alone
  }
  return "";
}

/** Seconds since the epoch as a Date, or null for 0 ("never"). */
export function time(seconds: number): Date | null {
  return seconds === 0 ? null : new Date(seconds * 1000);
}

/** The fields of {@linkcode SysvStat} from a `*_ds` struct whose ctime is at `ctimeAt`. */
export function baseStat(ds: Uint8Array, id: number, ctimeAt: number): SysvStat {
  const perm = decodeIpcPerm(ds);
  return {
    key: perm.key,
    id,
    uid: perm.uid,
    gid: perm.gid,
    creatorUid: perm.cuid,
    creatorGid: perm.cgid,
    mode: perm.mode,
    changed: new Date(readLong(ds, ctimeAt) * 1000),
  };
}

/** Remove an object with `ctl(id, IPC_RMID)`. */
export function removeObject(
  id: number,
  ctl: (id: number, cmd: number) => number,
  call: string,
  object: string,
): void {
  if (ctl(id, IPC_RMID) !== 0) throw sysvError(backend().errno(), call, object);
}

/** A BadResource error for a closed handle. */
export function closedError(kind: SysvKind, action: string, object: string): Error {
  return new errors.BadResource(`Cannot ${action} ${KIND_NAME[kind]} ${object}: it is closed`);
}

/** The error pending waits reject with when their handle closes. */
export function waitClosedError(kind: SysvKind, object: string): Error {
  return new errors.BadResource(`Cannot wait: ${KIND_NAME[kind]} ${object} was closed`);
}

/**
 * The error of a message taken whose type (a C long another program sent)
 * is beyond Number.MAX_SAFE_INTEGER: it carries the exact type and the bytes.
 */
export function unsafeTypeError(object: string, type: bigint, data: Uint8Array): RangeError {
  const err = new RangeError(
    `Cannot receive from ${KIND_NAME.msg} ${object}: the message's type ${type} is larger than ` +
      "Number.MAX_SAFE_INTEGER (another program sent it); the message was taken from the queue: " +
      'its exact type (a bigint) and its bytes are this error\'s "type" and "data"',
  );
  Object.defineProperties(err, {
    type: { value: type, enumerable: true },
    data: { value: data, enumerable: true },
  });
  return err;
}

/**
 * A kernel limit: field `field` (from 0) of `/proc/sys/kernel/<file>`, a
 * positive decimal, read on first use and kept; `fallback` (the kernel's
 * default) when the file cannot be read or the field is not one.
 */
export function kernelLimit(file: string, field: number, fallback: number): () => number {
  let value: number | undefined;
  return () => {
    if (value !== undefined) return value;
    try {
      const text = readTextFile(`/proc/sys/kernel/${file}`).trim().split(/\s+/)[field] ?? "";
      const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
      value = Number.isSafeInteger(n) && n > 0 ? n : fallback;
    } catch {
      value = fallback;
    }
    return value;
  };
}
