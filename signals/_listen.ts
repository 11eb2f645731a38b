// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the runtime's own signal listeners (Deno.addSignalListener, or
 * Node's process.on), restricted to the classic signals a runtime can
 * deliver. No code here installs a raw signal handler.
 *
 * @module
 */
import { NSIG_MAX, SIGNALS } from "../_ffi/constants.ts";
import { errors } from "../_ffi/errors.ts";
import { host } from "../_ffi/host.ts";
import { show } from "./_common.ts";
import type { ClassicSignalName, SignalName } from "./names.ts";

/** Signals no process can catch, or that only a crash raises. */
const UNCATCHABLE = new Set(["SIGKILL", "SIGSTOP", "SIGILL", "SIGFPE", "SIGSEGV"]);
const CANONICAL: Readonly<Record<string, string>> = { SIGIOT: "SIGABRT", SIGPOLL: "SIGIO" };
const BY_NUMBER = new Map(Object.entries(SIGNALS).map(([name, n]) => [n, name]));
/** The spelling of a realtime signal name (its range is checked by names.ts). */
const REALTIME_NAME = /^SIGRTM(IN|AX)(?:[+-]\d{1,3})?$/;

/** A signal a runtime listener can receive. */
export type ListenableSignal = Exclude<
  ClassicSignalName,
  "SIGKILL" | "SIGSTOP" | "SIGILL" | "SIGFPE" | "SIGSEGV"
>;

/**
 * The canonical name of a signal a runtime listener can receive, or a
 * TypeError (unknown/uncatchable) or NotSupported (realtime) error.
 */
export function listenable(signal: SignalName | number, action: string): ListenableSignal {
  let name: string | undefined;
  if (typeof signal === "number") {
    if (!Number.isInteger(signal)) {
      throw new TypeError(`Cannot ${action} signal ${signal}: not an integer`);
    }
    if (signal < 1 || signal > NSIG_MAX) {
      throw new RangeError(`Cannot ${action} signal ${signal}: signals are 1–${NSIG_MAX}`);
    }
    name = BY_NUMBER.get(signal);
    if (name === undefined) throw realtime(String(signal), action);
  } else if (typeof signal === "string") {
    if (REALTIME_NAME.test(signal)) throw realtime(signal, action);
    name = CANONICAL[signal] ?? signal;
    if (!Object.hasOwn(SIGNALS, name)) {
      throw new TypeError(`Cannot ${action} signal "${signal}": unknown name`);
    }
  } else {
    throw new TypeError(`Cannot ${action} signal ${show(signal)}: expected a name or number`);
  }
  if (UNCATCHABLE.has(name)) {
    throw new TypeError(`Cannot ${action} ${name}: it cannot be caught by a listener`);
  }
  return name as ListenableSignal;
}

function realtime(signal: string, action: string): Error {
  return new errors.NotSupported(
    `Cannot ${action} signal ${signal}: the runtime's listeners deliver only the classic ` +
      `signals; block a realtime signal before the process starts and read it with a SignalQueue`,
  );
}

/** Add a runtime listener. */
export function addListener(name: ListenableSignal, fn: () => void): void {
  host().addSignalListener(name, fn);
}

/** Remove a runtime listener added with {@linkcode addListener}. */
export function removeListener(name: ListenableSignal, fn: () => void): void {
  host().removeSignalListener(name, fn);
}

/** End the process with `code` (Deno.exit or process.exit). */
export function exitProcess(code: number): never {
  return host().exit(code);
}

/**
 * Keeps the event loop alive while held (a runtime's signal listeners do
 * not): one long interval timer, ref'd while held and unref'd otherwise, so
 * holding and releasing per wait costs no timer creation.
 */
export class KeepAlive {
  #timer: ReturnType<typeof setInterval> | undefined;
  #held = false;

  /** Keep the process alive until {@linkcode KeepAlive.release}. */
  hold(): void {
    if (this.#held) return;
    this.#held = true;
    if (this.#timer === undefined) this.#timer = setInterval(() => {}, 0x7fff_ffff);
    else host().refTimer(this.#timer, true);
  }

  /** Let the process exit again. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    host().refTimer(this.#timer!, false);
  }

  /** Drop the timer for good. */
  dispose(): void {
    this.#held = false;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
