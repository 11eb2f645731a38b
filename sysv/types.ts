// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The option and result types of the System V IPC classes.
 *
 * @module
 */

/** Options every System V `open` takes. */
export interface SysvOpenOptions {
  /**
   * Create the object if the key has none (`IPC_CREAT`). A key of
   * `IPC_PRIVATE` always creates a new object.
   *
   * @default {false}
   */
  create?: boolean;
  /**
   * Fail with `Deno.errors.AlreadyExists` if the key has an object
   * (`IPC_CREAT | IPC_EXCL`); implies `create`.
   *
   * @default {false}
   */
  exclusive?: boolean;
  /**
   * Permission bits of an object this call creates (System V ignores the
   * umask). At most `0o777`.
   *
   * @default {0o600}
   */
  mode?: number;
  /**
   * Use an existing object whose owner (`ipc_perm.uid`) is another user, or
   * whose creator (`ipc_perm.cuid`) is another user than root (a creator
   * can always change or remove the object, even one handed over to us with
   * IPC_SET). Without it, opening such an object throws
   * `Deno.errors.PermissionDenied` naming that uid: anyone can create an
   * object under a key first.
   *
   * @default {false}
   */
  allowOtherOwner?: boolean;
}

/** Options for waiting operations (send, receive, semaphore operations). */
export interface SysvWaitOptions {
  /**
   * How long, in microseconds, an operation that would block keeps retrying
   * on the main thread (yielding the CPU between tries) before it polls.
   * Semaphore sets do not spin unless asked: they sleep in `semtimedop`
   * instead, which a post ends at once without burning the CPU.
   *
   * @default {50 for message queues, 0 for semaphore sets}
   */
  spin?: number;
  /**
   * The longest pause, in milliseconds, between two non-blocking retries
   * of a long wait: after spinning, brief kernel waits (`syncWait`) repeat
   * between event-loop turns for the first 2 ms, then the pauses double
   * from 1 ms up to this. It is the worst extra latency of a long wait, and
   * an idle waiter makes about 1000 / `pollInterval` system calls a second.
   *
   * @default {10}
   */
  pollInterval?: number;
  /**
   * How long, in microseconds, one wait may sleep in the kernel on the main
   * thread (after spinning, and again between event-loop turns for the
   * first 2 ms): a peer that answers within it wakes the waiter at once.
   * Semaphore sets sleep in `semtimedop`; message queues in a blocking
   * `msgrcv`/`msgsnd` that a per-thread timer's SIGRTMAX ends (see the
   * module description). 0 never sleeps in the kernel.
   *
   * @default {200}
   */
  syncWait?: number;
}

/** Owner, mode and change time: what `stat()` reports for every kind. */
export interface SysvStat {
  /** The key (0 for `IPC_PRIVATE`, or after the object was removed). */
  key: number;
  /** The object's id. */
  id: number;
  /** Owner's user id. */
  uid: number;
  /** Owner's group id. */
  gid: number;
  /** Creator's user id. */
  creatorUid: number;
  /** Creator's group id. */
  creatorGid: number;
  /** Permission bits, e.g. `0o600`. */
  mode: number;
  /** When the owner, mode or limits last changed (or the object was created). */
  changed: Date;
}

/** Options for {@linkcode SysvMessageQueue.open}. */
export interface SysvQueueOptions extends SysvOpenOptions, SysvWaitOptions {
  /**
   * Limit in bytes of all messages on a queue this call creates
   * (`msg_qbytes`, set with IPC_SET). Above `/proc/sys/kernel/msgmnb` it
   * needs CAP_SYS_RESOURCE.
   *
   * @default {/proc/sys/kernel/msgmnb}
   */
  maxBytes?: number;
}

/** What {@linkcode SysvMessageQueue.prototype.stat} reports. */
export interface SysvQueueStat extends SysvStat {
  /** Messages on the queue (`msg_qnum`). */
  messages: number;
  /** Bytes of all messages on the queue (`msg_cbytes`). */
  bytes: number;
  /** Limit of `bytes` (`msg_qbytes`): a send waits while it would exceed it. */
  maxBytes: number;
  /** Pid of the last sender (`msg_lspid`), 0 if none. */
  lastSendPid: number;
  /** Pid of the last receiver (`msg_lrpid`), 0 if none. */
  lastReceivePid: number;
  /** Time of the last send, or `null`. */
  lastSend: Date | null;
  /** Time of the last receive, or `null`. */
  lastReceive: Date | null;
}

/** A received System V message. */
export interface SysvMessage {
  /**
   * The message type (≥ 1) it was sent with. A type beyond
   * Number.MAX_SAFE_INTEGER (which a C program can send) is a RangeError
   * carrying the message instead, never a rounded number.
   */
  type: number;
  /** A fresh copy of its bytes (truncated only with `noError`). */
  data: Uint8Array;
}

