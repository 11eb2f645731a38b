// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * System V IPC constants and struct layouts (`ipc_perm`, `msqid_ds`,
 * `shmid_ds`, `semid_ds`, `sembuf`) as DataView codecs, for glibc on Linux
 * LP64 (x86_64 and aarch64 share these layouts). Checked against the C
 * headers by `tests/_ffi/_sysv_struct_test.ts`.
 *
 * @module
 */
import { view } from "./struct.ts";

/** Key that always makes a new object, reachable only through its id. */
export const IPC_PRIVATE = 0;
/** Create the object if the key has none. */
export const IPC_CREAT = 0o1000;
/** With IPC_CREAT: fail with EEXIST if the key has an object. */
export const IPC_EXCL = 0o2000;
/** Return EAGAIN / ENOMSG instead of sleeping. */
export const IPC_NOWAIT = 0o4000;
/** `*ctl` command: remove the object. */
export const IPC_RMID = 0;
/** `*ctl` command: set owner, mode (and msg_qbytes) from the struct. */
export const IPC_SET = 1;
/** `*ctl` command: read the `*_ds` struct. */
export const IPC_STAT = 2;
/** msgrcv: truncate a message longer than the buffer instead of failing with E2BIG. */
export const MSG_NOERROR = 0o10000;
/** shmat: attach read-only. */
export const SHM_RDONLY = 0o10000;
/** sembuf.sem_flg: undo the operation when the process exits. */
export const SEM_UNDO = 0x1000;
/** semctl: pid of the last semop on one semaphore. */
export const GETPID = 11;
/** semctl: one semaphore's value. */
export const GETVAL = 12;
/** semctl: every semaphore's value (unsigned short array). */
export const GETALL = 13;
/** semctl: how many processes wait for a semaphore to increase. */
export const GETNCNT = 14;
/** semctl: how many processes wait for a semaphore to become zero. */
export const GETZCNT = 15;
/** semctl: set one semaphore's value. */
export const SETVAL = 16;
/** semctl: set every semaphore's value (unsigned short array). */
export const SETALL = 17;
/** The largest semaphore value (SEMVMX). */
export const SEMVMX = 32767;

/** Size of `struct ipc_perm`. */
export const IPC_PERM_SIZE = 48;
/** Size of `struct msqid_ds`. */
export const MSQID_DS_SIZE = 120;
/** Size of `struct shmid_ds`. */
export const SHMID_DS_SIZE = 112;
/** Size of `struct semid_ds`. */
export const SEMID_DS_SIZE = 104;
/** Size of `struct sembuf` { unsigned short sem_num; short sem_op; short sem_flg; }. */
export const SEMBUF_SIZE = 6;
/** Size of the `long mtype` that leads every message buffer. */
export const MTYPE_SIZE = 8;
/** The largest `ds` struct: one buffer fits every kind. */
export const DS_MAX_SIZE = MSQID_DS_SIZE;

/** Field offsets, in bytes (checked against C). */
export const OFFSETS = {
  perm_key: 0,
  perm_uid: 4,
  perm_gid: 8,
  perm_cuid: 12,
  perm_cgid: 16,
  perm_mode: 20,
  msg_stime: 48,
  msg_rtime: 56,
  msg_ctime: 64,
  msg_cbytes: 72,
  msg_qnum: 80,
  msg_qbytes: 88,
  msg_lspid: 96,
  msg_lrpid: 100,
  shm_segsz: 48,
  shm_atime: 56,
  shm_dtime: 64,
  shm_ctime: 72,
  shm_cpid: 80,
  shm_lpid: 84,
  shm_nattch: 88,
  sem_otime: 48,
  sem_ctime: 64,
  sem_nsems: 80,
} as const;

/** `struct ipc_perm`, as every `*_ds` struct begins. */
export interface IpcPerm {
  /** The key the object was made with (0 for IPC_PRIVATE). */
  key: number;
  /** Owner's user id. */
  uid: number;
  /** Owner's group id. */
  gid: number;
  /** Creator's user id. */
  cuid: number;
  /** Creator's group id. */
  cgid: number;
  /** Permission bits (the low 9 bits of the mode). */
  mode: number;
}

/** Decode the `ipc_perm` at the start of a `*_ds` struct. */
export function decodeIpcPerm(bytes: Uint8Array): IpcPerm {
  const v = view(bytes);
  return {
    key: v.getInt32(OFFSETS.perm_key, true),
    uid: v.getUint32(OFFSETS.perm_uid, true),
    gid: v.getUint32(OFFSETS.perm_gid, true),
    cuid: v.getUint32(OFFSETS.perm_cuid, true),
    cgid: v.getUint32(OFFSETS.perm_cgid, true),
    mode: v.getUint32(OFFSETS.perm_mode, true) & 0o777,
  };
}

/** Write the owner and mode of an `ipc_perm` (what IPC_SET changes). */
export function encodeIpcPermOwner(
  bytes: Uint8Array,
  uid: number,
  gid: number,
  mode: number,
): void {
  const v = view(bytes);
  v.setUint32(OFFSETS.perm_uid, uid, true);
  v.setUint32(OFFSETS.perm_gid, gid, true);
  v.setUint32(OFFSETS.perm_mode, mode, true);
}

/** Read a `long` / `time_t` / `size_t` field as a number. */
export function readLong(bytes: Uint8Array, offset: number): number {
  return Number(view(bytes).getBigInt64(offset, true));
}

/** Read an `int` / `pid_t` field. */
export function readInt(bytes: Uint8Array, offset: number): number {
  return view(bytes).getInt32(offset, true);
}

/** Write a `long` field (msg_qbytes for IPC_SET). */
export function writeLong(bytes: Uint8Array, offset: number, value: number): void {
  view(bytes).setBigInt64(offset, BigInt(value), true);
}

/** Write the `struct sembuf` at index `i` of an array. */
export function writeSembuf(
  out: Uint8Array,
  i: number,
  num: number,
  op: number,
  flags: number,
): void {
  const v = view(out);
  v.setUint16(i * SEMBUF_SIZE, num, true);
  v.setInt16(i * SEMBUF_SIZE + 2, op, true);
  v.setInt16(i * SEMBUF_SIZE + 4, flags, true);
}
