// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Listing and removing System V objects by id: what `ipcs` and `ipcrm` do,
 * from `/proc/sysvipc/{msg,shm,sem}`.
 *
 * @module
 */
import { backend, libc, readTextFile } from "../_ffi/mod.ts";
import { IPC_RMID } from "../_ffi/_sysv_struct.ts";
import { integer, KIND_NAME, sysvError, type SysvKind } from "./_common.ts";
import { pidAlive } from "../shm/_owner.ts";

export type { SysvKind } from "./_common.ts";

/** One System V object, as `/proc/sysvipc` shows it. */
export interface SysvObjectInfo {
  /** `"msg"`, `"shm"` or `"sem"`. */
  kind: SysvKind;
  /** The key (0 for IPC_PRIVATE or a removed segment still attached). */
  key: number;
  /** The id (msqid, shmid, semid). */
  id: number;
  /** Permission bits. */
  mode: number;
  /** Owner's user id. */
  uid: number;
  /** Creator's user id. */
  creatorUid: number;
  /** Bytes: of all messages (msg), of the segment (shm); semaphores for sem. */
  size: number;
  /** Messages (msg), attachments (shm), or semaphores (sem). */
  count: number;
  /**
   * A process that last used the object, where the kernel records one: the
   * creator of a segment (shm_cpid), the last sender of a queue (msg_lspid).
   * Undefined for semaphore sets, which record no owner.
   */
  pid?: number;
  /** Whether `pid` still runs (undefined without a pid). */
  pidAlive?: boolean;
  /**
   * The other recorded pid, where there is one: a segment's last attach or
   * detach (shm_lpid), a queue's last receiver (msg_lrpid).
   */
  lastPid?: number;
}

/** The columns of each /proc/sysvipc file that we read. */
const COLUMNS: Record<SysvKind, { size: string; count: string; pid?: string; last?: string }> = {
  msg: { size: "cbytes", count: "qnum", pid: "lspid", last: "lrpid" },
  shm: { size: "size", count: "nattch", pid: "cpid", last: "lpid" },
  sem: { size: "nsems", count: "nsems" },
};

/**
 * Every System V message queue, shared memory segment and semaphore set on
 * the machine (in this IPC namespace) that `/proc/sysvipc` shows, like `ipcs`.
 *
 * Requires `--allow-ffi` permission (`/proc` is read through the C library).
 * NOTE: This API is only available on Linux.
 *
 * @param kinds Which kinds to list; all three by default.
 * @returns The objects, in /proc order.
 *
 * @example Find a queue by id
 * ```ts
 * import assert from "node:assert/strict";
 * import { IPC_PRIVATE, listSysvObjects, SysvMessageQueue } from "@ipc/linux/sysv";
 *
 * using q = SysvMessageQueue.open(IPC_PRIVATE, { mode: 0o640 });
 * q.trySend(1, "abc");
 * const found = listSysvObjects(["msg"]).find((o) => o.id === q.id);
 * assert.equal(found?.mode, 0o640);
 * assert.equal(found?.size, 3);
 * assert.equal(found?.pid, Deno.pid);
 * q.remove();
 * ```
 */
export function listSysvObjects(
  kinds: readonly SysvKind[] = ["msg", "shm", "sem"],
): SysvObjectInfo[] {
  const objects: SysvObjectInfo[] = [];
  for (const kind of kinds) {
    if (!Object.hasOwn(COLUMNS, kind)) {
      throw new TypeError(`Cannot list System V objects: unknown kind ${JSON.stringify(kind)}`);
    }
    const [header = "", ...rows] = readTextFile(`/proc/sysvipc/${kind}`).split("\n");
    const names = header.trim().split(/\s+/);
    const at = (name: string) => names.indexOf(name);
    const columns = COLUMNS[kind];
    for (const row of rows) {
      const cells = row.trim().split(/\s+/);
      if (cells.length < names.length) continue;
      const get = (name: string) => Number(cells[at(name)]);
      const info: SysvObjectInfo = {
        kind,
        key: get("key"),
        id: get(kind === "msg" ? "msqid" : kind === "shm" ? "shmid" : "semid"),
        mode: Number.parseInt(cells[at("perms")]!, 8) & 0o777,
        uid: get("uid"),
        creatorUid: get("cuid"),
        size: get(columns.size),
        count: get(columns.count),
      };
      if (columns.pid !== undefined && get(columns.pid) > 0) {
        info.pid = get(columns.pid);
        info.pidAlive = pidAlive(info.pid);
      }
      if (columns.last !== undefined && get(columns.last) > 0) info.lastPid = get(columns.last);
      objects.push(info);
    }
  }
  return objects;
}

/**
 * Remove a System V object by kind and id (`IPC_RMID`), like `ipcrm`.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @param kind `"msg"`, `"shm"` or `"sem"`.
 * @param id The object's id.
 * @throws {TypeError} When the kind is unknown.
 * @throws {Deno.errors.PermissionDenied} When this user is neither its owner nor its creator.
 * @throws {OsError} EINVAL when no object of that kind has that id.
 *
 * @example Remove by id
 * ```ts
 * import assert from "node:assert/strict";
 * import { IPC_PRIVATE, listSysvObjects, removeSysvObject, SysvSemaphoreSet } from "@ipc/linux/sysv";
 *
 * const set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1 });
 * set.close();
 * removeSysvObject("sem", set.id);
 * assert.equal(listSysvObjects(["sem"]).some((o) => o.id === set.id), false);
 * ```
 */
export function removeSysvObject(kind: SysvKind, id: number): void {
  if (!Object.hasOwn(COLUMNS, kind)) {
    throw new TypeError(`Cannot remove a System V object: unknown kind ${JSON.stringify(kind)}`);
  }
  integer("remove a System V object", "id", id, 0, 0x7fff_ffff);
  const lib = libc();
  const r = kind === "msg"
    ? lib.msgctl(id, IPC_RMID, null)
    : kind === "shm"
    ? lib.shmctl(id, IPC_RMID, null)
    : lib.semctl(id, 0, IPC_RMID, 0);
  if (r !== 0) throw sysvError(backend().errno(), `${kind}ctl`, `${KIND_NAME[kind]} id ${id}`);
}