/** Options for {@linkcode SysvMessageQueue.prototype.tryReceive}. */
export interface SysvTryReceiveOptions {
  /**
   * Which message: 0 takes the first on the queue; n > 0 the first of type
   * n; n < 0 the first of the lowest type ≤ |n|.
   *
   * @default {0}
   */
  type?: number;
  /**
   * Largest message accepted, in bytes.
   *
   * @default {/proc/sys/kernel/msgmax}
   */
  maxSize?: number;
  /**
   * Truncate a longer message to `maxSize` (`MSG_NOERROR`; the rest is
   * lost). Without it, a longer message stays on the queue and the call
   * throws an error with code `E2BIG`.
   *
   * @default {false}
   */
  noError?: boolean;
}

/** Options for {@linkcode SysvMessageQueue.prototype.receive}. */
export interface SysvReceiveOptions extends SysvTryReceiveOptions {
  /** Stop waiting; the promise rejects with `signal.reason`, nothing is consumed. */
  signal?: AbortSignal;
}

/** What {@linkcode SysvMessageQueue.prototype.receiveInto} wrote. */
export interface SysvReceived {
  /** The message type (≥ 1) it was sent with. */
  type: number;
  /** How many bytes were written at the start of the buffer. */
  length: number;
}

/**
 * Options for {@linkcode SysvMessageQueue.prototype.tryReceiveInto}: which
 * message and `noError`; the buffer's length is the largest size accepted.
 */
export type SysvTryReceiveIntoOptions = Omit<SysvTryReceiveOptions, "maxSize">;

/** Options for {@linkcode SysvMessageQueue.prototype.receiveInto}: as for tryReceiveInto, and a signal. */
export type SysvReceiveIntoOptions = Omit<SysvReceiveOptions, "maxSize">;

/** Options for {@linkcode SysvMessageQueue.prototype.send}. */
export interface SysvSendOptions {
  /** Stop waiting for room; the promise rejects with `signal.reason`, nothing is sent. */
  signal?: AbortSignal;
}

/** Options for {@linkcode SysvSharedMemory.open}. */
export interface SysvSharedMemoryOptions extends SysvOpenOptions {
  /**
   * Size in bytes of a segment this call creates (required to create). When
   * opening an existing segment, a size larger than it is an error.
   *
   * @default {0 (the existing segment's size)}
   */
  size?: number;
  /**
   * Attach read-only (`SHM_RDONLY`): `bytes` is refused, `read()` works.
   *
   * @default {false}
   */
  readOnly?: boolean;
}

/** What {@linkcode SysvSharedMemory.prototype.stat} reports. */
export interface SysvSharedMemoryStat extends SysvStat {
  /** Size in bytes (`shm_segsz`). */
  size: number;
  /** How many attachments it has, in every process (`shm_nattch`). */
  attachments: number;
  /** Pid of the creator (`shm_cpid`). */
  creatorPid: number;
  /** Pid of the last attach or detach (`shm_lpid`). */
  lastPid: number;
  /** Time of the last attach, or `null`. */
  lastAttach: Date | null;
  /** Time of the last detach, or `null`. */
  lastDetach: Date | null;
  /** Removed (IPC_RMID) but still attached somewhere: freed at the last detach. */
  removed: boolean;
}

/** Options for {@linkcode SysvSemaphoreSet.open}. */
export interface SysvSemaphoreOptions extends SysvOpenOptions, SysvWaitOptions {
  /**
   * Number of semaphores in a set this call creates (required to create).
   * When opening an existing set, more than it has is an error.
   *
   * @default {0 (the existing set's count)}
   */
  count?: number;
  /**
   * Initial value of every semaphore of a set this call creates (0 … 32767).
   *
   * @default {0}
   */
  value?: number;
}

/** One operation of a `semop` call. */
export interface SemaphoreOperation {
  /**
   * Which semaphore of the set.
   *
   * @default {0}
   */
  index?: number;
  /**
   * Add this to the semaphore's value: > 0 releases, < 0 waits until the
   * value is at least |delta| and takes it, 0 waits until the value is 0.
   * From -32768 to 32767.
   */
  delta: number;
  /**
   * `SEM_UNDO`: the kernel reverts this change when the process exits,
   * however it exits, so a lock taken with it is released by a crash.
   *
   * @default {false}
   */
  undo?: boolean;
}

/** Options for {@linkcode SysvSemaphoreSet.prototype.operate}. */
export interface SysvOperateOptions {
  /** Stop waiting; the promise rejects with `signal.reason` and nothing is applied. */
  signal?: AbortSignal;
}

/** What {@linkcode SysvSemaphoreSet.prototype.stat} reports. */
export interface SysvSemaphoreStat extends SysvStat {
  /** Number of semaphores in the set (`sem_nsems`). */
  count: number;
  /** Time of the last `semop`, or `null` (still `null` right after creation). */
  lastOperation: Date | null;
}
