// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode SysvMessageQueue}: a System V message queue (`msgget(2)`).
 *
 * @module
 */
import { KIND_NAME, options, removeObject } from "./_common.ts";
import { type OpenedQueue, openQueue, openQueueById } from "./_queue_open.ts";
import { msgctl, type QueueIo } from "./_queue_io.ts";
import { QueueCalls } from "./_queue_calls.ts";
import type {
  SysvMessage,
  SysvQueueOptions,
  SysvQueueStat,
  SysvReceived,
  SysvReceiveIntoOptions,
  SysvReceiveOptions,
  SysvSendOptions,
  SysvTryReceiveIntoOptions,
  SysvTryReceiveOptions,
  SysvWaitOptions,
} from "./types.ts";

/**
 * A System V message queue: a kernel-held list of typed messages, found by a
 * numeric key (see {@linkcode ftok}) and shared with C (`msgsnd`/`msgrcv`),
 * Python (`sysv_ipc.MessageQueue`) or any other program using the same key.
 * Each message has a type ≥ 1; a receiver picks the first message, the first
 * of one type, or the first of the lowest type up to a bound.
 *
 * A send that finds the queue full, or a receive that finds no message,
 * retries for `spin` µs (50 by default), then sleeps in a blocking
 * `msgsnd`/`msgrcv` on the main thread for at most `syncWait` µs (200 by
 * default) at a time, ended by a per-thread POSIX timer's SIGRTMAX (see the
 * module's limits), with event-loop turns in between for the first 2 ms,
 * then retries on timers up to `pollInterval` ms apart: the event loop
 * keeps running, no thread is parked, a peer that answers within a slice
 * wakes the waiter at once, and a message arriving during a long wait is
 * seen up to `pollInterval` ms (10 by default) late. System V has no
 * descriptor to poll and no timed receive, so this is the cost of waiting
 * without holding a thread.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @example Typed messages between two handles
 * ```ts
 * import assert from "node:assert/strict";
 * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
 *
 * using q = SysvMessageQueue.open(IPC_PRIVATE);
 * await q.send(2, "second kind");
 * await q.send(1, "first kind");
 * const msg = await q.receive({ type: 1 });
 * assert.equal(new TextDecoder().decode(msg.data), "first kind");
 * assert.equal(msg.type, 1);
 * q.remove();
 * ```
 */
export class SysvMessageQueue implements Disposable {
  readonly #io: QueueIo;
  readonly #calls: QueueCalls;
  readonly #created: boolean;

  private constructor(opened: OpenedQueue) {
    this.#io = opened.io;
    this.#created = opened.created;
    this.#calls = new QueueCalls(opened);
  }

  /**
   * Open (and optionally create) the queue of `key`.
   *
   * @param key A key from {@linkcode ftok}, any 32-bit number, or
   *   {@linkcode IPC_PRIVATE} for a new queue reachable only by its id.
   * @param options How to open it; see {@linkcode SysvQueueOptions}.
   * @returns The queue handle; close it (or `using` it) when done.
   * @throws {TypeError} When the key or an option has the wrong shape.
   * @throws {RangeError} When the key, mode or a size is out of range.
   * @throws {Deno.errors.NotFound} When the key has no queue and `create` is not set.
   * @throws {Deno.errors.AlreadyExists} When `exclusive` is set and the key has a queue.
   * @throws {Deno.errors.PermissionDenied} When the mode forbids access, or the
   *   queue is owned by another user and `allowOtherOwner` is not set.
   *
   * @example Create a queue only if the key has none
   * ```ts
   * import assert from "node:assert/strict";
   * import { SysvMessageQueue } from "@ipc/linux/sysv";
   *
   * const key = 0x5e000000 + Math.floor(Math.random() * 0xffffff);
   * using q = SysvMessageQueue.open(key, { exclusive: true, mode: 0o600 });
   * assert.equal(q.created, true);
   * assert.throws(() => SysvMessageQueue.open(key, { exclusive: true }), Deno.errors.AlreadyExists);
   * using again = SysvMessageQueue.open(key);
   * assert.equal(again.id, q.id);
   * q.remove();
   * ```
   */
  static open(key: number, options: SysvQueueOptions = {}): SysvMessageQueue {
    return new SysvMessageQueue(openQueue(key, options));
  }

