// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: how `sweep` removes what `list` found dead, checking each name
 * again just before its unlink.
 *
 * @module
 */
import { cstring, libc } from "../_ffi/mod.ts";
import { pidAlive, readOwner } from "./_owner.ts";

/** What `sweep` needs of a listed object (an `IpcObjectInfo`). */
export interface Listed {
  kind: string;
  name: string;
  path: string;
  ownerPid: number | undefined;
  ownerAlive: boolean | undefined;
}

/**
 * Unlink the objects of `found` whose owner was dead when listed and whose
 * name still holds an object of that owner (unless `dryRun`); those removed.
 *
 * Between the listing and the unlink another process may have removed the
 * dead object and created a new one under its name (two processes that
 * sweep, then create, at start-up): that one carries its creator's pid, or
 * none yet, and is not this sweep's to remove.
 */
export function removeDead<T extends Listed>(found: T[], dryRun: boolean): T[] {
  const removed: T[] = [];
  for (const info of found) {
    if (info.ownerAlive !== false) continue;
    if (!dryRun) {
      const owner = readOwner(info.path);
      if (owner === undefined || owner !== info.ownerPid || pidAlive(owner)) continue; // replaced
      const name = cstring(info.name);
      const r = info.kind === "semaphore" ? libc().sem_unlink(name) : libc().shm_unlink(name);
      if (r !== 0) continue; // someone else removed it first
    }
    removed.push(info);
  }
  return removed;
}
