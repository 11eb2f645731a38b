// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The types of {@linkcode SignalQueue}'s received signals and options.
 *
 * @module
 */
import type { SignalName } from "./names.ts";

/** One received signal and what its sender attached. */
export interface SignalInfo {
  /** The signal's name, e.g. `"SIGRTMIN+1"`. */
  signal: SignalName;
  /** The signal's number. */
  signo: number;
  /**
   * How it was sent: 0 `kill` (SI_USER), -1 `sigqueue` (SI_QUEUE), -6
   * `tgkill` (SI_TKILL), 128 the kernel (SI_KERNEL), …
   */
  code: number;
  /**
   * The sender's pid. The kernel fills it in for `kill` (code 0); with
   * `sigqueue` (code -1) the sender supplies it, so do not trust it for
   * authentication.
   */
  pid: number;
  /** The sender's real uid (same caveat as `pid`). */
  uid: number;
  /** `si_value.sival_int`: the number given to `sendSignal(…, { value })`. */
  value: number;
  /** `si_value.sival_ptr`: all 64 bits of the value, signed. */
  value64: bigint;
}

/** Options for {@linkcode SignalQueue.open}. */
export interface SignalQueueOpenOptions {
  /**
   * How long, in microseconds, a receive that finds no signal pending may
   * wait for one on the main thread (the event loop waits meanwhile) before
   * the wait moves to the library's shared poll thread. A signal that comes
   * within it is taken by `sigtimedwait(2)` in the call that waited for it,
   * without a thread hop, as `sigwaitinfo` does in C.
   * 0 turns it off: waiting never holds the event loop.
   *
   * @default {200}
   */
  syncWait?: number;
}

/** Options for {@linkcode SignalQueue.receive}. */
export interface SignalQueueReceiveOptions {
  /** Stop waiting; the promise rejects with `signal.reason`. @default {undefined} */
  signal?: AbortSignal;
}
