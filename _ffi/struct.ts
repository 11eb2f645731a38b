// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * C struct layouts as small DataView codecs (Linux, LP64: x86_64 and
 * aarch64). Each codec reads or writes a caller-owned Uint8Array so hot paths
 * can reuse one buffer.
 *
 * @module
 */
import { ARCH } from "./constants.ts";

/** A little-endian-capable DataView over exactly the bytes of `bytes`. */
export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `struct mq_attr` { long mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs; long __pad[4]; }. */
export interface MqAttr {
  /** 0 or O_NONBLOCK. */
  flags: number;
  /** Maximum number of messages on the queue. */
  maxMessages: number;
  /** Maximum message size in bytes. */
  messageSize: number;
  /** Messages currently on the queue. */
  currentMessages: number;
}

/** Size of `struct mq_attr`. */
export const MQ_ATTR_SIZE = 64;

/** Encode a `struct mq_attr`. */
export function encodeMqAttr(attr: MqAttr, out = new Uint8Array(MQ_ATTR_SIZE)): Uint8Array {
  const v = view(out);
  v.setBigInt64(0, BigInt(attr.flags), true);
  v.setBigInt64(8, BigInt(attr.maxMessages), true);
  v.setBigInt64(16, BigInt(attr.messageSize), true);
  v.setBigInt64(24, BigInt(attr.currentMessages), true);
  return out;
}

/** Decode a `struct mq_attr`. */
export function decodeMqAttr(bytes: Uint8Array): MqAttr {
  const v = view(bytes);
  return {
    flags: Number(v.getBigInt64(0, true)),
    maxMessages: Number(v.getBigInt64(8, true)),
    messageSize: Number(v.getBigInt64(16, true)),
    currentMessages: Number(v.getBigInt64(24, true)),
  };
}

/** Size of `struct timespec` { time_t tv_sec; long tv_nsec; }. */
export const TIMESPEC_SIZE = 16;

/** Encode a `struct timespec` from milliseconds (relative or absolute). */
export function encodeTimespec(ms: number, out = new Uint8Array(TIMESPEC_SIZE)): Uint8Array {
  const v = view(out);
  const sec = Math.floor(ms / 1000);
  v.setBigInt64(0, BigInt(sec), true);
  v.setBigInt64(8, BigInt(Math.round((ms - sec * 1000) * 1e6)), true);
  return out;
}

/** Size of `struct futex_waitv` { u64 val; u64 uaddr; u32 flags; u32 __reserved; }. */
export const FUTEX_WAITV_SIZE = 24;

/**
 * Write entry `index` of a `struct futex_waitv` vector: wait while the word
 * at `address` holds `value`.
 */
export function writeFutexWaitv(
  vector: DataView,
  index: number,
  value: number,
  address: number,
  flags: number,
): void {
  const at = index * FUTEX_WAITV_SIZE;
  vector.setBigUint64(at, BigInt(value >>> 0), true);
  vector.setBigUint64(at + 8, BigInt(address), true);
  vector.setUint32(at + 16, flags, true);
}

/** Size of `struct stat`. */
export const STAT_SIZE = 144;

/** The fields of `struct stat` this library uses. */
export interface Stat {
  /** File type and permission bits. */
  mode: number;
  /** Owner user id. */
  uid: number;
  /** Size in bytes. */
  size: number;
  /** Device and inode, as one string: equal for two names of the same file. */
  id: string;
  /** Device number (`st_dev`). */
  dev: bigint;
  /** Inode number (`st_ino`). */
  ino: bigint;
  /** When its status last changed (`st_ctim`: creation, size, mode, owner), in ms since the epoch. */
  ctimeMs: number;
}

/** Decode the fields of `struct stat` this library uses. */
export function decodeStat(bytes: Uint8Array): Stat {
  const v = view(bytes);
  // x86_64: dev 8, ino 8, nlink 8, mode 4, uid 4; aarch64: dev 8, ino 8, mode 4, nlink 4, uid 4.
  const modeAt = ARCH === "aarch64" ? 16 : 24;
  const uidAt = ARCH === "aarch64" ? 24 : 28;
  // dev and ino lead the struct on both architectures.
  const dev = v.getBigUint64(0, true), ino = v.getBigUint64(8, true);
  return {
    mode: v.getUint32(modeAt, true),
    uid: v.getUint32(uidAt, true),
    size: Number(v.getBigInt64(48, true)),
    id: `${dev}:${ino}`,
    dev,
    ino,
    // st_ctim is at 104 on both architectures (seconds, then nanoseconds).
    ctimeMs: Number(v.getBigInt64(104, true)) * 1000 + Number(v.getBigInt64(112, true)) / 1e6,
  };
}

/** Size of `struct pollfd` { int fd; short events; short revents; }. */
export const POLLFD_SIZE = 8;

/** Write one `struct pollfd` at index `i` of an array. */
export function writePollfd(out: Uint8Array, i: number, fd: number, events: number): void {
  const v = view(out);
  v.setInt32(i * POLLFD_SIZE, fd, true);
  v.setInt16(i * POLLFD_SIZE + 4, events, true);
  v.setInt16(i * POLLFD_SIZE + 6, 0, true);
}

/** Read `revents` of the `struct pollfd` at index `i`. */
export function readRevents(bytes: Uint8Array, i: number): number {
  return view(bytes).getInt16(i * POLLFD_SIZE + 6, true);
}

