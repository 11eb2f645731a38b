// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * POSIX message queues (`mq_overview(7)`): named, kernel-held queues of
 * prioritised messages that any process on the machine can open by name,
 * including C, Python and Rust programs.
 *
 * When messages are waiting, a receive is one system call on the main
 * thread. A wait first spins and sleeps briefly on the main thread (at most
 * 0.25 ms plus one scheduler tick by default, configurable down to 0), then
 * moves to one epoll(7)
 * wait shared by every waiter in the process: timers and I/O keep running and no
 * thread is parked per waiter.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * A POSIX message queue (`mq_overview(7)`) is a named list of messages held by the kernel. Any process
 * that knows the name can send to it or receive from it: another Deno or Node process, or a program in
 * C (`mq_send`/`mq_receive`), Python (`posix_ipc`), Rust, … Each message has a priority; the highest
 * priority is received first, and messages of one priority arrive in the order they were sent.
 * Messages survive their sender: they stay in the queue until someone receives them or the queue is
 * removed.
 *
 * `"jobs"` and `"/jobs"` name the same queue. `open` takes `create`, `exclusive` (fail if it exists),
 * `mode` (default `0o600`), `maxMessages`, `messageSize` (only when creating), `readOnly`/`writeOnly`,
 * and `spin` / `syncWait` (see below). `MessageQueue.limits()` reports the system limits.
 *
 * ## Guarantees
 *
 * - **Waiting does not stall the event loop.** A `send` to a full queue or a `receive` from an empty
 *   one retries briefly on the main thread, then waits for readiness through the library's single
 *   shared `epoll_wait(2)` (one thread for every waiter in the process, not one per waiter). Timers and
 *   other I/O keep running meanwhile (tested). The brief main-thread phase is bounded: at most
 *   `spin` + `syncWait` rounded up to just past the next scheduler tick, 4.25 ms per wait by
 *   default at HZ=250 (2.25 ms on average; 0.03 ms once the queue has been idle a while).
 * - **Errors are exact.** Every real `mq_timedsend`/`mq_timedreceive` runs synchronously on the main
 *   thread, so errno is read right after the call; the off-thread wait only reports readiness. Every
 *   call carries an absolute deadline: a zero one for tries (the kernel returns at once, like
 *   `O_NONBLOCK`), a short one for the brief sleep.
 * - **Aborting consumes nothing.** `signal` aborts a wait with `signal.reason`; no message is taken
 *   and no thread stays stuck (tested with a C peer). `close()` rejects pending waits with
 *   `Deno.errors.BadResource` and ends `for await` loops.
 * - **A busy queue costs no thread hop.** When messages are waiting, `receive` and `receiveInto` are
 *   one system call each, without leaving the current event-loop turn (tested).
 * - **Spinning without a promise is opt-in.** `trySend(data, { spin })`, `tryReceive({ spin })` and
 *   `tryReceiveInto(buffer, { spin })` keep trying on the calling thread for up to `spin` µs, then
 *   give up (`false`/`undefined`): for a reply that comes within microseconds, at the price of a busy
 *   CPU and an event loop that runs nothing meanwhile (tested with a C peer).
 * - **Nothing lost or duplicated:** 100,000 messages between two Deno processes, with the consumer
 *   killed (SIGKILL) midway and a new one started, arrive exactly once; what the first consumer had
 *   not received was still in the queue (tested).
 * - **Interoperable:** tested both ways with a C program built with `cc … -lrt` and with a Python
 *   script (ctypes; `posix_ipc` opens the same kernel queues), with mixed priorities (0 … 32767) and
 *   binary payloads.
 * - **Another user's queue is not trusted.** Queue names are global: an existing queue not owned by
 *   this process's effective uid is closed again and refused with `Deno.errors.PermissionDenied`
 *   naming its owner, unless `allowOtherOwner: true` (default `false`) says the sharing is deliberate
 *   (tested with a queue chowned to another uid). `mode` is permission bits only, 0 … 0o777, as for
 *   shared memory and `serve` (a `RangeError` otherwise).
 *
 * Examples: `deno run --allow-ffi --allow-run examples/mq_jobs.ts` (a prioritised job queue served by a worker process);
 * `examples/_demo/mq.ts` (the tour's exchange with a child process).
 *
 * ## Limits and errors
 *
 * - Priorities are integers from 0 to 32767 (`MQ_PRIO_MAX - 1`); anything else is a `RangeError`. A
 *   message longer than the queue's `messageSize` is a `RangeError` before any system call, as is a
 *   `receiveInto` buffer shorter than `messageSize`. Option shapes and malformed names (empty, a `/`
 *   after the first, a NUL) are `TypeError`s; a name over 255 bytes is a `RangeError`.
 * - OS failures are `Deno.errors.*` with an errno `code` (`NotFound` for a missing queue,
 *   `AlreadyExists` with `exclusive`, `PermissionDenied`). The system limits come back as `OsError`s
 *   whose message names the limit and its value:
 *   - `EINVAL`: `maxMessages` above `/proc/sys/fs/mqueue/msg_max` (often 10) or `messageSize` above
 *     `msgsize_max` (often 8192), unless the process has `CAP_SYS_RESOURCE`;
 *   - `EMFILE`: the per-user queue memory `RLIMIT_MSGQUEUE` (`ulimit -q`, 819,200 bytes by default;
 *     the message says how much the queue needs) or the process's descriptor limit;
 *   - `ENOSPC`: the system-wide `queues_max`.
 * - `/dev/mqueue` need not be mounted: nothing here depends on it. A handle holds two descriptors
 *   of its queue: the one `mq_open` gave, for waits, and a non-blocking twin reopened through
 *   `/proc/self/fd` for the tries of a spin (without `/proc`, tries pass a zero deadline instead).
 * - Waiting, step by step: a send or receive that finds the queue full or empty first retries for up
 *   to `spin` µs (default 50), yielding the CPU between tries; then one call sleeps in the kernel for
 *   at least `syncWait` µs (default 200) and until 20 µs past the scheduler tick after that (a
 *   deadline before the tick costs each wake-up two timer reprogrammings, VM exits in a virtual
 *   machine), where a peer's message is handed over as fast as to a blocked C program; only then does the wait move to the shared poller, whose wake-up costs a thread hop (tens
 *   of µs). After several long waits in a row (an idle queue) both phases shrink to an eighth, so idle
 *   consumers cost almost no CPU. `{ spin: 0, syncWait: 0 }` never holds the event loop at all. The
 *   sleep's deadline is on `CLOCK_REALTIME` (the only clock `mq_timed*` takes): a wall-clock step
 *   backwards during those few ms would lengthen it.
 * - `MessageQueue.limits()` and the limit explanations read `/proc` through the C library, not
 *   `Deno.readFile`, so they need no `--allow-read`.
 *
 * @example A queue between two handles
 * ```ts
 * import assert from "node:assert/strict";
 * import { MessageQueue } from "@ipc/linux/mq";
 *
 * const name = `/doc_${crypto.randomUUID()}`;
 * using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 64 });
 * await q.send("hello", { priority: 5 });
 * const { data, priority } = await q.receive({ signal: AbortSignal.timeout(1000) });
 * assert.equal(new TextDecoder().decode(data), "hello");
 * assert.equal(priority, 5);
 * MessageQueue.unlink(name);
 * ```
 *
 * @module
 */
export { MessageQueue } from "./message_queue.ts";
export type { QueueLimits } from "./_limits.ts";
export type {
  Message,
  OpenOptions,
  QueueAttributes,
  QueueInfo,
  Received,
  ReceiveOptions,
  SendOptions,
  TryReceiveOptions,
  TrySendOptions,
} from "./types.ts";
