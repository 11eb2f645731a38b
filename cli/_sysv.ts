// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * System V objects in `ipc ls` and `ipc rm` (like `ipcs` and `ipcrm`): rows
 * for the listing, and removal by `msqid:<id>`, `shmid:<id>`, `semid:<id>`.
 * Kept apart from the POSIX commands so the CLI only hooks it in.
 */
import {
  listSysvObjects,
  removeSysvObject,
  sweepSysvObjects,
  type SysvObjectInfo,
} from "../sysv/mod.ts";
import { UsageError } from "./_args.ts";
import type { Output } from "./_host.ts";

const ID_KIND = { msqid: "msg", shmid: "shm", semid: "sem" } as const;

/** One System V object as `ipc ls --json` shows it. */
export interface SysvEntry extends SysvObjectInfo {
  /** `sysv-msg`, `sysv-shm` or `sysv-sem`. */
  type: string;
  /** What `ipc rm` takes to remove it, e.g. `msqid:32768`. */
  name: string;
}

function prefixOf(kind: SysvObjectInfo["kind"]): keyof typeof ID_KIND {
  return kind === "msg" ? "msqid" : kind === "shm" ? "shmid" : "semid";
}

/** Every System V object, or none when /proc/sysvipc cannot be read. */
export function sysvEntries(): SysvEntry[] {
  let found: SysvObjectInfo[];
  try {
    found = listSysvObjects();
  } catch {
    return []; // no /proc/sysvipc (another IPC namespace setup, or no procfs)
  }
  return found.map((o) => ({ ...o, type: `sysv-${o.kind}`, name: `${prefixOf(o.kind)}:${o.id}` }));
}

/** Table rows (KIND, NAME, SIZE, MODE, OWNER, PID, QUEUE) for `ipc ls`. */
export function sysvRows(owner: (uid: number) => string): string[][] {
  return sysvEntries().map((o) => {
    const key = o.key === 0 ? "private" : `key 0x${(o.key >>> 0).toString(16).padStart(8, "0")}`;
    const pid = o.pid === undefined ? "-" : `${o.pid}${o.pidAlive ? "" : " (dead)"}`;
    const count = o.kind === "msg"
      ? `${o.count} msgs`
      : o.kind === "shm"
      ? `${o.count} attached`
      : `${o.count} sems`;
    return [
      o.type,
      `${o.name} (${key})`,
      String(o.size),
      `0${o.mode.toString(8)}`,
      owner(o.uid),
      pid,
      count,
    ];
  });
}

/** Removers for `ipc rm msqid:<id>` and the like, keyed by prefix. */
export const SYSV_REMOVERS: Record<string, (id: string) => void> = Object.fromEntries(
  Object.entries(ID_KIND).map(([prefix, kind]) => [prefix, (id: string) => {
    if (!/^\d+$/.test(id)) {
      throw new UsageError(`${prefix} needs a numeric id, got ${JSON.stringify(id)}`);
    }
    removeSysvObject(kind, Number(id));
  }]),
);

/** `ipc sweep --sysv`: sweep System V leftovers, print each; returns how many. */
export function sweepSysv(dryRun: boolean, verb: string, io: Output): number {
  const swept = sweepSysvObjects({ dryRun });
  for (const o of swept) {
    io.out(`${verb} ${o.kind === "msg" ? "msqid" : "shmid"}:${o.id} (${o.reason})`);
  }
  return swept.length;
}
