// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the one answer to "is process `pid` still there?", for every
 * mechanism that asks (shm's peers and owners, signals' isProcessAlive).
 *
 * @module
 */
import { backend, libc } from "./libc.ts";
import { errnoError } from "./errno.ts";
import { EPERM, ESRCH } from "./constants.ts";
import { readTextFile } from "./fs.ts";

/**
 * What became of a process: `"alive"` (it runs), `"zombie"` (it has exited
 * and only waits for its parent to reap it) or `"gone"`.
 */
export type ProcessState = "alive" | "zombie" | "gone";

/** Whether `kill(pid, 0)` finds the process (EPERM: it exists, someone else's). */
function exists(pid: number): boolean {
  if (libc().kill(pid, 0) === 0) return true;
  const errno = backend().errno();
  if (errno === EPERM) return true;
  if (errno === ESRCH) return false;
  throw errnoError(errno, "kill", pid);
}

/**
 * The state of process `pid` (> 0): `kill(pid, 0)` says whether it exists,
 * and `/proc/<pid>/stat` whether it is a zombie. Where /proc hides it
 * (hidepid) it counts as alive while `kill` finds it.
 *
 * @param pid A process id (> 0; anything else is `"gone"`).
 */
export function processState(pid: number): ProcessState {
  if (pid <= 0 || !exists(pid)) return "gone";
  try {
    // /proc/<pid>/stat: "pid (comm) S …", the state after the last ")".
    const stat = readTextFile(`/proc/${pid}/stat`);
    return stat[stat.lastIndexOf(")") + 2] === "Z" ? "zombie" : "alive";
  } catch {
    // Gone between the two looks, or /proc hides it: ask kill again.
    return exists(pid) ? "alive" : "gone";
  }
}
