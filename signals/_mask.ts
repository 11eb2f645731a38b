// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: which threads of this process do NOT block a signal, read from
 * /proc/self/task/<tid>/status (SigBlk), and the launcher recipe to fix it.
 *
 * @module
 */
import { errors } from "../_ffi/errors.ts";
import { readDirNames, readTextFile } from "../_ffi/fs.ts";

/** A thread that would take a signal with its default action. */
export interface UnblockedThread {
  /** Thread id. */
  tid: number;
  /** Thread name (`Name:` in /proc). */
  name: string;
  /** The signal numbers it leaves unblocked. */
  signals: number[];
}

/** The threads of this process that leave any of `signos` unblocked. */
export function unblockedThreads(signos: readonly number[]): UnblockedThread[] {
  const found: UnblockedThread[] = [];
  for (const tid of readDirNames("/proc/self/task")) {
    let status: string;
    try {
      status = readTextFile(`/proc/self/task/${tid}/status`);
    } catch (err) {
      // The thread just ended (ENOENT, or ESRCH while it is being torn down).
      if (err instanceof errors.NotFound || (err as { code?: string }).code === "ESRCH") continue;
      throw err;
    }
    const blocked = BigInt("0x" + (/^SigBlk:\s*([0-9a-f]+)/m.exec(status)?.[1] ?? "0"));
    const missing = signos.filter((n) => ((blocked >> BigInt(n - 1)) & 1n) === 0n);
    if (missing.length > 0) {
      found.push({
        tid: Number(tid),
        name: /^Name:\s*(.*)$/m.exec(status)?.[1] ?? "?",
        signals: missing,
      });
    }
  }
  return found;
}

/** How to start a process with `signos` blocked in every thread. */
export function launchRecipe(signos: readonly number[]): string {
  const list = signos.join(", ");
  return `start the process with the signal${signos.length > 1 ? "s" : ""} already blocked, ` +
    `which every thread inherits, e.g.: python3 -c 'import os, signal, sys; ` +
    `signal.pthread_sigmask(signal.SIG_BLOCK, [${list}]); os.execvp(sys.argv[1], sys.argv[1:])' ` +
    `deno run -A app.ts  (or a C wrapper calling sigprocmask(SIG_BLOCK, …) then execvp)`;
}