/**
 * Size of `struct epoll_event` { uint32_t events; uint64_t data; }: packed on
 * x86_64 (12 bytes), naturally aligned on aarch64 (16).
 */
export const EPOLL_EVENT_SIZE: number = ARCH === "aarch64" ? 16 : 12;
const EPOLL_DATA_AT = ARCH === "aarch64" ? 8 : 4;

/**
 * Write `struct epoll_event` number `i` of an array; its data carries two
 * 32-bit words, `low` then `high` (here a descriptor and a tag).
 */
export function writeEpollEvent(
  out: DataView,
  i: number,
  events: number,
  low: number,
  high: number,
): void {
  const at = i * EPOLL_EVENT_SIZE;
  out.setUint32(at, events >>> 0, true);
  out.setUint32(at + EPOLL_DATA_AT, low >>> 0, true);
  out.setUint32(at + EPOLL_DATA_AT + 4, high >>> 0, true);
}

/** The `events` of `struct epoll_event` number `i`. */
export function epollEvents(v: DataView, i: number): number {
  return v.getUint32(i * EPOLL_EVENT_SIZE, true);
}

/** The low (`word` 0) or high (`word` 1) 32 bits of the data of event number `i`. */
export function epollData(v: DataView, i: number, word: 0 | 1): number {
  return v.getUint32(i * EPOLL_EVENT_SIZE + EPOLL_DATA_AT + 4 * word, true);
}

/** Size of `siginfo_t`. */
export const SIGINFO_SIZE = 128;

/**
 * Encode a `siginfo_t` as `sigqueue(3)` sends it (si_code SI_QUEUE = -1),
 * for `rt_tgsigqueueinfo(2)`.
 */
export function encodeSiginfoQueue(
  signo: number,
  pid: number,
  uid: number,
  value: number | bigint,
  out = new Uint8Array(SIGINFO_SIZE),
): Uint8Array {
  out.fill(0);
  const v = view(out);
  v.setInt32(0, signo, true); // si_signo
  v.setInt32(4, 0, true); // si_errno
  v.setInt32(8, -1, true); // si_code = SI_QUEUE
  v.setInt32(16, pid, true); // si_pid
  v.setUint32(20, uid, true); // si_uid
  v.setBigInt64(24, BigInt.asIntN(64, BigInt(value)), true); // si_value (int in the low half)
  return out;
}

/**
 * Decode a `siginfo_t` as `sigtimedwait(2)` fills it, into the fields of
 * {@linkcode SignalfdSiginfo} (si_pid/si_uid and si_value are at the same
 * place for SI_USER, SI_QUEUE and SI_TKILL).
 */
export function decodeSiginfo(bytes: Uint8Array): SignalfdSiginfo {
  const v = view(bytes);
  return {
    signo: v.getInt32(0, true),
    code: v.getInt32(8, true),
    pid: v.getInt32(16, true),
    uid: v.getUint32(20, true),
    int: v.getInt32(24, true),
    ptr: v.getBigUint64(24, true),
  };
}

/** Size of `struct signalfd_siginfo`. */
export const SIGNALFD_SIGINFO_SIZE = 128;

/** The fields of `struct signalfd_siginfo` a receiver cares about. */
export interface SignalfdSiginfo {
  /** Signal number. */
  signo: number;
  /** How it was sent (SI_USER 0, SI_QUEUE -1, SI_TKILL -6, …). */
  code: number;
  /** Sender's pid. */
  pid: number;
  /** Sender's real uid. */
  uid: number;
  /** `si_value.sival_int` sent with sigqueue. */
  int: number;
  /** `si_value.sival_ptr` sent with sigqueue (the same bits, 64-bit). */
  ptr: bigint;
}

/** Decode one `struct signalfd_siginfo` at byte `offset`. */
export function decodeSignalfdSiginfo(bytes: Uint8Array, offset = 0): SignalfdSiginfo {
  const v = view(bytes);
  return {
    signo: v.getUint32(offset, true),
    code: v.getInt32(offset + 8, true),
    pid: v.getUint32(offset + 12, true),
    uid: v.getUint32(offset + 16, true),
    int: v.getInt32(offset + 44, true),
    ptr: v.getBigUint64(offset + 48, true),
  };
}

/** Size of glibc's `sigset_t` (the kernel reads the first 8 bytes). */
export const SIGSET_SIZE = 128;
/** Size the kernel expects for a sigset in raw syscalls. */
export const KERNEL_SIGSET_SIZE = 8;

/** Encode a `sigset_t` holding the given signal numbers. */
export function encodeSigset(
  signals: Iterable<number>,
  out = new Uint8Array(SIGSET_SIZE),
): Uint8Array {
  out.fill(0);
  for (const sig of signals) out[(sig - 1) >> 3]! |= 1 << ((sig - 1) & 7);
  return out;
}

/** Size of `struct ucred` { pid_t pid; uid_t uid; gid_t gid; }. */
export const UCRED_SIZE = 12;

/** Decode `struct ucred` (SO_PEERCRED). */
export function decodeUcred(bytes: Uint8Array): { pid: number; uid: number; gid: number } {
  const v = view(bytes);
  return { pid: v.getInt32(0, true), uid: v.getUint32(4, true), gid: v.getUint32(8, true) };
}
