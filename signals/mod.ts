// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Signals between processes: send any signal (including realtime ones, with
 * a value), race-free through a pidfd; listen for the classic signals;
 * shut down gracefully; and receive realtime signals with their value and
 * sender pid through a {@linkcode SignalQueue}.
 *
 * Deno's own listeners cover the classic signals only, coalesce bursts and
 * give no `siginfo`; a process-directed realtime signal terminates a Deno
 * process unless it was started with that signal blocked. Nothing in this
 * module installs a raw signal handler.
 *
 * Requires `--allow-ffi` permission (except {@linkcode onSignal},
 * {@linkcode signals} and {@linkcode onShutdown}).
 *
 * NOTE: This API is only available on Linux.
 *
 * @example Nudge a child and wait for it to exit
 * ```ts
 * import assert from "node:assert/strict";
 * import { isProcessAlive, sendSignal } from "@ipc/linux/signals";
 *
 * const child = new Deno.Command("sleep", { args: ["30"] }).spawn();
 * assert.equal(isProcessAlive(child.pid), true);
 * sendSignal(child.pid, "SIGINT");
 * assert.equal((await child.status).signal, "SIGINT");
 * ```
 *
 * @module
 */
export * from "./names.ts";
export * from "./send.ts";
export * from "./pidfd.ts";
export * from "./receive.ts";
export * from "./shutdown.ts";
export * from "./signal_queue.ts";
