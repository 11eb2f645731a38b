// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the waiting calls of one System V message queue handle (send,
 * receive, receiveInto): check the arguments, make the first attempt, and
 * wait through `_wait.ts` with the brief kernel waits of `_ffi/interrupt.ts`
 * (a blocking `msgsnd`/`msgrcv` that a per-thread timer's signal ends).
 * Sends and receives keep separate waiters: each predicts its own tries.
 *
 * @module
 */
import { options, signalOption, waitClosedError } from "./_common.ts";
import type { OpenedQueue } from "./_queue_open.ts";
import type { QueueIo } from "./_queue_io.ts";
import type { ReceiveRequest } from "./_queue_checks.ts";
import { type Attempt, SysvWaiter } from "./_wait.ts";
import { Interrupter } from "../_ffi/interrupt.ts";
import { IPC_NOWAIT } from "../_ffi/_sysv_struct.ts";
import type { SysvMessage, SysvReceived, SysvReceiveOptions, SysvSendOptions } from "./types.ts";

/** What a send that needed no wait returns. */
const DONE: Promise<void> = Promise.resolve();

/** One receive attempt: a fresh copy, or into `buffer`; undefined when none matched. */
function take(
  io: QueueIo,
  req: ReceiveRequest,
  buffer: Uint8Array | undefined,
): SysvMessage | SysvReceived | undefined {
  return buffer === undefined ? io.tryReceive(req) : io.tryReceiveInto(req, buffer);
}

/** The waits of one queue handle. */
export class QueueCalls {
  readonly #io: QueueIo;
  readonly #sending: SysvWaiter;
  readonly #receiving: SysvWaiter;
  readonly #syncWait: number;
  /** The timer that bounds a blocking call: null when unavailable, undefined before the first. */
  #interrupter: Interrupter | null | undefined;

  constructor(opened: OpenedQueue) {
    const io = this.#io = opened.io;
    const { spin, poll, syncWait } = opened.wait;
    const closed = () => waitClosedError("msg", io.object);
    this.#sending = new SysvWaiter(spin, poll, closed, syncWait > 0, true);
    this.#receiving = new SysvWaiter(spin, poll, closed, syncWait > 0, true);
    this.#syncWait = syncWait;
  }

  /** Send, waiting while the queue is full; see `SysvMessageQueue.send`. */
  send(type: number, data: string | Uint8Array, options_?: SysvSendOptions): Promise<void> {
    try {
      const signal = options_ === undefined
        ? undefined
        : signalOption("send", options<SysvSendOptions>("send", options_).signal);
      const io = this.#io;
      const length = io.message(type, data); // checks type and data before anything else
      signal?.throwIfAborted(); // an aborted signal takes and gives nothing
      const waiter = this.#sending;
      const tried = waiter.startWithTry();
      if (tried && waiter.tried(io.trySend(length))) return DONE;
      return this.#sendWaiting(type, data, length, tried, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * The rest of a send that must wait. Apart from `send` so that the call
   * that needs no wait makes no closure context (V8 allocates one on entry
   * to a function whose variables closures capture).
   */
  #sendWaiting(
    type: number,
    data: string | Uint8Array,
    length: number,
    tried: boolean,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const io = this.#io;
    // the message just built is sent by the kernel wait (when no try came
    // first); from then on the caller may change `data` while this waits,
    // so later attempts rebuild the message from a copy
    const own = () => typeof data === "string" ? data : data.slice();
    let copy = tried ? own() : undefined;
    const attempt = (flags: number) => {
      if (copy !== undefined) return io.trySend(io.message(type, copy), flags) || undefined;
      if (io.trySend(length, flags)) return true;
      copy = own();
      return undefined;
    };
    return this.#sending.waitFor(
      signal,
      () => attempt(IPC_NOWAIT),
      this.#briefly(() => attempt(0), () => attempt(IPC_NOWAIT)),
    ).then(() => {});
  }

  /** Receive a fresh copy, waiting until a message matches; see `SysvMessageQueue.receive`. */
  receive(options_: SysvReceiveOptions | undefined): Promise<SysvMessage> {
    return this.#receive(options_, undefined) as Promise<SysvMessage>;
  }

  /** Receive into `buffer`, waiting until a message matches; see `SysvMessageQueue.receiveInto`. */
  receiveInto(buffer: Uint8Array, options_: SysvReceiveOptions | undefined): Promise<SysvReceived> {
    return this.#receive(options_, buffer) as Promise<SysvReceived>;
  }

  /**
   * The receive calls: a fresh copy (no `buffer`) or into `buffer`. A
   * receive that needs no wait allocates only its result and its promise.
   */
  #receive(
    options_: SysvReceiveOptions | undefined,
    buffer: Uint8Array | undefined,
  ): Promise<SysvMessage | SysvReceived> {
    try {
      const o = options_ === undefined
        ? undefined
        : options<SysvReceiveOptions>("receive", options_);
      const signal = o === undefined ? undefined : signalOption("receive", o.signal);
      const io = this.#io;
      const req = io.request(o, buffer);
      signal?.throwIfAborted(); // an aborted signal takes and gives nothing
      const waiter = this.#receiving;
      if (waiter.startWithTry()) {
        const now = take(io, req, buffer);
        if (waiter.tried(now !== undefined)) return Promise.resolve(now!);
      }
      return this.#receiveWaiting(req, buffer, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The rest of a receive that must wait (apart for the reason given at `#sendWaiting`). */
  #receiveWaiting(
    req: ReceiveRequest,
    buffer: Uint8Array | undefined,
    signal: AbortSignal | undefined,
  ): Promise<SysvMessage | SysvReceived> {
    const io = this.#io;
    const attempt = () => take(io, req, buffer);
    // the blocking request is made only when a kernel wait comes
    let blocking: ReceiveRequest | undefined;
    const block = () => take(io, blocking ??= { ...req, flags: req.flags & ~IPC_NOWAIT }, buffer);
    return this.#receiving.waitFor(signal, attempt, this.#briefly(block, attempt));
  }

  /** Reject the pending waits and delete the timer. */
  close(): void {
    this.#sending.cancelAll();
    this.#receiving.cancelAll();
    this.#interrupter?.close();
  }

  /**
   * The brief kernel wait: `blocking` (a call without IPC_NOWAIT) ended by
   * the timer after `syncWait` µs, or `attempt` where no timer can be had.
   */
  #briefly<T>(blocking: Attempt<T>, attempt: Attempt<T>): Attempt<T> | undefined {
    const microseconds = this.#syncWait;
    if (microseconds <= 0) return undefined;
    return () => {
      if (this.#interrupter === undefined) this.#interrupter = Interrupter.create() ?? null;
      return this.#interrupter === null
        ? attempt()
        : this.#interrupter.within(microseconds, blocking, attempt);
    };
  }
}