  /**
   * Open a queue by its id (as another process or `ipcs` reports it), e.g.
   * one made with {@linkcode IPC_PRIVATE}.
   *
   * @param id The queue's id.
   * @param options Whether another user's queue is acceptable, and how to wait.
   * @returns The queue handle.
   * @throws {Deno.errors.PermissionDenied} When it belongs to another user
   *   (without `allowOtherOwner`) or its mode forbids reading it.
   * @throws {OsError} EINVAL when no queue has that id.
   *
   * @example Reach a private queue by id
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
   *
   * using q = SysvMessageQueue.open(IPC_PRIVATE);
   * using same = SysvMessageQueue.openById(q.id);
   * same.trySend(7, "hi");
   * assert.equal(q.tryReceive()?.type, 7);
   * q.remove();
   * ```
   */
  static openById(
    id: number,
    options: SysvWaitOptions & { allowOtherOwner?: boolean } = {},
  ): SysvMessageQueue {
    return new SysvMessageQueue(openQueueById(id, options));
  }

  /** The queue's id (what `ipcs -q` shows as msqid). */
  get id(): number {
    return this.#io.id;
  }

  /** The key it was opened with (0 for {@linkcode IPC_PRIVATE}). */
  get key(): number {
    return this.#io.key;
  }

  /** Whether this call created the queue. */
  get created(): boolean {
    return this.#created;
  }

  /** Whether {@linkcode SysvMessageQueue.prototype.close} has been called. */
  get closed(): boolean {
    return this.#io.closed;
  }

  /**
   * Send a message, waiting while the queue is full (its `msg_qbytes` limit
   * reached). See the class description for what waiting costs.
   *
   * @param type The message type, an integer ≥ 1.
   * @param data The message: a string (sent as UTF-8) or bytes, at most
   *   `/proc/sys/kernel/msgmax` bytes. Copied before this call waits.
   * @param options A signal to stop waiting.
   * @returns A promise that resolves once the message is on the queue.
   * @throws {TypeError} When `data` is neither a string nor a Uint8Array.
   * @throws {RangeError} When the type is below 1, or the message is larger
   *   than msgmax or than the queue's `msg_qbytes` (it could never be sent).
   * @throws {Deno.errors.BadResource} When the handle is closed (also while waiting).
   *
   * @example Wait for room, with a timeout
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
   *
   * using q = SysvMessageQueue.open(IPC_PRIVATE, { maxBytes: 8 });
   * await q.send(1, "12345678");
   * await assert.rejects(
   *   q.send(1, "x", { signal: AbortSignal.timeout(30) }),
   *   (err: Error) => err.name === "TimeoutError",
   * );
   * assert.equal(q.stat().messages, 1);
   * q.remove();
   * ```
   */
  send(type: number, data: string | Uint8Array, options?: SysvSendOptions): Promise<void> {
    return this.#calls.send(type, data, options);
  }

  /**
   * Send a message if there is room, without waiting.
   *
   * @param type The message type, an integer ≥ 1.
   * @param data The message (string or bytes).
   * @returns `true` if sent, `false` if the queue is full.
   * @throws {TypeError} When `data` is neither a string nor a Uint8Array.
   * @throws {RangeError} When the type is below 1 or the message can never fit.
   * @throws {Deno.errors.BadResource} When the handle is closed.
   *
   * @example Fill a small queue
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
   *
   * using q = SysvMessageQueue.open(IPC_PRIVATE, { maxBytes: 4 });
   * assert.equal(q.trySend(1, "abcd"), true);
   * assert.equal(q.trySend(1, "e"), false);
   * assert.throws(() => q.trySend(1, "too long"), RangeError);
   * q.remove();
   * ```
   */
  trySend(type: number, data: string | Uint8Array): boolean {
    return this.#io.trySend(this.#io.message(type, data));
  }

