// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Sending signals: {@linkcode sendSignal} (kill, or sigqueue with a value)
 * and {@linkcode isProcessAlive}.
 *
 * @module
 */
import { check, libc } from "../_ffi/libc.ts";
import { processState } from "../_ffi/process.ts";
import { checkPid, checkValue } from "./_common.ts";
import { type SignalName, signalNumber } from "./names.ts";

/** Options for {@linkcode sendSignal}. */
export interface SendSignalOptions {
  /**
   * Send with `sigqueue(3)` carrying this value: the receiver reads it as
   * `si_value` (a number is `sival_int`; a bigint fills all 64 bits of
   * `sival_ptr`). Realtime signals queue one instance per send; classic
   * signals still coalesce.
   *
   * @default {undefined} (plain `kill(2)`, no value)
   */
  value?: number | bigint;
  /**
   * Allow `pid` ≤ 0, which `kill(2)` reads as a process GROUP: 0 is the
   * caller's own group, -1 is every process the caller may signal, and -n is
   * group n. Without this option such pids are a RangeError, because a
   * stray 0 or -1 would signal far more than one process.
   *
   * @default {false}
   */
  processGroup?: boolean;
}

/**
 * Send a signal to a process.
 *
 * Any signal by name or number, including realtime ones written
 * `"SIGRTMIN+n"` / `"SIGRTMAX-n"`. With `value` it uses `sigqueue(3)`, so a
 * receiver reading `siginfo` (`sigwaitinfo`, `signalfd`, a
 * {@linkcode SignalQueue}) gets the value and this process's pid.
 *
 * Beware: a realtime signal whose receiver does not block or handle it
 * terminates the receiver — including any Deno process, which cannot handle
 * realtime signals (see {@linkcode SignalQueue}).
 *
 * Requires `--allow-ffi` permission.
 *
 * NOTE: This API is only available on Linux.
 *
 * @param pid The target process (> 0; see `processGroup` for ≤ 0).
 * @param signal A signal name or number; 0 only probes (see {@linkcode isProcessAlive}).
 * @param options Optional value and process-group opt-in.
 * @throws {TypeError} On a non-integer pid, unknown signal name, or bad value type.
 * @throws {RangeError} On pid ≤ 0 without `processGroup`, an out-of-range signal or value.
 * @throws {Deno.errors.NotFound} When no such process exists (`code` "ESRCH").
 * @throws {Deno.errors.PermissionDenied} When the caller may not signal it (`code` "EPERM").
 * @throws {Deno.errors.WouldBlock} When the receiver's realtime queue is full (`code` "EAGAIN").
 *
 * @example Signal a child process
 * ```ts
 * import assert from "node:assert/strict";
 * import { sendSignal } from "@ipc/linux/signals";
 *
 * const child = new Deno.Command("sleep", { args: ["30"] }).spawn();
 * sendSignal(child.pid, "SIGTERM");
 * const status = await child.status;
 * assert.equal(status.signal, "SIGTERM");
 * ```
 *
 * @example Process groups need an explicit opt-in
 * ```ts
 * import assert from "node:assert/strict";
 * import { sendSignal } from "@ipc/linux/signals";
 *
 * assert.throws(() => sendSignal(0, "SIGTERM"), RangeError);
 * assert.throws(() => sendSignal(-1, "SIGKILL"), RangeError);
 * ```
 */
export function sendSignal(
  pid: number,
  signal: SignalName | number,
  options: SendSignalOptions = {},
): void {
  const action = `send signal ${typeof signal === "string" ? signal : String(signal)}`;
  checkPid(pid, action);
  const signo = signal === 0 ? 0 : signalNumber(signal);
  const { value, processGroup = false } = options;
  if (pid <= 0 && processGroup !== true) {
    throw new RangeError(
      `Cannot ${action} to pid ${pid}: pids ≤ 0 address process groups (0: the caller's group, ` +
        `-1: every process it may signal, -n: group n); pass { processGroup: true } to mean it`,
    );
  }
  const lib = libc();
  if (value === undefined) {
    check(lib.kill(pid, signo), "kill", pid);
    return;
  }
  const word = checkValue(value, action);
  if (pid <= 0) {
    throw new TypeError(
      `Cannot ${action} to pid ${pid} with a value: sigqueue signals one process`,
    );
  }
  check(lib.sigqueue(pid, signo, word), "sigqueue", pid);
}

/**
 * Whether a process exists: `kill(pid, 0)`, where EPERM (it exists but
 * belongs to someone else) counts as alive. A zombie (exited, not yet
 * reaped by its parent) still counts as alive (it exists until reaped).
 *
 * Requires `--allow-ffi` permission.
 *
 * NOTE: This API is only available on Linux.
 *
 * @param pid The process id (> 0).
 * @returns `true` if the process exists.
 * @throws {TypeError} When `pid` is not an integer.
 * @throws {RangeError} When `pid` ≤ 0.
 *
 * @example This process, and a reaped child
 * ```ts
 * import assert from "node:assert/strict";
 * import { isProcessAlive } from "@ipc/linux/signals";
 *
 * assert.equal(isProcessAlive(Deno.pid), true);
 * const child = new Deno.Command("true").spawn();
 * await child.status;
 * assert.equal(isProcessAlive(child.pid), false);
 * ```
 */
export function isProcessAlive(pid: number): boolean {
  checkPid(pid, "probe process");
  if (pid <= 0) {
    throw new RangeError(`Cannot probe process ${pid}: pids ≤ 0 address process groups`);
  }
  return processState(pid) !== "gone";
}
