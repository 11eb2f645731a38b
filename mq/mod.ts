// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * POSIX message queues (`mq_overview(7)`): named, kernel-held queues of
 * prioritised messages that any process on the machine can open by name,
 * including C, Python and Rust programs.
 *
 * When messages are waiting, a receive is one system call on the main
 * thread. A wait first spins and sleeps briefly on the main thread (at most
 * 0.25 ms by default, configurable down to 0), then moves to one poll(2)
 * shared by every waiter in the process: timers and I/O keep running and no
 * thread is parked per waiter.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
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
  TrySendOptions,
} from "./types.ts";
