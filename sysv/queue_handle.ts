// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode SysvQueueHandle}: the base of `SysvMessageQueue` (what a queue
 * handle is: its id, key and lifecycle, and its sends); `message_queue.ts`
 * adds the opening and the receives.
 *
 * @module
 */
import { KIND_NAME, removeObject } from "./_common.ts";
import type { OpenedQueue } from "./_queue_open.ts";
import { msgctl, type QueueIo } from "./_queue_io.ts";
import type { QueueCalls } from "./_queue_calls.ts";
import type { SysvQueueStat, SysvSendOptions } from "./types.ts";

/**
 * What every `SysvMessageQueue` handle has: its id and key, its sends,
 * `stat`, `remove` and `close` (the type a function that only sends may
 * take). Handles are made by `SysvMessageQueue.open` and `openById`; see
 * `SysvMessageQueue` for the receives and how waiting works.
 *
 * @example A function that only sends
 * ```ts
 * import assert from "node:assert/strict";
 * import { IPC_PRIVATE, SysvMessageQueue, type SysvQueueHandle } from "@ipc/linux/sysv";
 *
 * async function report(q: SysvQueueHandle, text: string): Promise<void> {
 *   await q.send(1, text);
 * }
 * using q = SysvMessageQueue.open(IPC_PRIVATE);
 * await report(q, "done");
 * assert.equal(q.tryReceive()?.type, 1);
 * q.remove();
 * ```
 */
export class SysvQueueHandle implements Disposable {
  readonly #io: QueueIo;
  readonly #calls: QueueCalls;
  readonly #created: boolean;

  /**
   * For `SysvMessageQueue` only (handles come from its `open` and `openById`).
   *
   * @param opened The opened queue.
   * @param calls Its waiting calls (shared with the subclass).
   */
  protected constructor(opened: OpenedQueue, calls: QueueCalls) {
    this.#io = opened.io;
    this.#created = opened.created;
    this.#calls = calls;
  }

  /** The queue's id (what `ipcs -q` shows as msqid). */
  get id(): number {
    return this.#io.id;
  }

  /**
   * The key it was opened with (0 for {@linkcode IPC_PRIVATE}, or for a
   * queue opened by id that this user may send to but not read).
   */
  get key(): number {
    return this.#io.key;
  }

  /** Whether this call created the queue. */
  get created(): boolean {
    return this.#created;
  }

  /** Whether {@linkcode SysvQueueHandle.prototype.close} has been called. */
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

  /** Close the handle; the same as {@linkcode SysvQueueHandle.prototype.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