  /**
   * Receive a message, waiting until one matches: `type` 0 (the default)
   * takes the first message, n > 0 the first of type n, n < 0 the first of
   * the lowest type ≤ |n|. Aborting consumes nothing.
   *
   * @param options Which message, the largest size accepted, `noError`, and a signal.
   * @returns The message: its type and a fresh copy of its bytes.
   * @throws {RangeError} When the type or maxSize is out of range.
   * @throws {OsError} E2BIG when the message is longer than `maxSize` and
   *   `noError` is not set: it stays on the queue.
   * @throws {Deno.errors.BadResource} When the handle is closed (also while waiting).
   *
   * @example Lowest type first
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
   *
   * using q = SysvMessageQueue.open(IPC_PRIVATE);
   * q.trySend(5, "five");
   * q.trySend(3, "three");
   * q.trySend(9, "nine");
   * assert.equal((await q.receive({ type: -6 })).type, 3);
   * assert.equal((await q.receive({ type: -6 })).type, 5);
   * assert.equal(q.tryReceive({ type: -6 }), undefined);
   * setTimeout(() => q.trySend(2, "later"), 10);
   * assert.equal((await q.receive({ type: 2, signal: AbortSignal.timeout(5000) })).type, 2);
   * q.remove();
   * ```
   */
  receive(options?: SysvReceiveOptions): Promise<SysvMessage> {
    return this.#calls.receive(options);
  }

  /**
   * Receive into a caller-owned buffer, waiting as
   * {@linkcode SysvMessageQueue.prototype.receive} does: no allocation per
   * message. The buffer's length is the largest message accepted.
   *
   * @param buffer Where to write the message's bytes.
   * @param options Which message, `noError` (truncate to the buffer), and a signal.
   * @returns The type, and how many bytes were written at the start of `buffer`.
   * @throws {TypeError} When `buffer` is not a Uint8Array.
   * @throws {OsError} E2BIG when the message is longer than `buffer` and
   *   `noError` is not set: it stays on the queue.
   * @throws {Deno.errors.BadResource} When the handle is closed (also while waiting).
   *
   * @example Reuse one buffer
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
   *
   * using q = SysvMessageQueue.open(IPC_PRIVATE);
   * const buffer = new Uint8Array(64);
   * await q.send(4, new Uint8Array([1, 2, 3]));
   * const { type, length } = await q.receiveInto(buffer);
   * assert.deepEqual([type, ...buffer.subarray(0, length)], [4, 1, 2, 3]);
   * q.remove();
   * ```
   */
  receiveInto(buffer: Uint8Array, options?: SysvReceiveIntoOptions): Promise<SysvReceived> {
    return this.#calls.receiveInto(buffer, options);
  }

  /**
   * Receive into a caller-owned buffer if a matching message is there, without waiting.
   *
   * @param buffer Where to write the message's bytes (its length is the largest accepted).
   * @param options Which message, and `noError`.
   * @returns The type and length written, or `undefined` when none matches.
   * @throws {TypeError} When `buffer` is not a Uint8Array.
   * @throws {OsError} E2BIG when the message is longer than `buffer` (without `noError`).
   * @throws {Deno.errors.BadResource} When the handle is closed.
   *
   * @example Poll without waiting
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
   *
   * using q = SysvMessageQueue.open(IPC_PRIVATE);
   * const buffer = new Uint8Array(8);
   * assert.equal(q.tryReceiveInto(buffer), undefined);
   * q.trySend(3, "hi");
   * assert.deepEqual(q.tryReceiveInto(buffer, { type: 3 }), { type: 3, length: 2 });
   * q.remove();
   * ```
   */
  tryReceiveInto(
    buffer: Uint8Array,
    options?: SysvTryReceiveIntoOptions,
  ): SysvReceived | undefined {
    const io = this.#io;
    return io.tryReceiveInto(io.request(checked(options), buffer), buffer);
  }

