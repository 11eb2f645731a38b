// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode onShutdown}: graceful shutdown on SIGTERM/SIGINT — run async
 * cleanup once, then exit with the conventional status 128 + signal number.
 *
 * @module
 */
import { SIGNALS } from "../_ffi/constants.ts";
import {
  addListener,
  exitProcess,
  listenable,
  type ListenableSignal,
  removeListener,
} from "./_listen.ts";
import type { SignalName } from "./names.ts";
import { SignalSubscription } from "./receive.ts";

/** Options for {@linkcode onShutdown}. */
export interface OnShutdownOptions {
  /** The signals that start the shutdown. @default {["SIGTERM", "SIGINT"]} */
  signals?: readonly (SignalName | number)[];
  /**
   * Milliseconds the cleanup may take before the process exits anyway (with
   * the same status). With several registrations the smallest applies.
   *
   * @default {10000}
   */
  timeout?: number;
}

interface Registration {
  handler: (signal: ListenableSignal) => unknown;
  timeout: number;
}

const registrations = new Set<Registration>();
/** One runtime listener per signal, shared by the registrations that want it. */
const listeners = new Map<ListenableSignal, { fn: () => void; users: number }>();
let shuttingDown = false;
/** The signal that started the shutdown, and when (ms, performance.now()). */
let first: { signal: ListenableSignal; at: number } | undefined;
/**
 * A repeat of the first signal sooner than this is the same request: a
 * wrapper (`deno task`, npm scripts) forwards to its child the Ctrl-C that
 * the terminal already sent the child's whole process group.
 */
const REPEAT_MS = 250;

function listen(name: ListenableSignal): void {
  const entry = listeners.get(name);
  if (entry) {
    entry.users++;
    return;
  }
  const fn = () => void shutdown(name);
  addListener(name, fn);
  listeners.set(name, { fn, users: 1 });
}

function unlisten(name: ListenableSignal): void {
  const entry = listeners.get(name)!;
  if (--entry.users > 0) return;
  listeners.delete(name);
  removeListener(name, entry.fn);
}

async function shutdown(signal: ListenableSignal): Promise<void> {
  const code = 128 + SIGNALS[signal]!;
  if (shuttingDown) {
    if (signal === first?.signal && performance.now() - first.at < REPEAT_MS) return;
    // A second signal while cleaning up: the user insists.
    exitProcess(code);
  }
  shuttingDown = true;
  first = { signal, at: performance.now() };
  const all = [...registrations];
  const timeout = Math.min(...all.map((r) => r.timeout), 0x7fff_ffff);
  const timer = setTimeout(() => {
    console.error(`onShutdown: cleanup did not finish within ${timeout} ms; exiting`);
    exitProcess(code);
  }, timeout);
  const results = await Promise.allSettled(all.map(async (r) => await r.handler(signal)));
  clearTimeout(timer);
  for (const result of results) {
    if (result.status === "rejected") console.error("onShutdown: cleanup failed:", result.reason);
  }
  exitProcess(code);
}

/**
 * A registration made by {@linkcode onShutdown}; disposing it removes its
 * handler and signal listeners (unless the shutdown already started).
 */
export class ShutdownSubscription extends SignalSubscription {}

/**
 * Run `handler` once when the process is asked to stop, then exit.
 *
 * On the first of `signals`, every handler registered with `onShutdown`
 * runs (concurrently, each once) and the process exits with status
 * 128 + the signal's number (143 for SIGTERM, 130 for SIGINT), even if a
 * handler throws (its error is printed). If cleanup takes longer than
 * `timeout`, the process exits anyway; a second signal during cleanup exits
 * at once, except a repeat of the first signal within 250 ms: that is the
 * same Ctrl-C again, forwarded by a wrapper such as `deno task` or an npm
 * script to a process that already got it from the terminal. The listeners
 * do not keep the process alive.
 *
 * @param handler Cleanup; may be async. Receives the signal's name.
 * @param options Signals and timeout.
 * @returns A subscription; dispose it to unregister.
 * @throws {TypeError} On a non-function handler, an empty signal list, or an
 * unknown or uncatchable signal.
 * @throws {RangeError} On a timeout that is not a non-negative finite number.
 * @throws {Deno.errors.NotSupported} On a realtime signal.
 *
 * @example Close a server on SIGTERM or SIGINT
 * ```ts
 * import assert from "node:assert/strict";
 * import { onShutdown } from "@ipc/linux/signals";
 *
 * const listener = Deno.listen({ port: 0 });
 * using registration = onShutdown(async (signal) => {
 *   console.error(`${signal}: closing`);
 *   listener.close();
 * }, { timeout: 5000 });
 * assert.equal(registration.closed, false);
 * // … serve; on SIGTERM the process closes the listener and exits with 143.
 * registration.close();
 * listener.close();
 * ```
 */
export function onShutdown(
  handler: (signal: ListenableSignal) => unknown,
  options: OnShutdownOptions = {},
): ShutdownSubscription {
  if (typeof handler !== "function") {
    throw new TypeError("Cannot register shutdown handler: handler is not a function");
  }
  const { signals = ["SIGTERM", "SIGINT"], timeout = 10_000 } = options;
  if (!Array.isArray(signals) || signals.length === 0) {
    throw new TypeError("Cannot register shutdown handler: expected a non-empty array of signals");
  }
  if (typeof timeout !== "number" || !(timeout >= 0) || !Number.isFinite(timeout)) {
    throw new RangeError(
      `Cannot register shutdown handler: timeout ${timeout} is not a non-negative number`,
    );
  }
  // Array.from visits holes (as undefined), which map would skip and Set then add.
  const names = [...new Set(Array.from(signals, (s) => listenable(s, "shut down on")))];
  const registration: Registration = { handler, timeout };
  const listening: ListenableSignal[] = [];
  try {
    for (const name of names) {
      listen(name);
      listening.push(name);
    }
  } catch (err) {
    for (const name of listening) unlisten(name); // a refused listener: none stays behind
    throw err;
  }
  registrations.add(registration);
  return new ShutdownSubscription(() => {
    if (shuttingDown) return;
    registrations.delete(registration);
    for (const name of names) unlisten(name);
  });
}
