// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode MessageQueue}: a POSIX message queue (`mq_overview(7)`).
 *
 * @module
 */
import {
  backend,
  check,
  cstring,
  errnoError,
  errnoName,
  errors,
  libc,
  posixName,
} from "../_ffi/mod.ts";
import { EAGAIN, EINTR, ETIMEDOUT, POLLIN, POLLOUT } from "../_ffi/constants.ts";
import { decodeMqAttr, encodeMqAttr, MQ_ATTR_SIZE } from "../_ffi/struct.ts";
import { limitHint, type QueueLimits, readLimits } from "./_limits.ts";
import { checkOptions, checkPriority, checkSignal, parseOpenOptions } from "./_options.ts";
import { NOW, QueueWaiter } from "./_wait.ts";
import type {
  Message,
  OpenOptions,
  QueueAttributes,
  Received,
  ReceiveOptions,
  SendOptions,
  TrySendOptions,
} from "./types.ts";

const RESOLVED: Promise<void> = Promise.resolve();
const encoder = new TextEncoder();

const registry = new FinalizationRegistry<number>((fd) => {
  try {
    libc().mq_close(fd);
  } catch {
    // the process is going away; nothing to report to
  }
});

/**
 * A POSIX message queue: a kernel-held list of messages, each with a
 * priority, that any process knowing the name can send to and receive from.
 * Messages are received highest priority first, and in order within one
 * priority. Interoperates with C (`mq_send`/`mq_receive`), Python
 * (`posix_ipc`) and anything else that uses the same queue name.
 *
 * When messages are already there, a receive is one system call on the main
 * thread. Waiting for a message (or for room) first retries for up to
 * `spin` µs and sleeps in the kernel for up to `syncWait` µs on the main
 * thread (together 0.25 ms by default), which catches a busy peer's reply as
 * fast as a C program would; longer waits move off the main thread to one
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
  readonly #name: string;
  #fd: number;
  readonly #maxMessages: number;
  readonly #messageSize: number;
  readonly #sizeArg: bigint;
  readonly #canRead: boolean;
  readonly #canWrite: boolean;
  readonly #waiter: QueueWaiter;
  #buffer: Uint8Array | undefined;
  #scratch: Uint8Array | undefined;
  readonly #priority = new Uint32Array(1);
  readonly #priorityBytes = new Uint8Array(this.#priority.buffer);

  private constructor(name: string, fd: number, attr: QueueAttributes, parsed: {
    canRead: boolean;
    canWrite: boolean;
    spin: number;
    syncWait: number;
  }) {
    this.#name = name;
    this.#fd = fd;
    this.#maxMessages = attr.maxMessages;
    this.#messageSize = attr.messageSize;
    this.#sizeArg = BigInt(attr.messageSize);
    this.#canRead = parsed.canRead;
    this.#canWrite = parsed.canWrite;
    this.#waiter = new QueueWaiter(name, parsed.spin, parsed.syncWait);
    registry.register(this, fd, this);
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
   * @throws {Deno.errors.PermissionDenied} When the queue's mode forbids the access.
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
   */
  static open(name: string, options: OpenOptions = {}): MessageQueue {
    const path = posixName(name, "queue");
    const parsed = parseOpenOptions(options);
    const lib = libc();
    const attrBytes = parsed.attr
      ? encodeMqAttr({ flags: 0, ...parsed.attr, currentMessages: 0 })
      : null;
    const fd = lib.mq_open(cstring(path), parsed.flags, parsed.mode, attrBytes);
    if (fd === -1) {
      const errno = backend().errno();
      throw errnoError(errno, "mq_open", path, limitHint(errnoName(errno), parsed.attr));
    }
    const attr = new Uint8Array(MQ_ATTR_SIZE);
    try {
      check(lib.mq_getattr(fd, attr), "mq_getattr", path);
    } catch (err) {
      lib.mq_close(fd);
      throw err;
    }
    return new MessageQueue(path, fd, decodeMqAttr(attr), parsed);
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
    const path = posixName(name, "queue");
    check(libc().mq_unlink(cstring(path)), "mq_unlink", path);
  }

  /**
   * The system limits on message queues: from `/proc/sys/fs/mqueue/*` and
   * this process's `RLIMIT_MSGQUEUE`. A value that cannot be read is `NaN`.
   *
   * Requires `--allow-read` permission for `/proc`.
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
    return this.#name;
  }

  /** Capacity in messages (fixed when the queue was created). */
  get maxMessages(): number {
    return this.#maxMessages;
  }

  /** Largest message in bytes (fixed when the queue was created). */
  get messageSize(): number {
    return this.#messageSize;
  }

  /** Whether {@linkcode MessageQueue.prototype.close} has been called. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  #open(action: string, write: boolean): number {
    if (this.#fd < 0) {
      throw new errors.BadResource(`Cannot ${action}: queue "${this.#name}" is closed`);
    }
    if (write ? !this.#canWrite : !this.#canRead) {
      throw new errors.BadResource(
        `Cannot ${action}: queue "${this.#name}" was opened ${write ? "readOnly" : "writeOnly"}`,
      );
    }
    return this.#fd;
  }

  /** Encode `data` for sending; a string goes through a reused scratch buffer. */
  #bytes(action: string, data: unknown): Uint8Array {
    let bytes: Uint8Array;
    if (typeof data === "string") {
      const scratch = this.#scratch ??= new Uint8Array(this.#messageSize);
      const { read, written } = encoder.encodeInto(data, scratch);
      if (read !== data.length) {
        throw new RangeError(
          `Cannot ${action}: the message is over ${this.#messageSize} bytes, ` +
            `the messageSize of queue "${this.#name}"`,
        );
      }
      bytes = scratch.subarray(0, written);
    } else if (data instanceof Uint8Array) {
      bytes = data;
    } else {
      throw new TypeError(
        `Cannot ${action}: data must be a string or Uint8Array, got ${typeof data}`,
      );
    }
    if (bytes.length > this.#messageSize) {
      throw new RangeError(
        `Cannot ${action}: the message is ${bytes.length} bytes, over the messageSize ` +
          `${this.#messageSize} of queue "${this.#name}"`,
      );
    }
    return bytes;
  }

  /**
   * One mq_timedsend that may sleep until `deadline` ({@linkcode NOW}: not
   * at all): true if sent, false if the queue stayed full.
   */
  #sendNow(fd: number, bytes: Uint8Array, priority: number, deadline: Uint8Array): boolean {
    // A bigint length keeps the call on V8's fast path (a number for usize does not).
    const length = BigInt(bytes.length);
    for (let again = false;; again = true) {
      if (libc().mq_timedsend(fd, bytes, length, priority, deadline) === 0) return true;
      const errno = backend().errno();
      if (errno === ETIMEDOUT || errno === EAGAIN || errno === EINTR) return false;
      // A failed call had no effect, so an unexpected errno is checked by asking again.
      if (again) throw errnoError(errno, "mq_send", this.#name);
      deadline = NOW;
    }
  }

  /**
   * One mq_timedreceive into `target` that may sleep until `deadline`: the
   * length, or -1 if the queue stayed empty.
   */
  #receiveNow(fd: number, target: Uint8Array, deadline: Uint8Array): number {
    for (let again = false;; again = true) {
      // Every target is at least messageSize long; the kernel needs no more.
      const n = libc().mq_timedreceive(fd, target, this.#sizeArg, this.#priorityBytes, deadline);
      if (n !== -1) return n;
      const errno = backend().errno();
      if (errno === ETIMEDOUT || errno === EAGAIN || errno === EINTR) return -1;
      if (again) throw errnoError(errno, "mq_receive", this.#name);
      deadline = NOW;
    }
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
    let fd: number, bytes: Uint8Array, priority = 0, signal: AbortSignal | undefined;
    try {
      if (options !== undefined) {
        const o = checkOptions<SendOptions>("send", options);
        priority = checkPriority("send", o.priority);
        signal = checkSignal("send", o.signal);
      }
      bytes = this.#bytes("send", data);
      fd = this.#open("send", true);
      signal?.throwIfAborted();
      if (this.#sendNow(fd, bytes, priority, NOW)) return RESOLVED;
    } catch (err) {
      return Promise.reject(err);
    }
    const copy = bytes.slice(); // the scratch buffer and the caller's bytes may change meanwhile
    return this.#sendWait(fd, copy, priority, signal);
  }

  async #sendWait(
    fd: number,
    bytes: Uint8Array,
    priority: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    await this.#waiter.waitFor(fd, POLLOUT, signal, (deadline) => {
      return this.#sendNow(this.#open("send", true), bytes, priority, deadline) ? true : undefined;
    });
  }

  /**
   * Send a message if there is room, without waiting.
   *
   * @param data The message (string or bytes).
   * @param options The priority.
   * @returns `true` if sent, `false` if the queue is full.
   * @throws {TypeError} When `data` is neither a string nor a Uint8Array.
   * @throws {RangeError} When the message is too big or the priority is out of range.
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
   * MessageQueue.unlink(name);
   * ```
   */
  trySend(data: string | Uint8Array, options?: TrySendOptions): boolean {
    const priority = options === undefined
      ? 0
      : checkPriority("send", checkOptions<TrySendOptions>("send", options).priority);
    const bytes = this.#bytes("send", data);
    return this.#sendNow(this.#open("send", true), bytes, priority, NOW);
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
    let fd: number, signal: AbortSignal | undefined;
    const buffer = this.#buffer ??= new Uint8Array(this.#messageSize);
    // The copy is taken right after the call, before any other receive can reuse the buffer.
    const take = (deadline: Uint8Array) => {
      const length = this.#receiveNow(this.#open("receive", false), buffer, deadline);
      return length < 0
        ? undefined
        : { data: buffer.slice(0, length), priority: this.#priority[0] };
    };
    try {
      signal = this.#receiveSignal(options);
      fd = this.#open("receive", false);
      signal?.throwIfAborted();
      const message = take(NOW);
      if (message !== undefined) return Promise.resolve(message);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#waiter.waitFor(fd, POLLIN, signal, take);
  }

  /**
   * Receive a message if one is there, without waiting.
   *
   * @returns The message, or `undefined` when the queue is empty.
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
   * MessageQueue.unlink(name);
   * ```
   */
  tryReceive(): Message | undefined {
    const buffer = this.#buffer ??= new Uint8Array(this.#messageSize);
    const length = this.#receiveNow(this.#open("receive", false), buffer, NOW);
    if (length < 0) return undefined;
    return { data: buffer.slice(0, length), priority: this.#priority[0] };
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
    let fd: number, signal: AbortSignal | undefined;
    try {
      this.#checkBuffer(buffer);
      signal = this.#receiveSignal(options);
      fd = this.#open("receive", false);
      signal?.throwIfAborted();
      const length = this.#receiveNow(fd, buffer, NOW);
      if (length >= 0) return Promise.resolve({ length, priority: this.#priority[0] });
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#waiter.waitFor(fd, POLLIN, signal, (deadline) => {
      const length = this.#receiveNow(this.#open("receive", false), buffer, deadline);
      return length < 0 ? undefined : { length, priority: this.#priority[0] };
    });
  }

  #receiveSignal(options: ReceiveOptions | undefined): AbortSignal | undefined {
    if (options === undefined) return undefined;
    return checkSignal("receive", checkOptions<ReceiveOptions>("receive", options).signal);
  }

  /**
   * Receive into a caller-owned buffer if a message is there, without waiting.
   *
   * @param buffer Where to write the message; at least `messageSize` bytes.
   * @returns What was written, or `undefined` when the queue is empty.
   * @throws {TypeError} When `buffer` is not a Uint8Array.
   * @throws {RangeError} When `buffer` is shorter than the queue's messageSize.
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
   */
  tryReceiveInto(buffer: Uint8Array): Received | undefined {
    this.#checkBuffer(buffer);
    const length = this.#receiveNow(this.#open("receive", false), buffer, NOW);
    return length < 0 ? undefined : { length, priority: this.#priority[0] };
  }

  #checkBuffer(buffer: unknown): void {
    if (!(buffer instanceof Uint8Array)) {
      throw new TypeError(`Cannot receive: buffer must be a Uint8Array, got ${typeof buffer}`);
    }
    if (buffer.length < this.#messageSize) {
      throw new RangeError(
        `Cannot receive: the buffer is ${buffer.length} bytes, shorter than the messageSize ` +
          `${this.#messageSize} of queue "${this.#name}"`,
      );
    }
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
    if (this.#fd < 0) {
      throw new errors.BadResource(`Cannot read attributes: queue "${this.#name}" is closed`);
    }
    const bytes = new Uint8Array(MQ_ATTR_SIZE);
    check(libc().mq_getattr(this.#fd, bytes), "mq_getattr", this.#name);
    const { maxMessages, messageSize, currentMessages } = decodeMqAttr(bytes);
    return { maxMessages, messageSize, currentMessages };
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
  async *messages(options: ReceiveOptions = {}): AsyncGenerator<Message, void, undefined> {
    for (;;) {
      if (this.#fd < 0) return;
      let message: Message;
      try {
        message = await this.receive(options);
      } catch (err) {
        if (this.#fd < 0) return; // closed while waiting: the loop just ends
        throw err;
      }
      yield message;
    }
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
   * nothing. The queue itself lives on until unlinked.
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
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    registry.unregister(this);
    this.#waiter.cancelAll();
    check(libc().mq_close(fd), "mq_close", this.#name);
  }

  /** Close the queue; the same as {@linkcode MessageQueue.prototype.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
