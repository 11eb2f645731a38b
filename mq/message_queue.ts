// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode MessageQueue}: a POSIX message queue (`mq_overview(7)`).
 *
 * @module
 */
import { posixName } from "../_ffi/mod.ts";
import { type QueueLimits, readLimits } from "./_limits.ts";
import { listQueues } from "./_list.ts";
import { parseOpenOptions } from "./_options.ts";
import { QueueIo } from "./_io.ts";
import { unlinkQueue } from "./_open.ts";
import * as operations from "./_operations.ts";
import { NOW, QueueWaiter } from "./_wait.ts";
import type {
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

/**
 * A POSIX message queue: a kernel-held list of messages, each with a
 * priority, that any process knowing the name can send to and receive from.
 * Messages are received highest priority first, and in order within one
 * priority. Interoperates with C (`mq_send`/`mq_receive`), Python
 * (`posix_ipc`) and anything else that uses the same queue name.
 *
 * When messages are already there, a receive is one system call on the main
 * thread. Waiting for a message (or for room) first retries for up to
 * `spin` µs and sleeps in the kernel on the main thread for `syncWait` µs
 * rounded up to just past the next scheduler tick (together up to 4.25 ms
 * by default at HZ=250, 2.25 ms on average), which catches a busy peer's
 * reply as fast as a C program would; longer waits move off the main thread to one
 * poll(2) shared by every waiter in the process, so timers and I/O keep
 * running and no thread is parked per waiter.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @example Send and receive between two handles
 * ```ts
 * import assert from "node:assert/strict";
 * import { MessageQueue } from "@ipc/linux/mq";
 *
 * const name = `/doc_${crypto.randomUUID()}`;
 * using producer = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 64 });
 * using consumer = MessageQueue.open(name, { readOnly: true });
 * await producer.send("low", { priority: 1 });
 * await producer.send("high", { priority: 9 });
 * const first = await consumer.receive();
 * assert.equal(new TextDecoder().decode(first.data), "high");
 * assert.equal(first.priority, 9);
 * MessageQueue.unlink(name);
 * ```
 */
export class MessageQueue implements Disposable, AsyncIterable<Message> {
  readonly #io: QueueIo;
  readonly #waiter: QueueWaiter;
  /** With `unlinkOnClose`: the queue's identity, to unlink on close only while the name is ours. */
  readonly #unlinkId: string | undefined | false;

  private constructor(io: QueueIo, spin: number, syncWait: number, unlinkOnClose: boolean) {
    this.#io = io;
    this.#waiter = new QueueWaiter(io.name, spin, syncWait);
    this.#unlinkId = unlinkOnClose ? io.id() : false;
  }

  /**
   * Open (and optionally create) the queue `name`. `"jobs"` and `"/jobs"`
   * name the same queue.
   *
   * @param name The queue's name: at most 255 bytes, no `/` after the first.
   * @param options How to open it; see {@linkcode OpenOptions}.
   * @returns The open queue; close it (or `using` it) when done.
   * @throws {TypeError} When the name or an option has the wrong shape.
   * @throws {RangeError} When the name is too long or a size is out of range.
   * @throws {Deno.errors.NotFound} When the queue does not exist and `create` is not set.
   * @throws {Deno.errors.AlreadyExists} When `exclusive` is set and the queue exists.
   * @throws {Deno.errors.PermissionDenied} When the queue's mode forbids the
   *   access, or another uid owns it and `allowOtherOwner` is not set.
   * @throws {OsError} EINVAL/EMFILE/ENOSPC, with a message naming the system limit hit.
   *
   * @example Create a queue only if it is new
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * using q = MessageQueue.open(name, { exclusive: true, maxMessages: 2, messageSize: 16 });
   * assert.equal(q.maxMessages, 2);
   * assert.throws(() => MessageQueue.open(name, { exclusive: true }), Deno.errors.AlreadyExists);
   * MessageQueue.unlink(name);
   * ```
   *
   * @example Share a queue with another user on purpose
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * // A queue another uid created (e.g. with mode 0o622) is refused unless trusted:
   * using q = MessageQueue.open(name, { create: true, mode: 0o622, allowOtherOwner: true });
   * assert.equal(q.name, name);
   * MessageQueue.unlink(name);
   * ```
   */
  static open(name: string, options: OpenOptions = {}): MessageQueue {
    const path = posixName(name, "queue");
    const parsed = parseOpenOptions(options);
    return new MessageQueue(
      QueueIo.open(path, parsed),
      parsed.spin,
      parsed.syncWait,
      parsed.unlinkOnClose,
    );
  }

  /**
   * List the message queues, through /dev/mqueue. Queues carry no owner
   * record (the mqueue file system has no extended attributes), so every
   * queue is listed, and none is ever swept.
   *
   * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
   *
   * @param options `prefix`: only queues whose name starts with it (with or
   * without the leading `/`).
   * @returns The queues found, sorted by name.
   * @throws {Deno.errors.NotSupported} When /dev/mqueue is not mounted (the
   * message says how to mount it: `mount -t mqueue none /dev/mqueue`, as root).
   *
   * @example Listing queues, where /dev/mqueue is mounted
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * try {
   *   assert.ok(Array.isArray(MessageQueue.list({ prefix: "/jobs" })));
   * } catch (err) {
   *   assert.ok(err instanceof Deno.errors.NotSupported); // not mounted here
   * }
   * ```
   */
  static list(options: { prefix?: string } = {}): QueueInfo[] {
    return listQueues(options.prefix ?? "");
  }

  /**
   * Remove the queue's name. Processes that have it open keep using it; the
   * queue is freed when the last one closes it.
   *
   * @param name The queue's name.
   * @throws {Deno.errors.NotFound} When no queue has that name.
   *
   * @example Remove a queue
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * MessageQueue.open(name, { create: true, maxMessages: 1, messageSize: 8 }).close();
   * MessageQueue.unlink(name);
   * assert.throws(() => MessageQueue.unlink(name), Deno.errors.NotFound);
   * ```
   */
  static unlink(name: string): void {
    unlinkQueue(posixName(name, "queue"));
  }

  /**
   * The system limits on message queues: from `/proc/sys/fs/mqueue/*` and
   * this process's `RLIMIT_MSGQUEUE`. A value that cannot be read is `NaN`.
   *
   * Requires `--allow-ffi` permission (`/proc` is read through the C library).
   *
   * @returns The limits now in force.
   *
   * @example Check a size before creating a queue
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const limits = MessageQueue.limits();
   * assert.ok(limits.maxMessages >= 1);
   * assert.ok(limits.maxMessageSize >= 128);
   * ```
   */
  static limits(): QueueLimits {
    return readLimits();
  }

  /** The queue's name, with its leading slash. */
  get name(): string {
    return this.#io.name;
  }

  /** Capacity in messages (fixed when the queue was created). */
  get maxMessages(): number {
    return this.#io.maxMessages;
  }

  /** Largest message in bytes (fixed when the queue was created). */
  get messageSize(): number {
    return this.#io.messageSize;
  }

  /** Whether {@linkcode MessageQueue.prototype.close} has been called. */
  get closed(): boolean {
    return this.#io.closed;
  }

  /**
   * Send a message, waiting while the queue is full. Beyond the first
   * `spin` + `syncWait` microseconds, the wait does not hold the event loop.
   *
   * @param data The message: a string (sent as UTF-8) or bytes, at most
   *   {@linkcode MessageQueue.prototype.messageSize} bytes. The bytes are copied
   *   before this call waits.
   * @param options The priority, and a signal to stop waiting.
   * @returns A promise that resolves once the message is in the queue. With a
   *   signal that is already aborted it rejects at once and sends nothing.
   * @throws {TypeError} When `data` is neither a string nor a Uint8Array.
   * @throws {RangeError} When the message is too big or the priority is out of range.
   * @throws {Deno.errors.BadResource} When the queue is closed (also while waiting).
   *
   * @example Wait for room, with a timeout
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * using q = MessageQueue.open(name, { create: true, maxMessages: 1, messageSize: 16 });
   * await q.send("first");
   * await assert.rejects(
   *   q.send("second", { signal: AbortSignal.timeout(50) }),
   *   (err: Error) => err.name === "TimeoutError",
   * );
   * assert.equal(q.attributes().currentMessages, 1);
   * MessageQueue.unlink(name);
   * ```
   */
  send(data: string | Uint8Array, options?: SendOptions): Promise<void> {
    return operations.send(this.#io, this.#waiter, data, options);
  }

  /**
   * Send a message if there is room, without waiting; with `spin`, a full
   * queue is tried again on the calling thread for up to `spin` µs (no
   * promise, no sleep; the event loop runs nothing meanwhile).
   *
   * @param data The message (string or bytes).
   * @param options The priority, and how long to keep trying (`spin`, µs).
   * @returns `true` if sent, `false` if the queue is full (within `spin`).
   * @throws {TypeError} When `data` is neither a string nor a Uint8Array, or
   *   the priority or `spin` is not an integer.
   * @throws {RangeError} When the message is too big, or the priority or
   *   `spin` is out of range.
   * @throws {Deno.errors.BadResource} When the queue is closed.
   *
   * @example Fill a queue
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * using q = MessageQueue.open(name, { create: true, maxMessages: 2, messageSize: 8 });
   * assert.equal(q.trySend("a"), true);
   * assert.equal(q.trySend("b", { priority: 3 }), true);
   * assert.equal(q.trySend("c"), false);
   * assert.equal(q.trySend("c", { spin: 20 }), false); // still full after 20 µs
   * MessageQueue.unlink(name);
   * ```
   */
  trySend(data: string | Uint8Array, options?: TrySendOptions): boolean {
    return operations.trySend(this.#io, data, options);
  }

  /**
   * Receive the oldest message of the highest priority, waiting while the
   * queue is empty. Beyond the first `spin` + `syncWait` microseconds, the
   * wait does not hold the event loop; aborting it consumes no message.
   *
   * @param options A signal to stop waiting.
   * @returns The message: a fresh copy of its bytes and its priority.
   * @throws {Deno.errors.BadResource} When the queue is closed (also while waiting).
   *
   * @example Receive with a deadline
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 32 });
   * setTimeout(() => q.trySend("later", { priority: 2 }), 10);
   * const msg = await q.receive({ signal: AbortSignal.timeout(5000) });
   * assert.deepEqual(msg, { data: new TextEncoder().encode("later"), priority: 2 });
   * MessageQueue.unlink(name);
   * ```
   */
  receive(options?: ReceiveOptions): Promise<Message> {
    return operations.receive(this.#io, this.#waiter, options);
  }

  /**
   * Receive a message if one is there, without waiting; with `spin`, an
   * empty queue is tried again on the calling thread for up to `spin` µs
   * (no promise, no sleep; the event loop runs nothing meanwhile).
   *
   * @param options How long to keep trying (`spin`, µs).
   * @returns The message, or `undefined` when the queue is empty (within `spin`).
   * @throws {TypeError} When `spin` is not an integer.
   * @throws {RangeError} When `spin` is out of range.
   * @throws {Deno.errors.BadResource} When the queue is closed.
   *
   * @example Drain a queue
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 8 });
   * q.trySend("x");
   * assert.equal(q.tryReceive()?.priority, 0);
   * assert.equal(q.tryReceive(), undefined);
   * assert.equal(q.tryReceive({ spin: 20 }), undefined); // still empty after 20 µs
   * MessageQueue.unlink(name);
   * ```
   */
  tryReceive(options?: TryReceiveOptions): Message | undefined {
    if (options === undefined) return this.#io.take(NOW);
    return operations.tryReceiveWith(this.#io, undefined, options);
  }

  /**
   * Receive a message into a buffer the caller owns, waiting while the queue
   * is empty: no allocation per message. When messages are waiting this is
   * one system call and no thread hop.
   *
   * @param buffer Where to write the message; at least
   *   {@linkcode MessageQueue.prototype.messageSize} bytes long.
   * @param options A signal to stop waiting.
   * @returns How many bytes were written at the start of `buffer`, and the priority.
   * @throws {TypeError} When `buffer` is not a Uint8Array.
   * @throws {RangeError} When `buffer` is shorter than the queue's messageSize.
   * @throws {Deno.errors.BadResource} When the queue is closed (also while waiting).
   *
   * @example Reuse one buffer
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 16 });
   * const buffer = new Uint8Array(q.messageSize);
   * await q.send(new Uint8Array([1, 2, 3]), { priority: 7 });
   * const { length, priority } = await q.receiveInto(buffer);
   * assert.deepEqual([...buffer.subarray(0, length)], [1, 2, 3]);
   * assert.equal(priority, 7);
   * MessageQueue.unlink(name);
   * ```
   */
  receiveInto(buffer: Uint8Array, options?: ReceiveOptions): Promise<Received> {
    return operations.receiveInto(this.#io, this.#waiter, buffer, options);
  }

  /**
   * Receive into a caller-owned buffer if a message is there, without waiting.
   *
   * With `spin`, a call that finds the queue empty keeps trying on the
   * calling thread for up to `spin` µs, yielding the CPU between tries: the
   * fastest way to take a reply that comes within microseconds (no promise,
   * no event-loop turn, no kernel sleep), at the price of a busy CPU and an
   * event loop that runs nothing meanwhile (as the Channel's
   * `tryReceiveInto` with `spin`). Follow it with
   * {@linkcode MessageQueue.prototype.receiveInto} to wait longer.
   *
   * @param buffer Where to write the message; at least `messageSize` bytes.
   * @param options How long to keep trying (`spin`, µs).
   * @returns What was written, or `undefined` when the queue is empty (within `spin`).
   * @throws {TypeError} When `buffer` is not a Uint8Array, or `spin` is not an integer.
   * @throws {RangeError} When `buffer` is shorter than the queue's messageSize,
   *   or `spin` is out of range.
   * @throws {Deno.errors.BadResource} When the queue is closed.
   *
   * @example Poll without waiting
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 8 });
   * const buffer = new Uint8Array(8);
   * assert.equal(q.tryReceiveInto(buffer), undefined);
   * q.trySend("hi", { priority: 1 });
   * assert.deepEqual(q.tryReceiveInto(buffer), { length: 2, priority: 1 });
   * MessageQueue.unlink(name);
   * ```
   *
   * @example Spin briefly for a reply, then wait without holding the event loop
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 8 });
   * const buffer = new Uint8Array(8);
   * assert.equal(q.tryReceiveInto(buffer, { spin: 50 }), undefined); // empty for 50 µs
   * setTimeout(() => q.trySend("late"), 10);
   * const got = q.tryReceiveInto(buffer, { spin: 50 }) ?? await q.receiveInto(buffer);
   * assert.equal(new TextDecoder().decode(buffer.subarray(0, got.length)), "late");
   * MessageQueue.unlink(name);
   * ```
   */
  tryReceiveInto(buffer: Uint8Array, options?: TryReceiveOptions): Received | undefined {
    // takeInto checks the buffer before its receive (every receive does: a
    // buffer may be detached while a receive waits), so only a call with
    // options, checked after the buffer, checks it here first.
    if (options === undefined) return this.#io.takeInto(buffer, NOW);
    this.#io.checkBuffer(buffer);
    return operations.tryReceiveWith(this.#io, buffer, options);
  }

  /**
   * The queue's current attributes.
   *
   * @returns Capacity, message size and the number of messages in it now.
   * @throws {Deno.errors.BadResource} When the queue is closed.
   *
   * @example Count waiting messages
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * using q = MessageQueue.open(name, { create: true, maxMessages: 3, messageSize: 8 });
   * q.trySend("a");
   * assert.deepEqual(q.attributes(), { maxMessages: 3, messageSize: 8, currentMessages: 1 });
   * MessageQueue.unlink(name);
   * ```
   */
  attributes(): QueueAttributes {
    return this.#io.attributes();
  }

  /**
   * Receive messages one after another until the queue is closed (the loop
   * then ends) or `signal` aborts (the loop throws `signal.reason`).
   *
   * @param options A signal to stop the loop.
   * @returns An async iterator of messages.
   *
   * @example Consume until told to stop
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 8 });
   * q.trySend("1");
   * q.trySend("2");
   * q.trySend("stop");
   * const seen: string[] = [];
   * for await (const { data } of q.messages()) {
   *   const text = new TextDecoder().decode(data);
   *   if (text === "stop") break;
   *   seen.push(text);
   * }
   * assert.deepEqual(seen, ["1", "2"]);
   * MessageQueue.unlink(name);
   * ```
   */
  messages(options: ReceiveOptions = {}): AsyncGenerator<Message, void, undefined> {
    return operations.messages(this.#io, this.#waiter, options);
  }

  /**
   * Iterate over received messages: `for await (const msg of queue)`; the
   * same as {@linkcode MessageQueue.prototype.messages} without a signal.
   *
   * @returns An async iterator of messages.
   *
   * @example Iterate directly
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 8 });
   * q.trySend("only");
   * for await (const msg of q) {
   *   assert.equal(new TextDecoder().decode(msg.data), "only");
   *   break;
   * }
   * MessageQueue.unlink(name);
   * ```
   */
  [Symbol.asyncIterator](): AsyncGenerator<Message, void, undefined> {
    return this.messages();
  }

  /**
   * Close this handle (`mq_close`). Pending sends and receives on it reject
   * with `Deno.errors.BadResource`; iteration ends. Calling it again does
   * nothing. The queue itself lives on until unlinked (which the option
   * `unlinkOnClose` does here).
   *
   * @example Close twice
   * ```ts
   * import assert from "node:assert/strict";
   * import { MessageQueue } from "@ipc/linux/mq";
   *
   * const name = `/doc_${crypto.randomUUID()}`;
   * const q = MessageQueue.open(name, { create: true, maxMessages: 1, messageSize: 8 });
   * q.close();
   * q.close();
   * assert.equal(q.closed, true);
   * assert.throws(() => q.trySend("x"), Deno.errors.BadResource);
   * MessageQueue.unlink(name);
   * ```
   */
  close(): void {
    operations.close(this.#io, this.#waiter, this.#unlinkId);
  }

  /** Close the queue; the same as {@linkcode MessageQueue.prototype.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
