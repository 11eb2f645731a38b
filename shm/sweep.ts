// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Find and remove leftover IPC objects whose owner process died.
 *
 * @module
 */
import { libc, readDirNames } from "../_ffi/mod.ts";
import { S_IFMT, S_IFREG } from "../_ffi/constants.ts";
import { HEADER_SIZE, I_MAGIC, MAGIC } from "./_layout.ts";
import { closeQuietly, fstat, openToLook, SHM_DIR } from "./_object_file.ts";
import { pidAlive, readOwner } from "./_owner.ts";
import { removeDead } from "./_sweep_remove.ts";

/** The kinds of object {@linkcode list} reports. */
export type IpcObjectKind = "shm" | "channel" | "semaphore";

/** One IPC object found by {@linkcode list}. */
export interface IpcObjectInfo {
  /** What it is: plain shared memory, a Channel, a named semaphore. */
  kind: IpcObjectKind;
  /** Its POSIX name, with the leading `/`. */
  name: string;
  /** The file that backs it (in /dev/shm). */
  path: string;
  /** Its size in bytes. */
  size: number;
  /** The pid of the process that created it, when this library recorded one. */
  ownerPid: number | undefined;
  /** Whether that process still runs (`undefined` when no owner is recorded). */
  ownerAlive: boolean | undefined;
}

/** Options for {@linkcode list}. */
export interface ListOptions {
  /**
   * Which places to look: `"shm"` (shared memory and channels), `"semaphore"`.
   * (Message queues: `MessageQueue.list` in `@ipc/linux/mq`.)
   * @default {["shm", "semaphore"]}
   */
  kinds?: Array<"shm" | "semaphore">;
  /** Also report objects this library did not create (no owner record). @default {false} */
  all?: boolean;
  /** Only objects whose name starts with this (with or without the leading `/`). @default {""} */
  prefix?: string;
}

/** Options for {@linkcode sweep}. */
export interface SweepOptions {
  /** Which places to clean. @default {["shm", "semaphore"]} */
  kinds?: Array<"shm" | "semaphore">;
  /** Report what would be removed without removing it. @default {false} */
  dryRun?: boolean;
  /** Only objects whose name starts with this (with or without the leading `/`). @default {""} */
  prefix?: string;
}

/**
 * List IPC objects. Shared memory, channels and semaphores created by this
 * library carry an owner record (the creator's pid, in the extended
 * attribute `user.ipc_linux.owner` of their file in /dev/shm); by default
 * only those are listed.
 *
 * Message queues are listed by `MessageQueue.list` (`@ipc/linux/mq`).
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @param options Where to look and whether to include foreign objects.
 * @returns The objects found, sorted by name.
 * @throws {TypeError} For an unknown kind or a prefix that is not a string.
 *
 * @example Find a channel and its owner
 * ```ts
 * import assert from "node:assert/strict";
 * import { Channel, list } from "@ipc/linux/shm";
 *
 * using ch = Channel.create(`doc_list_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
 * const mine = list().find((o) => o.name === ch.name);
 * assert.equal(mine?.kind, "channel");
 * assert.equal(mine?.ownerPid, Deno.pid);
 * assert.equal(mine?.ownerAlive, true);
 * ```
 */
export function list(options: ListOptions = {}): IpcObjectInfo[] {
  const kinds = options.kinds ?? ["shm", "semaphore"];
  for (const kind of kinds) {
    if (kind !== "shm" && kind !== "semaphore") {
      throw new TypeError(`Cannot list IPC objects: unknown kind ${JSON.stringify(kind)}`);
    }
  }
  const all = options.all ?? false;
  const prefix = options.prefix ?? "";
  if (typeof prefix !== "string") {
    throw new TypeError(`Cannot list IPC objects: prefix must be a string`);
  }
  const bare = prefix.startsWith("/") ? prefix.slice(1) : prefix;
  const out: IpcObjectInfo[] = [];
  if (kinds.includes("shm") || kinds.includes("semaphore")) {
    for (const file of readDirNames(SHM_DIR)) {
      const isSem = file.startsWith("sem.");
      if (isSem ? !kinds.includes("semaphore") : !kinds.includes("shm")) continue;
      if (!(isSem ? file.slice(4) : file).startsWith(bare)) continue;
      const path = `${SHM_DIR}/${file}`;
      const ownerPid = readOwner(path);
      if (ownerPid === undefined && !all) continue;
      const found = inspect(path);
      if (found === undefined) continue; // removed meanwhile, or not a regular file
      const name = `/${isSem ? file.slice(4) : file}`;
      const kind = isSem ? "semaphore" : found.channel ? "channel" : "shm";
      const ownerAlive = ownerPid === undefined ? undefined : pidAlive(ownerPid);
      out.push({ kind, name, path, size: found.size, ownerPid, ownerAlive });
    }
  }
  return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * Remove the shared memory, channels and semaphores this library created
 * whose owner process is dead. Processes that still map an object keep it;
 * only its name goes. Objects without an owner record are never removed.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @param options Which places to clean; `dryRun` only reports.
 * @returns The objects removed (or, with `dryRun`, that would be).
 *
 * @example Dry run
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweep } from "@ipc/linux/shm";
 *
 * const stale = sweep({ dryRun: true });
 * assert.ok(stale.every((o) => o.ownerAlive === false));
 * ```
 */
export function sweep(options: SweepOptions = {}): IpcObjectInfo[] {
  const kinds = options.kinds ?? ["shm", "semaphore"];
  return removeDead(list({ kinds, prefix: options.prefix }), options.dryRun ?? false);
}

/** Size of a regular file and whether it starts with a Channel header. */
function inspect(path: string): { size: number; channel: boolean } | undefined {
  const fd = openToLook(path);
  if (fd < 0) return undefined;
  try {
    const { size, mode } = fstat(fd, path);
    if ((mode & S_IFMT) !== S_IFREG) return undefined;
    const header = new Uint8Array(HEADER_SIZE);
    const n = size >= HEADER_SIZE ? Number(libc().read(fd, header, BigInt(HEADER_SIZE))) : 0;
    const channel = n === HEADER_SIZE &&
      new DataView(header.buffer).getUint32(I_MAGIC * 4, true) === MAGIC;
    return { size, channel };
  } finally {
    closeQuietly(fd);
  }
}