  /**
   * Receive a matching message if one is there, without waiting.
   *
   * @param options Which message, the largest size accepted, and `noError`.
   * @returns The message, or `undefined` when none matches.
   * @throws {OsError} E2BIG when the message is longer than `maxSize` (without `noError`).
   * @throws {Deno.errors.BadResource} When the handle is closed.
   *
   * @example Truncate only when asked to
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
   *
   * using q = SysvMessageQueue.open(IPC_PRIVATE);
   * q.trySend(1, "a long message");
   * assert.throws(() => q.tryReceive({ maxSize: 4 }), (e: Error & { code?: string }) => e.code === "E2BIG");
   * const cut = q.tryReceive({ maxSize: 4, noError: true });
   * assert.equal(new TextDecoder().decode(cut?.data), "a lo");
   * q.remove();
   * ```
   */
  tryReceive(options?: SysvTryReceiveOptions): SysvMessage | undefined {
    const io = this.#io;
    return io.tryReceive(io.request(checked(options)));
  }

  /**
   * The queue's state: owner, mode, message count, bytes and their limit,
   * last sender and receiver.
   *
   * @returns What `msgctl(IPC_STAT)` reports.
   * @throws {Deno.errors.BadResource} When the handle is closed.
   *
   * @example Count messages
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
   *
   * using q = SysvMessageQueue.open(IPC_PRIVATE, { mode: 0o640 });
   * q.trySend(1, "abc");
   * const s = q.stat();
   * assert.equal(s.messages, 1);
   * assert.equal(s.bytes, 3);
   * assert.equal(s.mode, 0o640);
   * assert.equal(s.lastSendPid, Deno.pid);
   * q.remove();
   * ```
   */
  stat(): SysvQueueStat {
    this.#io.check("stat");
    return this.#io.stat();
  }

  /**
   * Remove the queue (`IPC_RMID`) now: its messages are discarded, and
   * waiters in every process fail with EIDRM. This handle stays open but
   * every further call on it fails. Works on a closed handle too (the queue
   * is named by its id), so `using` and a `finally { q.remove() }` combine.
   *
   * @throws {Deno.errors.PermissionDenied} When this user is neither its owner nor its creator.
   *
   * @example Remove a queue
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
   *
   * using q = SysvMessageQueue.open(IPC_PRIVATE);
   * q.remove();
   * assert.throws(() => q.stat());
   * ```
   */
  remove(): void {
    removeObject(this.#io.id, msgctl, "msgctl", `${KIND_NAME.msg} ${this.#io.object}`);
  }

  /**
   * Close this handle: pending sends and receives reject with
   * `Deno.errors.BadResource`. The queue itself lives on until removed.
   * Calling it again does nothing.
   *
   * @example Close twice
   * ```ts
   * import assert from "node:assert/strict";
   * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
   *
   * const q = SysvMessageQueue.open(IPC_PRIVATE);
   * q.remove();
   * q.close();
   * q.close();
   * assert.equal(q.closed, true);
   * assert.throws(() => q.trySend(1, "x"), Deno.errors.BadResource);
   * ```
   */
  close(): void {
    if (this.#io.closed) return;
    this.#io.closed = true;
    this.#calls.close();
  }

  /** Close the handle; the same as {@linkcode SysvMessageQueue.prototype.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** Receive options checked for shape (undefined stays undefined: the common call). */
function checked<T extends object>(o: T | undefined): T | undefined {
  return o === undefined ? undefined : options<T>("receive", o);
}
