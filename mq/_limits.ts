// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the system limits on POSIX message queues, read from
 * `/proc/sys/fs/mqueue/*` and `/proc/self/limits`, and the sentences that
 * explain an EINVAL/EMFILE/ENOSPC from `mq_open` in terms of them.
 *
 * @module
 */
import { readDirNames, readTextFile } from "../_ffi/fs.ts";

/** Largest `maxMessages` the kernel accepts even for a privileged process (HARD_MSGMAX). */
export const HARD_MSGMAX = 65536;
/** Largest `messageSize` the kernel accepts even for a privileged process (HARD_MSGSIZEMAX). */
export const HARD_MSGSIZEMAX = 16 * 1024 * 1024;

/** The system limits that apply to POSIX message queues. */
export interface QueueLimits {
  /** Most messages an unprivileged process may ask for (`/proc/sys/fs/mqueue/msg_max`). */
  maxMessages: number;
  /** Largest message size an unprivileged process may ask for (`msgsize_max`). */
  maxMessageSize: number;
  /** `maxMessages` of a queue created without attributes (`msg_default`). */
  defaultMaxMessages: number;
  /** `messageSize` of a queue created without attributes (`msgsize_default`). */
  defaultMessageSize: number;
  /** Most queues that may exist at once in this IPC namespace (`queues_max`). */
  maxQueues: number;
  /**
   * Bytes of queue memory this user may hold (`RLIMIT_MSGQUEUE`, `ulimit -q`),
   * or `Infinity` when unlimited.
   */
  userBytes: number;
}

const PROC = "/proc/sys/fs/mqueue/";

/** Read a /proc file through libc (works on every runtime, needs only FFI). */
function readAllowed(path: string): string | undefined {
  try {
    return readTextFile(path);
  } catch {
    return undefined; // not readable here
  }
}

function readNumber(path: string): number | undefined {
  try {
    const text = readAllowed(path);
    if (text === undefined) return undefined;
    const value = Number(text.trim());
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined; // no permission to read /proc, or not Linux
  }
}

/** One soft limit from /proc/self/limits, e.g. "Max msgqueue size". */
function softLimit(label: string): number | undefined {
  try {
    const line = readAllowed("/proc/self/limits")?.split("\n")
      .find((l) => l.startsWith(label));
    const soft = line?.slice(26).trim().split(/\s+/)[0];
    if (soft === undefined) return undefined;
    return soft === "unlimited" ? Infinity : Number(soft);
  } catch {
    return undefined;
  }
}

/** Read the limits; a value that cannot be read (no permission) is `NaN`. */
export function readLimits(): QueueLimits {
  return {
    maxMessages: readNumber(PROC + "msg_max") ?? NaN,
    maxMessageSize: readNumber(PROC + "msgsize_max") ?? NaN,
    defaultMaxMessages: readNumber(PROC + "msg_default") ?? NaN,
    defaultMessageSize: readNumber(PROC + "msgsize_default") ?? NaN,
    maxQueues: readNumber(PROC + "queues_max") ?? NaN,
    userBytes: softLimit("Max msgqueue size") ?? NaN,
  };
}

/**
 * Roughly what the kernel charges against RLIMIT_MSGQUEUE for a queue
 * (mqueue_get_inode: the messages plus one pointer and one tree node each).
 */
export function queueBytes(maxMessages: number, messageSize: number): number {
  return maxMessages * (messageSize + 48) + Math.min(maxMessages, 32768) * 40;
}

function openFileCount(): number | undefined {
  try {
    return readDirNames("/proc/self/fd").length;
  } catch {
    return undefined;
  }
}

function known(n: number): string {
  return Number.isNaN(n) ? "(unreadable)" : String(n);
}

/**
 * The sentence explaining an `mq_open` failure by the limit it hit, or
 * `undefined` when the errno is not about a limit.
 *
 * @param code The errno name.
 * @param attr The attributes the open asked for, when it created with attributes.
 */
export function limitHint(
  code: string,
  attr: { maxMessages: number; messageSize: number } | undefined,
): string | undefined {
  if (code === "EINVAL" && attr) {
    const l = readLimits();
    const over: string[] = [];
    if (attr.maxMessages > l.maxMessages) {
      over.push(
        `maxMessages ${attr.maxMessages} is over the system limit msg_max = ${l.maxMessages} ` +
          `(/proc/sys/fs/mqueue/msg_max)`,
      );
    }
    if (attr.messageSize > l.maxMessageSize) {
      over.push(
        `messageSize ${attr.messageSize} is over the system limit msgsize_max = ` +
          `${l.maxMessageSize} (/proc/sys/fs/mqueue/msgsize_max)`,
      );
    }
    if (Number.isNaN(l.maxMessages) || Number.isNaN(l.maxMessageSize)) {
      return `maxMessages ${attr.maxMessages} or messageSize ${attr.messageSize} is probably ` +
        "over the system limit msg_max or msgsize_max (/proc/sys/fs/mqueue/ could not be read)";
    }
    if (over.length === 0) return undefined;
    return `${over.join("; ")}; ask for less, or raise the limit with ` +
      "sysctl (processes with CAP_SYS_RESOURCE are exempt)";
  }
  if (code === "EMFILE") {
    const files = softLimit("Max open files");
    const open = openFileCount();
    if (files !== undefined && open !== undefined && open >= files - 1) {
      return `this process has ${open} descriptors open, the limit RLIMIT_NOFILE is ${files} ` +
        "(ulimit -n)";
    }
    const l = readLimits();
    const need = attr
      ? `; this queue needs about ${queueBytes(attr.maxMessages, attr.messageSize)}` +
        " bytes"
      : "";
    return `the per-user queue memory limit RLIMIT_MSGQUEUE = ${known(l.userBytes)} bytes ` +
      `(ulimit -q) is used up by this user's queues${need}; unlink unused queues, ` +
      "create smaller ones, or raise the limit";
  }
  if (code === "ENOSPC") {
    const l = readLimits();
    return `the system-wide limit on queues queues_max = ${known(l.maxQueues)} ` +
      "(/proc/sys/fs/mqueue/queues_max) is reached; unlink unused queues or raise the limit";
  }
  return undefined;
}
