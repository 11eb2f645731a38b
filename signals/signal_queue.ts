// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode SignalQueue}: receive signals WITH their `siginfo` (sender pid,
 * `si_value`, realtime signals queued one per send) through a `signalfd`,
 * safely, in a process started with those signals blocked.
 *
 * @module
 */
import { backend, check, libc } from "../_ffi/libc.ts";
import { EAGAIN, POLLIN, SFD_CLOEXEC, SFD_NONBLOCK } from "../_ffi/constants.ts";
import {
  decodeSiginfo,
  decodeSignalfdSiginfo,
  encodeSigset,
  encodeTimespec,
  SIGINFO_SIZE,
  SIGNALFD_SIGINFO_SIZE,
} from "../_ffi/struct.ts";
import { waitReady } from "../_ffi/poller.ts";
import { errnoError } from "../_ffi/errno.ts";
import { errors } from "../_ffi/errors.ts";
import { host } from "../_ffi/host.ts";
import { MAX_WAIT_MICROS } from "../_ffi/validate.ts";
import { show } from "./_common.ts";
import { launchRecipe, unblockedThreads } from "./_mask.ts";
import { type SignalName, signalName, signalNumber } from "./names.ts";
import type { SignalInfo, SignalQueueOpenOptions, SignalQueueReceiveOptions } from "./types.ts";

/**
 * Siginfos taken per read: one, so every signal read is a signal returned,
 * and close() leaves all the others pending in the kernel.
 */
const BATCH = 1;

/**
 * Receives signals through a `signalfd(2)`, with the sender's pid and the
 * value sent by `sigqueue` — which no JavaScript runtime's signal listeners
 * give — and realtime signals, which a Deno process otherwise cannot survive.
 *
 * A signal is only safely readable this way when it is blocked in EVERY
 * thread of the process; otherwise the kernel may deliver it to one of the
 * runtime's threads, where its default action applies (a realtime signal
 * terminates the process). A JavaScript program cannot block a signal in the
 * runtime's other threads, so the mask must be inherited from whoever
 * started the process: {@linkcode SignalQueue.open} checks every thread in
 * `/proc/self/task/<tid>/status` (SigBlk) and throws NotSupported, with a
 * launcher recipe, when any thread leaves a signal unblocked. For example:
 *
 * ```sh
 * python3 -c 'import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, [35]); \
 *   os.execvp(sys.argv[1], sys.argv[1:])' deno run -A app.ts
 * ```
 *
 * Child processes inherit the blocked mask too. No code path installs a
 * signal handler: blocked signals simply wait in the kernel until read.
 *
 * Requires `--allow-ffi` permission.
 *
 * NOTE: This API is only available on Linux.
 *
 * @example Open a queue only when the launcher blocked the signal
 * ```ts
 * import assert from "node:assert/strict";
 * import { SignalQueue } from "@ipc/linux/signals";
 *
 * try {
 *   using queue = SignalQueue.open("SIGRTMIN+1");
 *   const info = await queue.receive({ signal: AbortSignal.timeout(10) }).catch(() => undefined);
 *   assert.equal(info, undefined); // nobody sent one
 * } catch (err) {
 *   // Started without the mask (the usual case): it says how to launch.
 *   assert.ok(err instanceof Deno.errors.NotSupported);
 *   assert.match(err.message, /pthread_sigmask/);
 * }
 * ```
 */
export class SignalQueue implements Disposable, AsyncIterable<SignalInfo> {
  #fd: number;
  readonly #signos: readonly number[];
  #buffer = new Uint8Array(SIGNALFD_SIGINFO_SIZE * BATCH);
  #pending: SignalInfo[] = [];
  #closing = new AbortController();
  /** sigtimedwait's arguments: the set, the siginfo_t filled in, the timeout; or none. */
  readonly #brief: [Uint8Array, Uint8Array, Uint8Array] | undefined;

  private constructor(fd: number, signos: readonly number[], syncWait: number) {
    this.#fd = fd;
    this.#signos = signos;
    this.#brief = syncWait > 0
      ? [encodeSigset(signos), new Uint8Array(SIGINFO_SIZE), encodeTimespec(syncWait / 1000)]
      : undefined;
  }

