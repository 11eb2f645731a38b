// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: opening a System V shared memory segment by key or by id (the
 * checks, `shmget` with create / exclusive semantics, the owner check, the
 * `shmat` attachment) and decoding its `shmctl(IPC_STAT)`.
 *
 * @module
 */
import { libc } from "../_ffi/mod.ts";
import { decodeIpcPerm, OFFSETS, readInt, readLong } from "../_ffi/_sysv_struct.ts";
import { Attachment } from "./_attachment.ts";
import {
  baseStat,
  boolean,
  checkOwner,
  getObject,
  integer,
  KIND_NAME,
  label,
  options,
  parseOpen,
  statDs,
  time,
} from "./_common.ts";
import type { SysvSharedMemoryOptions, SysvSharedMemoryStat } from "./types.ts";

const SHM_DEST = 0o1000;
const ACTION = "open System V shared memory";

/** shmctl as the shared helpers take it. */
export function shmctl(id: number, cmd: number, buf: Uint8Array | null = null): number {
  return libc().shmctl(id, cmd, buf);
}

/** What a SysvSharedMemory is made of. */
export interface OpenedSegment {
  id: number;
  key: number;
  object: string;
  attachment: Attachment;
  readOnly: boolean;
  created: boolean;
}

/** Get (and optionally create) the segment of `key` and attach it; see `SysvSharedMemory.open`. */
export function openSegment(key: number, options_: SysvSharedMemoryOptions): OpenedSegment {
  const o = options<SysvSharedMemoryOptions>(ACTION, options_);
  const parsed = parseOpen("shm", key, o);
  const size = integer(ACTION, "size", o.size, 1, Number.MAX_SAFE_INTEGER);
  const readOnly = boolean(ACTION, "readOnly", o.readOnly);
  if (parsed.create && size === undefined) {
    throw new TypeError(`Cannot ${ACTION}: "size" is needed to create a segment`);
  }
  const lib = libc();
  const { id, created } = getObject(
    "shm",
    parsed,
    (flags) => lib.shmget(parsed.key, flags === 0 ? size ?? 0 : size!, flags),
    "shmget",
  );
  return attach(id, parsed.key, readOnly, created, parsed.allowOtherOwner);
}

/** Attach the segment `id`; see `SysvSharedMemory.openById`. */
export function openSegmentById(
  id: number,
  options_: { readOnly?: boolean; allowOtherOwner?: boolean },
): OpenedSegment {
  const o = options<{ readOnly?: boolean; allowOtherOwner?: boolean }>(ACTION, options_);
  integer(ACTION, "id", id, 0, 0x7fff_ffff);
  const readOnly = boolean(ACTION, "readOnly", o.readOnly);
  const allow = boolean(ACTION, "allowOtherOwner", o.allowOtherOwner);
  return attach(id, undefined, readOnly, false, allow);
}

function attach(
  id: number,
  key: number | undefined,
  readOnly: boolean,
  created: boolean,
  allowOtherOwner: boolean,
): OpenedSegment {
  const ds = statDs(
    id,
    shmctl,
    "shmctl",
    `${KIND_NAME.shm} ${key === undefined ? `id ${id}` : label(key, id)}`,
  );
  const realKey = key ?? decodeIpcPerm(ds).key;
  const object = label(realKey, id);
  if (!created) checkOwner("shm", ds, object, allowOtherOwner);
  const size = readLong(ds, OFFSETS.shm_segsz);
  const attachment = Attachment.attach(id, size, readOnly, `${KIND_NAME.shm} ${object}`);
  return { id, key: realKey, object, attachment, readOnly, created };
}

/** IPC_STAT of the segment `id`, decoded. */
export function segmentStat(id: number, object: string): SysvSharedMemoryStat {
  const ds = statDs(id, shmctl, "shmctl", `${KIND_NAME.shm} ${object}`);
  return {
    ...baseStat(ds, id, OFFSETS.shm_ctime),
    size: readLong(ds, OFFSETS.shm_segsz),
    attachments: readLong(ds, OFFSETS.shm_nattch),
    creatorPid: readInt(ds, OFFSETS.shm_cpid),
    lastPid: readInt(ds, OFFSETS.shm_lpid),
    lastAttach: time(readLong(ds, OFFSETS.shm_atime)),
    lastDetach: time(readLong(ds, OFFSETS.shm_dtime)),
    removed: (readInt(ds, OFFSETS.perm_mode) & SHM_DEST) !== 0,
  };
}
