// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * System V IPC (`sysvipc(7)`): message queues, shared memory segments and
 * semaphore sets found by a numeric key, as used by a great deal of existing
 * C software and by Python's `sysv_ipc`.
 *
 * - {@linkcode SysvMessageQueue}: typed messages; receive the first, the
 *   first of one type, or the lowest type up to a bound.
 * - {@linkcode SysvSharedMemory}: a segment attached read-write or read-only
 *   as a live, guarded byte view.
 * - {@linkcode SysvSemaphoreSet}: arrays of semaphores changed by atomic
 *   groups of operations, with `undo` (SEM_UNDO) released by process exit.
 * - {@linkcode ftok} and {@linkcode IPC_PRIVATE} make keys;
 *   {@linkcode listSysvObjects} and {@linkcode removeSysvObject} are `ipcs`
 *   and `ipcrm`; {@linkcode sweepSysvObjects} removes leftovers whose
 *   processes died, where the kernel records enough to tell.
 *
 * Guarantees:
 *
 * - Bad arguments are a TypeError or RangeError before any system call; OS
 *   failures are `Deno.errors.*` (or `OsError`) with the errno `code` and a
 *   message naming the call and the key and id.
 * - Opening an existing object checks its owner and creator: another
 *   user's object (one created first under the key, or handed over with
 *   IPC_SET either way) is `Deno.errors.PermissionDenied` naming that uid
 *   unless `allowOtherOwner`. A creator other than this uid or root counts
 *   too: it can still change or remove the object.
 * - Waiting never blocks the event loop for long and never parks a thread:
 *   a wait retries non-blocking calls while spinning (50 µs by default for
 *   queues, 0 for semaphore sets), then sleeps in the kernel on the main
 *   thread in slices of at most `syncWait` µs (200 by default) for the
 *   first 2 ms, the event loop turning between slices, then retries on
 *   timers up to `pollInterval` ms apart (10 by default). Semaphore sets
 *   sleep in `semtimedop`; queues in a blocking `msgrcv`/`msgsnd` that a
 *   per-thread POSIX timer's SIGRTMAX ends (see Limits). A peer that
 *   answers during a slice wakes the waiter at once. An aborted wait has
 *   consumed nothing.
 * - A segment view never faults: segments cannot shrink, a removed segment
 *   stays attached until closed, and views are emptied on close.
 * - Every handle has an idempotent `close()`, `closed` and `[Symbol.dispose]`.
 *
 * Limits:
 *
 * - System V objects have no descriptor to poll and message queues no timed
 *   receive: a message or post that arrives during a long wait (past the
 *   first 2 ms) is seen up to `pollInterval` ms late, and an idle waiter
 *   makes about 1000 / `pollInterval` system calls a second. Use POSIX
 *   queues (`@ipc/linux/mq`) where latency of idle waits matters and the
 *   peer can choose.
 * - SIGRTMAX (64 with glibc): from a queue's first kernel wait on, the
 *   process has a handler for it that does nothing (the C library's
 *   `getpid`), and each waiting queue handle owns one POSIX timer (no file
 *   descriptor; deleted on close) that sends it to the waiting thread only,
 *   to end a blocking `msgrcv`/`msgsnd` after `syncWait` µs. The kernel
 *   never restarts those calls, so they fail with EINTR having taken or
 *   given nothing; no signal is left pending once a wait returns. Do not
 *   use SIGRTMAX for anything else in a process that waits on System V
 *   queues: a SIGRTMAX sent to it is absorbed rather than killing it. If the
 *   process already handles or ignores SIGRTMAX, or the waiting thread
 *   blocks it (a signalfd reading it), queues make non-blocking tries
 *   instead of kernel waits. Each kernel wait costs three system calls
 *   more than a try (check the mask, arm, disarm); with `spin: 0`, the
 *   three calls after one whose try failed start with the kernel wait.
 * - Objects live until removed (or reboot); `close()` does not remove them.
 *   Semaphore sets are created at 0 and then set to `value`: a process that
 *   opens a new set in between sees zeros.
 * - Message size is capped by `/proc/sys/kernel/msgmax`, a queue's content by
 *   its `msg_qbytes` (`/proc/sys/kernel/msgmnb` by default).
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * The older family of message queues, shared memory and semaphores (`sysvipc(7)`), still used by a
 * great deal of C software and by Python's `sysv_ipc`. Objects are found by a numeric key: one from
 * `ftok(path, projectId)` (the same key C and Python compute), any 32-bit number, or `IPC_PRIVATE` for
 * a new object reachable only by its id (`openById`).
 *
 * ## Guarantees
 *
 * - **Same conventions as the POSIX modules:** `create` / `exclusive` / `mode` (default `0o600`, a
 *   `RangeError` above `0o777`); TypeError/RangeError before any system call; OS errors as
 *   `Deno.errors.*` with the errno `code` and a message naming the call, key and id; every handle has
 *   an idempotent `close()`, `closed` and `[Symbol.dispose]`.
 * - **Owner check:** opening an existing object whose owner (`ipc_perm.uid`) is another user, or
 *   whose creator (`ipc_perm.cuid`) is another user than root, is `PermissionDenied` naming that
 *   uid, unless `allowOtherOwner: true` (tested with objects handed to another uid through
 *   `IPC_SET`, and with objects another uid created and handed to us).
 * - **Message selection:** `type` 0 takes the first message, n > 0 the first of type n, n < 0 the
 *   first of the lowest type ≤ |n|. A message longer than `maxSize` (default
 *   `/proc/sys/kernel/msgmax`) is an `E2BIG` error and stays on the queue, unless `noError: true`
 *   (`MSG_NOERROR`) truncates it. A message larger than `msgmax` or the queue's `msg_qbytes` is a
 *   `RangeError` naming the limit (it could never be sent).
 * - **Shared memory never faults:** segments cannot shrink, a segment another process removes stays
 *   attached and usable until closed (tested), and views are emptied on close. A read-only attachment
 *   (`SHM_RDONLY`) refuses `bytes` (a write would crash the process): use `read()`.
 * - **`undo: true` (`SEM_UNDO`)** is reverted by the kernel when the process exits, however it exits:
 *   tested by killing a Deno, a C and a Python holder with SIGKILL.
 * - **Waiting never blocks the event loop for long and parks no thread.** System V has no
 *   descriptor to poll and no timed `msgrcv`. A wait first retries non-blocking calls (`IPC_NOWAIT`)
 *   for `spin` µs (default 50 for queues, 0 for semaphore sets) yielding the CPU, then sleeps in the
 *   kernel on the main thread in slices of at most `syncWait` µs (default 200; a peer wakes it at
 *   once, as it wakes a blocked C program) for the first 2 ms, the event loop turning
 *   (`setImmediate`) between slices, then retries with pauses doubling up to `pollInterval` ms
 *   (default 10). Semaphore sets sleep in `semtimedop`; queues in a blocking `msgrcv`/`msgsnd` that a
 *   per-thread POSIX timer's **SIGRTMAX** ends (the kernel never restarts these calls: EINTR, nothing
 *   taken or given). An aborted wait has taken nothing (tested against a Python sender and a C
 *   receiver while waits are aborted).
 * - **Interoperable:** tested both ways, for all three kinds, with a C program and with Python's
 *   `sysv_ipc` (Debian `python3-sysv-ipc` for `/usr/bin/python3`; those tests skip with a message
 *   saying so when it is missing), and on Node.js and Bun from the npm package.
 *
 * ## Limits
 *
 * - The cost of waiting without a descriptor: a message or post that arrives during a long wait
 *   (past the first 2 ms) is seen up to `pollInterval` ms late, and an idle waiter makes about
 *   1000 / `pollInterval` system calls a second.
 * - **SIGRTMAX is the library's** in a process that waits on System V queues: from the first kernel
 *   wait on it has a handler that does nothing (glibc's `getpid`, found with `dlsym`: the library
 *   ships no C), and each waiting queue handle owns one POSIX timer aimed at its thread (no fd;
 *   deleted on close). Do not send, handle or block SIGRTMAX there; one sent to the process is
 *   absorbed instead of killing it. Where SIGRTMAX is already handled or ignored, or the waiting
 *   thread blocks it (e.g. for a `signalfd`), queues fall back to non-blocking tries. A kernel wait
 *   costs three system calls more than a try (mask check, arm, disarm). Where idle-wait latency matters and both sides can choose, POSIX queues
 *   (`@ipc/linux/mq`) wait through the shared `poll(2)` instead.
 * - A new semaphore set is created at 0 and then set to `value`. A set created under a key is then
 *   marked with a `semop` that changes no value (`sem_otime`, Stevens' method), and an open with
 *   `create` that finds the set waits (synchronously, at most 100 ms, only while the set's last
 *   `semctl` change is under 2 s old) for that mark, so it does not see the zeros. A set another
 *   program made without ever calling `semop` costs such an open the 100 ms.
 * - Objects live until removed or reboot; `close()` does not remove them. `ipc ls` lists them and
 *   `ipc rm msqid:<id> shmid:<id> semid:<id>` removes them (like `ipcs` / `ipcrm`);
 *   `listSysvObjects()` and `removeSysvObject()` do the same from code. `ipc sweep` does not touch
 *   System V objects: nothing records which library made them.
 *
 * Examples: `deno run --allow-ffi --allow-write --allow-run examples/sysv_workers.ts` (workers sharing
 * a typed queue, a tally in shared memory and a SEM_UNDO lock, all under one `ftok` key);
 * `examples/_demo/sysv.ts` (the tour's part).
 *
 * @example A queue, a segment and a semaphore set
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   IPC_PRIVATE,
 *   SysvMessageQueue,
 *   SysvSemaphoreSet,
 *   SysvSharedMemory,
 * } from "@ipc/linux/sysv";
 *
 * using q = SysvMessageQueue.open(IPC_PRIVATE);
 * await q.send(1, "hello");
 * assert.equal(new TextDecoder().decode((await q.receive()).data), "hello");
 *
 * using seg = SysvSharedMemory.open(IPC_PRIVATE, { size: 16 });
 * seg.bytes[0] = 1;
 *
 * using sem = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1, value: 1 });
 * await sem.operate([{ delta: -1, undo: true }]);
 * assert.equal(sem.getValue(0), 0);
 *
 * q.remove();
 * seg.remove();
 * sem.remove();
 * ```
 *
 * @module
 */
export { ftok, IPC_PRIVATE } from "./key.ts";
export { SysvMessageQueue } from "./message_queue.ts";
export type { SysvQueueHandle } from "./queue_handle.ts";
export { SysvSharedMemory } from "./shared_memory.ts";
export { SysvSemaphoreSet } from "./semaphore_set.ts";
export { listSysvObjects, removeSysvObject } from "./list.ts";
export type { SysvKind, SysvObjectInfo } from "./list.ts";
export { sweepSysvObjects } from "./sweep.ts";
export type { SysvSweepOptions, SysvSwept } from "./sweep.ts";
export type {
  SemaphoreOperation,
  SysvMessage,
  SysvOpenOptions,
  SysvOperateOptions,
  SysvQueueOptions,
  SysvQueueStat,
  SysvReceived,
  SysvReceiveIntoOptions,
  SysvReceiveOptions,
  SysvSemaphoreOptions,
  SysvSemaphoreStat,
  SysvSendOptions,
  SysvSharedMemoryOptions,
  SysvSharedMemoryStat,
  SysvStat,
  SysvTryReceiveIntoOptions,
  SysvTryReceiveOptions,
  SysvWaitOptions,
} from "./types.ts";
