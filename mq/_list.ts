// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: listing message queues through /dev/mqueue (when it is mounted).
 *
 * @module
 */
import { errors, readDirNames, readTextFile } from "../_ffi/mod.ts";
import type { QueueInfo } from "./types.ts";

/** Where the mqueue file system shows the queues, when someone mounted it. */
export const MQUEUE_DIR = "/dev/mqueue";

/** Whether the mqueue file system is mounted at /dev/mqueue. */
export function mqueueMounted(): boolean {
  try {
    return readTextFile("/proc/mounts").split("\n")
      .some((line) => line.split(" ")[1] === MQUEUE_DIR && line.split(" ")[2] === "mqueue");
  } catch {
    return false;
  }
}

/**
 * The queues whose name starts with `prefix` (with or without the leading
 * `/`), sorted by name; NotSupported (with the mount command) when
 * /dev/mqueue is not mounted.
 */
export function listQueues(prefix: unknown): QueueInfo[] {
  if (typeof prefix !== "string") {
    throw new TypeError(`Cannot list message queues: prefix must be a string`);
  }
  if (!mqueueMounted()) {
    throw new errors.NotSupported(
      `Cannot list message queues: ${MQUEUE_DIR} is not mounted ` +
        `(as root: mkdir -p ${MQUEUE_DIR} && mount -t mqueue none ${MQUEUE_DIR})`,
    );
  }
  const bare = prefix.startsWith("/") ? prefix.slice(1) : prefix;
  const out: QueueInfo[] = [];
  for (const file of readDirNames(MQUEUE_DIR)) {
    if (!file.startsWith(bare)) continue;
    const path = `${MQUEUE_DIR}/${file}`;
    let size: number;
    try {
      size = Number(/QSIZE:(\d+)/.exec(readTextFile(path))?.[1] ?? 0);
    } catch {
      continue; // removed while listing, or not ours to read
    }
    out.push({ name: `/${file}`, path, size });
  }
  return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
