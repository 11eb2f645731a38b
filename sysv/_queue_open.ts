// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: opening a System V message queue by key or by id: the checks,
 * `msgget` with create / exclusive semantics, the owner check, and the
 * `msg_qbytes` limit of a queue this call creates.
 *
 * @module
 */
import { libc } from "../_ffi/mod.ts";
import { decodeIpcPerm, IPC_RMID } from "../_ffi/_sysv_struct.ts";
import {
  checkOwner,
  getObject,
  integer,
  KIND_NAME,
  options,
  parseOpen,
  parseWait,
  statDs,
  sysvError,
} from "./_common.ts";
import { msgctl, QueueIo } from "./_queue_io.ts";
import type { SysvQueueOptions, SysvWaitOptions } from "./types.ts";

const ACTION = "open System V message queue";
const EACCES = 13;

/** What a SysvMessageQueue is made of. */
export interface OpenedQueue {
  io: QueueIo;
  created: boolean;
  wait: { spin: number; poll: number; syncWait: number };
}

/** Open (or create) the queue of `key`; see `SysvMessageQueue.open`. */
export function openQueue(key: number, options_: SysvQueueOptions): OpenedQueue {
  const o = options<SysvQueueOptions>(ACTION, options_);
  const parsed = parseOpen("msg", key, o);
  const wait = parseWait("msg", o);
  const maxBytes = integer(ACTION, "maxBytes", o.maxBytes, 0, 0x7fff_ffff);
  const lib = libc();
  const { id, created } = getObject("msg", parsed, (f) => lib.msgget(parsed.key, f), "msgget");
  const io = new QueueIo(id, parsed.key);
  if (created) {
    try {
      if (maxBytes !== undefined) io.setMaxBytes(maxBytes);
    } catch (err) {
      msgctl(id, IPC_RMID); // do not leave a half-made queue behind
      throw err;
    }
  } else {
    const ds = readableDs(id, io.object, parsed.allowOtherOwner);
    if (ds !== undefined) checkOwner("msg", ds, io.object, parsed.allowOtherOwner);
  }
  return { io, created, wait };
}

/**
 * The queue's IPC_STAT, or undefined when its mode lets this user send but
 * not read (a "drop box", mode 0622) and `allowOtherOwner` is set: the
 * owner check is waived then, and IPC_STAT needs read permission.
 */
function readableDs(id: number, object: string, allowOtherOwner: boolean): Uint8Array | undefined {
  try {
    return statDs(id, msgctl, "msgctl", object);
  } catch (err) {
    if ((err as { code?: string }).code !== "EACCES") throw err;
    if (allowOtherOwner) return undefined;
    throw sysvError(
      EACCES,
      "msgctl",
      object,
      "its owner cannot be checked (pass allowOtherOwner: true to send to a queue this user " +
        "may write to but not read)",
    );
  }
}

/** Open the queue `id`; see `SysvMessageQueue.openById`. */
export function openQueueById(
  id: number,
  options_: SysvWaitOptions & { allowOtherOwner?: boolean },
): OpenedQueue {
  const o = options<SysvWaitOptions & { allowOtherOwner?: boolean }>(ACTION, options_);
  integer(ACTION, "id", id, 0, 0x7fff_ffff);
  const wait = parseWait("msg", o);
  const parsed = parseOpen("msg", 0, { allowOtherOwner: o.allowOtherOwner });
  const ds = readableDs(id, `${KIND_NAME.msg} id ${id}`, parsed.allowOtherOwner);
  // a queue this user may not read: its key is unknown (0)
  const io = new QueueIo(id, ds === undefined ? 0 : decodeIpcPerm(ds).key);
  if (ds !== undefined) checkOwner("msg", ds, io.object, parsed.allowOtherOwner);
  return { io, created: false, wait };
}
