// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Signal names and numbers on Linux, including the realtime signals written
 * `"SIGRTMIN+n"` / `"SIGRTMAX-n"`, whose numbers come from the C library
 * (`__libc_current_sigrtmin()`), never from a hard-coded table.
 *
 * @module
 */
import { libc } from "../_ffi/libc.ts";
import { NSIG_MAX, SIGNALS } from "../_ffi/constants.ts";
import { show } from "./_common.ts";

/** The 31 classic Linux signal names (plus the aliases `SIGIOT` and `SIGPOLL`). */
export type ClassicSignalName =
  | "SIGHUP"
  | "SIGINT"
  | "SIGQUIT"
  | "SIGILL"
  | "SIGTRAP"
  | "SIGABRT"
  | "SIGIOT"
  | "SIGBUS"
  | "SIGFPE"
  | "SIGKILL"
  | "SIGUSR1"
  | "SIGSEGV"
  | "SIGUSR2"
  | "SIGPIPE"
  | "SIGALRM"
  | "SIGTERM"
  | "SIGSTKFLT"
  | "SIGCHLD"
  | "SIGCONT"
  | "SIGSTOP"
  | "SIGTSTP"
  | "SIGTTIN"
  | "SIGTTOU"
  | "SIGURG"
  | "SIGXCPU"
  | "SIGXFSZ"
  | "SIGVTALRM"
  | "SIGPROF"
  | "SIGWINCH"
  | "SIGIO"
  | "SIGPOLL"
  | "SIGPWR"
  | "SIGSYS";

/** A realtime signal name: `"SIGRTMIN"`, `"SIGRTMIN+n"`, `"SIGRTMAX"` or `"SIGRTMAX-n"`. */
export type RealtimeSignalName =
  | "SIGRTMIN"
  | "SIGRTMAX"
  | `SIGRTMIN+${number}`
  | `SIGRTMAX-${number}`;

/** Any signal name this module understands. */
export type SignalName = ClassicSignalName | RealtimeSignalName;

const ALIASES: Readonly<Record<string, number>> = { SIGIOT: 6, SIGPOLL: 29 };
const CLASSIC_BY_NUMBER = new Map(Object.entries(SIGNALS).map(([name, n]) => [n, name]));
const REALTIME = /^SIGRTM(IN|AX)(?:([+-])(\d{1,3}))?$/;

/** The C library's realtime signal range `[SIGRTMIN, SIGRTMAX]` (glibc: 34 and 64). */
export function realtimeRange(): { min: number; max: number } {
  const lib = libc();
  return { min: lib.__libc_current_sigrtmin(), max: lib.__libc_current_sigrtmax() };
}

/**
 * The signal number for a name or number.
 *
 * Numbers are checked to be a real signal: 1–31, or SIGRTMIN–SIGRTMAX (the
 * numbers between, 32 and 33 with glibc, belong to the C library's threads).
 * Realtime names and numbers above 31 need the C library, so they require
 * `--allow-ffi` permission.
 *
 * @param signal A name such as `"SIGTERM"` or `"SIGRTMIN+2"`, or a number.
 * @returns The signal number.
 * @throws {TypeError} When `signal` is not a string or number, or is an unknown name.
 * @throws {RangeError} When a number or a realtime offset is out of range.
 *
 * @example Classic and realtime names
 * ```ts
 * import assert from "node:assert/strict";
 * import { signalNumber } from "@ipc/linux/signals";
 *
 * assert.equal(signalNumber("SIGTERM"), 15);
 * assert.equal(signalNumber("SIGRTMIN+1"), signalNumber("SIGRTMIN") + 1);
 * assert.equal(signalNumber("SIGRTMAX"), 64);
 * assert.throws(() => signalNumber("SIGNOPE" as "SIGHUP"), TypeError);
 * assert.throws(() => signalNumber(65), RangeError);
 * ```
 */
export function signalNumber(signal: SignalName | number): number {
  if (typeof signal === "number") {
    if (!Number.isInteger(signal)) {
      throw new TypeError(`Cannot use signal ${signal}: not an integer`);
    }
    if (signal >= 1 && signal <= 31) return signal;
    if (signal > 31 && signal <= NSIG_MAX) {
      const { min, max } = realtimeRange();
      if (signal >= min && signal <= max) return signal;
      throw new RangeError(
        `Cannot use signal ${signal}: reserved by the C library (realtime signals are ${min}–${max})`,
      );
    }
    throw new RangeError(`Cannot use signal ${signal}: signals are 1–${NSIG_MAX}`);
  }
  if (typeof signal !== "string") {
    throw new TypeError(`Cannot use signal ${show(signal)}: expected a name or number`);
  }
  if (Object.hasOwn(SIGNALS, signal)) return SIGNALS[signal]!;
  if (Object.hasOwn(ALIASES, signal)) return ALIASES[signal]!;
  const match = REALTIME.exec(signal);
  if (match === null) {
    throw new TypeError(
      `Cannot use signal "${signal}": unknown name (use e.g. "SIGTERM", "SIGRTMIN+1" or a number)`,
    );
  }
  const [, end, sign, digits] = match;
  const { min, max } = realtimeRange();
  const offset = digits === undefined ? 0 : Number(digits);
  if ((end === "IN" && sign === "-") || (end === "AX" && sign === "+")) {
    throw new RangeError(`Cannot use signal "${signal}": outside SIGRTMIN–SIGRTMAX`);
  }
  const n = end === "IN" ? min + offset : max - offset;
  if (n < min || n > max) {
    throw new RangeError(
      `Cannot use signal "${signal}": outside SIGRTMIN–SIGRTMAX (${min}–${max}, offset ≤ ${
        max - min
      })`,
    );
  }
  return n;
}

/**
 * The canonical name of a signal number: `"SIGTERM"`, or for realtime
 * signals `"SIGRTMIN+n"` / `"SIGRTMAX-n"`, whichever end is nearer.
 *
 * @param signo A signal number, 1–64.
 * @returns The name.
 * @throws {RangeError} When `signo` is not a signal number.
 *
 * @example Names for numbers
 * ```ts
 * import assert from "node:assert/strict";
 * import { signalName, signalNumber } from "@ipc/linux/signals";
 *
 * assert.equal(signalName(10), "SIGUSR1");
 * assert.equal(signalName(signalNumber("SIGRTMIN+3")), "SIGRTMIN+3");
 * assert.equal(signalName(64), "SIGRTMAX");
 * ```
 */
export function signalName(signo: number): SignalName {
  if (typeof signo !== "number") {
    // signalNumber would take a name and the realtime arithmetic below garble it.
    throw new TypeError(`Cannot name signal ${show(signo)}: expected a signal number`);
  }
  const classic = CLASSIC_BY_NUMBER.get(signo);
  if (classic !== undefined) return classic as SignalName;
  const n = signalNumber(signo);
  const { min, max } = realtimeRange();
  if (n - min <= max - n) return n === min ? "SIGRTMIN" : `SIGRTMIN+${n - min}`;
  return n === max ? "SIGRTMAX" : `SIGRTMAX-${max - n}`;
}
