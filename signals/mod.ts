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
 * Requires `--allow-ffi` permission for everything that makes a system call
 * (`sendSignal`, `isProcessAlive`, `PidFd`, `SignalQueue`, realtime names);
 * {@linkcode onSignal}, {@linkcode signals} and {@linkcode onShutdown} need
 * none. Pidfds need Linux ≥ 5.3 (`NotSupported` before).
 *
 * NOTE: This API is only available on Linux.
 *
 * Send any signal — including realtime signals with a value, which no JavaScript runtime offers —
 * race-free through a pidfd; listen for the classic signals; shut down gracefully; and receive
 * realtime signals with their value and sender pid through a `signalfd`.
 *
 * ## Receiving realtime signals: how to launch the process
 *
 * A process-directed realtime signal **kills** a Deno process: Deno installs no handler for it, and no
 * code in this library installs a JavaScript function as a raw signal handler (that is not safe). What
 * is safe is reading a signal that is _blocked in every thread_ from a `signalfd`; the kernel then
 * keeps it pending until it is read, with its `siginfo`. A JavaScript program cannot block a signal in
 * the runtime's other threads, so the mask is inherited from the launcher. `SignalQueue.open` checks
 * `SigBlk` of every thread in `/proc/self/task/<tid>/status` and otherwise throws `NotSupported` with this
 * recipe:
 *
 * ```sh
 * # Python: block SIGRTMIN+1 (35 with glibc), then exec Deno; every thread inherits the mask.
 * python3 -c 'import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, [35]); \
 *   os.execvp(sys.argv[1], sys.argv[1:])' deno run --allow-ffi app.ts
 * ```
 *
 * or a C wrapper calling `sigprocmask(SIG_BLOCK, …)` and then `execvp` (see
 * `tests/fixtures/signals_blockexec.c`). Child processes inherit the blocked mask too.
 *
 * ## Guarantees and limits
 *
 * - **Bad input fails before any syscall**: unknown names and non-integers are `TypeError`;
 *   out-of-range numbers, `"SIGRTMIN+n"` beyond SIGRTMAX, and the glibc-reserved signals 32–33 are
 *   `RangeError`. **pids ≤ 0** address process groups (0: your own group, -1: every process you may
 *   signal) and are a `RangeError` unless you pass `{ processGroup: true }`.
 * - OS errors are `Deno.errors.*` with the errno `code`: no such process → `NotFound` (`ESRCH`), not
 *   permitted → `PermissionDenied` (`EPERM`), a receiver's full realtime queue → `WouldBlock`
 *   (`EAGAIN`).
 * - Realtime signals queue one instance per send and are delivered in order (lowest number first);
 *   classic signals coalesce. Deno's listeners (`onSignal`, `signals`) take only the classic catchable
 *   signals, may merge a burst into one call, and carry no `siginfo`.
 * - A bare listener does not keep a Deno process alive; a pending `signals()` `next()` does.
 * - `onShutdown`: every registered handler runs once, concurrently; the process exits with 128 + signo
 *   even if a handler throws (the error is printed), exits anyway after `timeout` ms (the smallest
 *   among registrations), and exits at once on a second signal, except a repeat of the first within
 *   250 ms: that is the same Ctrl-C forwarded again by `deno task` or an npm script.
 * - The sender pid in `SignalInfo` is filled in by the kernel for `kill` (`code` 0); with `sigqueue`
 *   (`code` -1) the sender supplies it, so do not use it for authentication.
 * - **A signal nobody listens for ends a Deno process**: SIGHUP, SIGUSR1, SIGUSR2 and the like keep
 *   their default action, which terminates the process, until a listener is registered, so register
 *   `onSignal`/`signals` before peers may send them. SIGUSR1 is special: like Node, a Deno 2.9 process
 *   that has run for about a second answers an unhandled SIGUSR1 by starting its inspector on
 *   127.0.0.1:9229 (before that, it dies of it). With a listener, SIGUSR1 is an ordinary signal; the
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
export * from "./types.ts";
