// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode sweepSysvObjects}: remove System V leftovers whose processes died.
 *
 * @module
 */
import { libc } from "../_ffi/mod.ts";
import { listSysvObjects, removeSysvObject, type SysvObjectInfo } from "./list.ts";
import { pidAlive } from "../shm/_owner.ts";
import { boolean, options as checkOptions } from "./_common.ts";

/** Options for {@linkcode sweepSysvObjects}. */
export interface SysvSweepOptions {
  /**
   * Only report what would be removed.
   *
   * @default {false}
   */
  dryRun?: boolean;
}

/** One object {@linkcode sweepSysvObjects} removed (or would remove). */
export interface SysvSwept extends SysvObjectInfo {
  /** Why it counts as abandoned. */
  reason: string;
}

function dead(pid: number): boolean {
  return pid > 0 && !pidAlive(pid);
}

function abandoned(o: SysvObjectInfo, lastPid: number): string | undefined {
  if (o.kind === "shm" && o.count === 0 && dead(o.pid ?? 0) && (lastPid === 0 || dead(lastPid))) {
    return `no attachment; creator ${o.pid} and last user ${lastPid || "-"} are gone`;
  }
  if (o.kind === "msg" && o.count === 0 && dead(o.pid ?? 0) && (lastPid === 0 || dead(lastPid))) {
    return `empty; last sender ${o.pid} and last receiver ${lastPid || "-"} are gone`;
  }
  return undefined;
}

/**
 * Remove System V objects of this user that nobody can be using any more,
 * where the kernel records enough to know: shared memory segments with no
 * attachment whose creator (`shm_cpid`) and last user (`shm_lpid`) have
 * exited, and EMPTY message queues whose last sender (`msg_lspid`) and last
 * receiver (`msg_lrpid`) have exited. Semaphore sets record no owner and are
 * never swept; nor is anything of another user, or a queue still holding
 * messages. System V objects carry no record of who made them, so this may
 * remove another program's idle object of the same user: use `dryRun` first.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @param options `dryRun` to only report.
 * @returns What was removed (or would be).
 *
 * @example Report without removing
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepSysvObjects } from "@ipc/linux/sysv";
 *
 * const found = sweepSysvObjects({ dryRun: true });
 * assert.ok(Array.isArray(found));
 * ```
 */
export function sweepSysvObjects(options?: SysvSweepOptions): SysvSwept[] {
  const dryRun = boolean(
    "sweep",
    "dryRun",
    checkOptions<SysvSweepOptions>("sweep", options).dryRun,
  );
  const euid = libc().geteuid();
  const swept: SysvSwept[] = [];
  for (const o of listSysvObjects(["shm", "msg"])) {
    if (o.uid !== euid) continue;
    const reason = abandoned(o, o.lastPid ?? 0);
    if (reason === undefined) continue;
    if (!dryRun) {
      try {
        removeSysvObject(o.kind, o.id);
      } catch {
        continue; // removed meanwhile, or not ours to remove after all
      }
    }
    swept.push({ ...o, reason });
  }
  return swept;
}