  /**
   * Open a signalfd for one or more signals that this process's launcher
   * blocked in every thread.
   *
   * @param signals A signal, or a non-empty list, by name or number.
   * @param options `syncWait`: how long a receive may wait on the main thread.
   * @returns The queue; close it when done.
   * @throws {TypeError} On an unknown name, an empty list, or SIGKILL/SIGSTOP.
   * @throws {RangeError} On an out-of-range signal number or `syncWait`.
   * @throws {Deno.errors.NotSupported} When a signal is not blocked in every
   * thread (the message says which, and how to launch the process), and
   * always on Node.js and Bun, whose main threads unblock signals.
   */
  static open(
    signals: SignalName | number | readonly (SignalName | number)[],
    options: SignalQueueOpenOptions = {},
  ): SignalQueue {
    const syncWait = options.syncWait ?? 200;
    if (!Number.isInteger(syncWait) || syncWait < 0 || syncWait > MAX_WAIT_MICROS) {
      throw new RangeError(
        `Cannot open signal queue: syncWait ${
          show(options.syncWait)
        } is not an integer in 0..${MAX_WAIT_MICROS}`,
      );
    }
    const list = Array.isArray(signals) ? signals : [signals];
    if (list.length === 0) {
      throw new TypeError("Cannot open signal queue: expected at least one signal");
    }
    // Array.from visits holes (as undefined), which map would skip and Set then add.
    const signos = [...new Set(Array.from(list, (s) => signalNumber(s as SignalName | number)))];
    for (const n of signos) {
      if (n === 9 || n === 19) {
        throw new TypeError(`Cannot open signal queue for ${signalName(n)}: it cannot be blocked`);
      }
    }
    const limit = host().signalMaskLimit;
    if (limit !== undefined) {
      const names = signos.map((n) => `${signalName(n)} (${n})`).join(", ");
      throw new errors.NotSupported(`Cannot open signal queue for ${names}: ${limit}`);
    }
    const unblocked = unblockedThreads(signos);
    if (unblocked.length > 0) {
      const missing = [...new Set(unblocked.flatMap((t) => t.signals))].sort((a, b) => a - b);
      const names = missing.map((n) => `${signalName(n)} (${n})`).join(", ");
      const first = unblocked[0]!;
      throw new errors.NotSupported(
        `Cannot open signal queue for ${names}: not blocked in every thread of this process ` +
          `(${unblocked.length} thread${unblocked.length > 1 ? "s" : ""}, e.g. ${first.tid} ` +
          `"${first.name}", would take it with its default action${
            missing.some((n) => n > 31) ? ", which for a realtime signal kills the process" : ""
          }); ${launchRecipe(missing)}`,
      );
    }
    const fd = check(
      libc().signalfd(-1, encodeSigset(signos), SFD_CLOEXEC | SFD_NONBLOCK),
      "signalfd",
      signos.join(","),
    );
    return new SignalQueue(fd, signos, syncWait);
  }

  /** The signal numbers this queue receives. */
  get signals(): readonly number[] {
    return this.#signos;
  }

  /** The signalfd (-1 once closed). */
  get fd(): number {
    return this.#fd;
  }

  /** Whether {@linkcode SignalQueue.close} was called. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /**
   * Take one pending signal without waiting.
   *
   * @returns The signal, or `undefined` when none is pending.
   * @throws {Deno.errors.BadResource} When the queue is closed.
   */
  tryReceive(): SignalInfo | undefined {
    if (this.#pending.length > 0) return this.#pending.shift();
    this.#assertOpen("receive");
    const n = Number(libc().read(this.#fd, this.#buffer, BigInt(this.#buffer.length)));
    if (n < 0) {
      const errno = backend().errno();
      if (errno === EAGAIN) return undefined;
      throw errnoError(errno, "read", `signalfd ${this.#signos.join(",")}`);
    }
    for (let off = 0; off + SIGNALFD_SIGINFO_SIZE <= n; off += SIGNALFD_SIGINFO_SIZE) {
      this.#pending.push(this.#info(this.#buffer, off));
    }
    return this.#pending.shift();
  }

  /** A SignalInfo from a signalfd_siginfo at `offset`, or (no offset) from a siginfo_t. */
  #info(bytes: Uint8Array, offset?: number): SignalInfo {
    const raw = offset === undefined ? decodeSiginfo(bytes) : decodeSignalfdSiginfo(bytes, offset);
    return {
      signal: signalName(raw.signo),
      signo: raw.signo,
      code: raw.code,
      pid: raw.pid,
      uid: raw.uid,
      value: raw.int,
      value64: BigInt.asIntN(64, raw.ptr),
    };
  }

  /**
   * Wait for the next signal. The wait shares the library's one poll
   * thread; the read itself happens on the main thread.
   *
   * @param options An optional AbortSignal.
   * @returns The signal and its `siginfo`.
   * @throws {Deno.errors.BadResource} When the queue is or gets closed.
   */
  async receive(options: SignalQueueReceiveOptions = {}): Promise<SignalInfo> {
    const { signal } = options;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(`Cannot receive: options.signal ${show(signal)} is not an AbortSignal`);
    }
    signal?.throwIfAborted();
    for (;;) {
      // One short wait on this thread first: sigtimedwait takes the signal
      // in the same system call that waits for it, as sigwaitinfo does in C.
      const brief = this.#brief;
      if (brief !== undefined && this.#pending.length === 0) {
        this.#assertOpen("receive");
        if (libc().sigtimedwait(brief[0], brief[1], brief[2]) > 0) return this.#info(brief[1]);
      }
      const info = this.tryReceive();
      if (info !== undefined) return info;
      const abort = signal === undefined
        ? this.#closing.signal
        : AbortSignal.any([signal, this.#closing.signal]);
      try {
        await waitReady(this.#fd, POLLIN, abort);
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        throw err;
      }
    }
  }

  /** Receive signals until the queue is closed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<SignalInfo, void, undefined> {
    while (!this.closed) {
      try {
        yield await this.receive();
      } catch (err) {
        if (this.closed) return;
        throw err;
      }
    }
  }

  /**
   * Close the signalfd; pending receives reject with BadResource. Signals
   * not yet read stay pending (blocked) in the process. Idempotent.
   */
  close(): void {
    if (this.#fd < 0) return;
    this.#closing.abort(new errors.BadResource("Cannot receive: the signal queue was closed"));
    const fd = this.#fd;
    this.#fd = -1;
    this.#pending = [];
    libc().close(fd);
  }

  /** Same as {@linkcode SignalQueue.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  #assertOpen(action: string): void {
    if (this.#fd < 0) throw new errors.BadResource(`Cannot ${action}: the signal queue is closed`);
  }
}
