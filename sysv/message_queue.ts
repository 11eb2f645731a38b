// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode SysvMessageQueue}: a System V message queue (`msgget(2)`).
 *
 * @module
 */
import { options } from "./_common.ts";
import { type OpenedQueue, openQueue, openQueueById } from "./_queue_open.ts";
import type { QueueIo } from "./_queue_io.ts";
import { QueueCalls } from "./_queue_calls.ts";
import { SysvQueueHandle } from "./queue_handle.ts";
import type {
  SysvMessage,
  SysvQueueOptions,
  SysvReceived,
  SysvReceiveIntoOptions,
  SysvReceiveOptions,
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
export class SysvMessageQueue extends SysvQueueHandle {
  readonly #io: QueueIo;
  readonly #calls: QueueCalls;

  private constructor(opened: OpenedQueue) {
    const calls = new QueueCalls(opened);
    super(opened, calls);
    this.#io = opened.io;
    this.#calls = calls;
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
   *   queue is owned by another user and `allowOtherOwner` is not set. A queue
   *   this user may send to but not read (mode 0622) opens only with
   *   `allowOtherOwner` (its owner cannot be read).
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
   *   (without `allowOtherOwner`) or its mode forbids reading it (with
   *   `allowOtherOwner`, a queue this user may only send to opens; its `key`
   *   is then 0).
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
   * @throws {RangeError} When a message another program sent has a type
   *   beyond Number.MAX_SAFE_INTEGER (only `type` 0 can take one): it was
   *   taken, and the error's `type` (a bigint) and `data` hold it.
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
   * @throws {RangeError} When a message another program sent has a type
   *   beyond Number.MAX_SAFE_INTEGER (only `type` 0 can take one): it was
   *   taken, and the error's `type` (a bigint) and `data` hold it.
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
   * @throws {RangeError} When a message another program sent has a type
   *   beyond Number.MAX_SAFE_INTEGER (only `type` 0 can take one): it was
   *   taken, and the error's `type` (a bigint) and `data` hold it.
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
   * @throws {RangeError} When a message another program sent has a type
   *   beyond Number.MAX_SAFE_INTEGER (only `type` 0 can take one): it was
   *   taken, and the error's `type` (a bigint) and `data` hold it.
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
}

/** Receive options checked for shape (undefined stays undefined: the common call). */
function checked<T extends object>(o: T | undefined): T | undefined {
  return o === undefined ? undefined : options<T>("receive", o);
}
