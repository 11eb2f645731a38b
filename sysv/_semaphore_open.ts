// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: opening a System V semaphore set by key or by id: the checks,
 * `semget` with create / exclusive semantics, the owner check, and the
 * initial values of a set this call creates.
 *
 * @module
 */
import { libc } from "../_ffi/mod.ts";
import {
  decodeIpcPerm,
  IPC_PRIVATE,
  IPC_RMID,
  OFFSETS,
  readLong,
  SEMVMX,
} from "../_ffi/_sysv_struct.ts";
import {
  checkOwner,
  getObject,
  integer,
  KIND_NAME,
  label,
  options,
  parseOpen,
  parseWait,
  statDs,
} from "./_common.ts";
import { markInitialized, SemaphoreIo, semctl, semStat, waitInitialized } from "./_semaphore_io.ts";
import type { SysvSemaphoreOptions, SysvWaitOptions } from "./types.ts";

const ACTION = "open System V semaphore set";

/** What a SysvSemaphoreSet is made of. */
export interface OpenedSet {
  io: SemaphoreIo;
  key: number;
  created: boolean;
  wait: { spin: number; poll: number; syncWait: number };
}

function parseWaits(o: SysvWaitOptions): OpenedSet["wait"] {
  return parseWait("sem", o);
}

/** Open (or create) the set of `key`; see `SysvSemaphoreSet.open`. */
export function openSet(key: number, options_: SysvSemaphoreOptions): OpenedSet {
  const o = options<SysvSemaphoreOptions>(ACTION, options_);
  const parsed = parseOpen("sem", key, o);
  const wait = parseWaits(o);
  const count = integer(ACTION, "count", o.count, 1, 32000);
  const value = integer(ACTION, "value", o.value, 0, SEMVMX) ?? 0;
  if (parsed.create && count === undefined) {
    throw new TypeError(`Cannot ${ACTION}: "count" is needed to create a set`);
  }
  const lib = libc();
  const { id, created } = getObject(
    "sem",
    parsed,
    (flags) => lib.semget(parsed.key, flags === 0 ? 0 : count!, flags),
    "semget",
  );
  const set = fromId(id, parsed.key, created, parsed.allowOtherOwner, wait);
  if (count !== undefined && set.io.count < count) {
    throw new RangeError(
      `Cannot ${ACTION} ${label(parsed.key, id)}: it has ${set.io.count} semaphores, not ${count}`,
    );
  }
  if (created && value !== 0) {
    try {
      set.io.setAll(new Array(set.io.count).fill(value));
    } catch (err) {
      semctl(id, IPC_RMID); // do not leave a half-made set behind
      throw err;
    }
  }
  // The values are in place: say so to openers that race with this creation
  // (a set under IPC_PRIVATE has none: only its id, handed out later, reaches it).
  if (created && parsed.key !== IPC_PRIVATE) markInitialized(id);
  else if (!created && parsed.create) waitInitialized(id);
  return set;
}

/** Open the set `id`; see `SysvSemaphoreSet.openById`. */
export function openSetById(
  id: number,
  options_: SysvWaitOptions & { allowOtherOwner?: boolean },
): OpenedSet {
  const o = options<SysvWaitOptions & { allowOtherOwner?: boolean }>(
    ACTION,
    options_,
  );
  integer(ACTION, "id", id, 0, 0x7fff_ffff);
  const wait = parseWaits(o);
  const allow = parseOpen("sem", 0, { allowOtherOwner: o.allowOtherOwner }).allowOtherOwner;
  return fromId(id, undefined, false, allow, wait);
}

function fromId(
  id: number,
  key: number | undefined,
  created: boolean,
  allowOtherOwner: boolean,
  wait: OpenedSet["wait"],
): OpenedSet {
  const named = key === undefined ? `id ${id}` : label(key, id);
  const ds = statDs(id, semStat, "semctl", `${KIND_NAME.sem} ${named}`);
  const realKey = key ?? decodeIpcPerm(ds).key;
  const object = label(realKey, id);
  if (!created) checkOwner("sem", ds, object, allowOtherOwner);
  const io = new SemaphoreIo(id, readLong(ds, OFFSETS.sem_nsems), object);
  return { io, key: realKey, created, wait };
}
