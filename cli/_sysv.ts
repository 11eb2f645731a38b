// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * System V objects in the command line (like `ipcs` and `ipcrm`): three
 * entries of the kinds table, `sysv-msg`, `sysv-shm` and `sysv-sem`, named
 * `msqid:<id>`, `shmid:<id>` and `semid:<id>` as `ipc rm` takes them.
 */
import {
  listSysvObjects,
  removeSysvObject,
  sweepSysvObjects,
  type SysvObjectInfo,
} from "../sysv/mod.ts";
import { UsageError } from "./_args.ts";
import type { Output } from "./_host.ts";
import { userName } from "./_inspect.ts";
import type { ObjectEntry, ObjectKind } from "./_kind.ts";

const PREFIX = { msg: "msqid", shm: "shmid", sem: "semid" } as const;
const COUNTED = { msg: "msgs", shm: "attached", sem: "sems" } as const;

/** One System V object as `ipc ls` shows it (and its `--json` gives every field). */
export type SysvEntry = ObjectEntry & Omit<SysvObjectInfo, "kind" | "mode" | "size"> & {
  /** `sysv-msg`, `sysv-shm` or `sysv-sem`. */
  type: string;
};

/** Every System V object of `kind`, or none when /proc/sysvipc cannot be read. */
function entries(kind: SysvObjectInfo["kind"]): SysvEntry[] {
  let found: SysvObjectInfo[];
  try {
    found = listSysvObjects().filter((o) => o.kind === kind);
  } catch {
    return []; // no /proc/sysvipc (another IPC namespace setup, or no procfs)
  }
  return found.map(({ kind: _kind, mode, ...o }) => {
    const key = o.key === 0 ? "private" : `key 0x${(o.key >>> 0).toString(16).padStart(8, "0")}`;
    const name = `${PREFIX[kind]}:${o.id}`;
    return {
      ...o,
      kind: `sysv-${kind}`,
      type: `sysv-${kind}`,
      name,
      label: `${name} (${key})`,
      mode: `0${mode.toString(8).padStart(3, "0")}`,
      owner: userName(o.uid),
      ownerPid: o.pid,
      ownerAlive: o.pidAlive,
      detail: `${o.count} ${COUNTED[kind]}`,
    };
  });
}

function sysvKind(kind: SysvObjectInfo["kind"], description: string): ObjectKind {
  const prefix = PREFIX[kind];
  return {
    key: `sysv-${kind}`,
    prefix,
    description,
    // System V objects have no names (--prefix matches none) and no owner records (always listed).
    list: ({ prefix: namePrefix }) => namePrefix === "" ? entries(kind) : [],
    unlink(id) {
      if (!/^\d+$/.test(id)) {
        throw new UsageError(`${prefix} needs a numeric id, got ${JSON.stringify(id)}`);
      }
      removeSysvObject(kind, Number(id));
    },
    inspect(id) {
      if (!/^\d+$/.test(id)) return undefined;
      const found = entries(kind).find((o) => o.id === Number(id));
      if (found === undefined) return undefined;
      const { kind: _k, name: _n, label: _l, detail: _d, ...facts } = found;
      return facts;
    },
  };
}

/** The System V entries of the kinds table. */
export const SYSV_KINDS: readonly ObjectKind[] = [
  sysvKind("msg", "System V message queues (msqid:<id>)"),
  sysvKind("shm", "System V shared memory segments (shmid:<id>)"),
  sysvKind("sem", "System V semaphore sets (semid:<id>)"),
];

/** `ipc sweep --sysv`: sweep System V leftovers, print each; returns them. */
export function sweepSysv(dryRun: boolean, verb: string, io: Output): unknown[] {
  const swept = sweepSysvObjects({ dryRun });
  for (const o of swept) io.out(`${verb} ${PREFIX[o.kind]}:${o.id} (${o.reason})`);
  return swept;
}
