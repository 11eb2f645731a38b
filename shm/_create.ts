// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the one create-and-roll-back sequence of every shared-memory
 * object this library makes (SharedMemory, Channel).
 *
 * @module
 */
import { Mapping } from "./_mapping.ts";
import { closeQuietly, reserve, shmOpen, unlinkQuietly } from "./_object_file.ts";
import { recordOwnerFd } from "./_owner.ts";

/**
 * How long an open waits for an object its creator is still making, in ms
 * (between {@linkcode createMapped}'s `shm_open` and its last store, or
 * another program's `shm_open` and `ftruncate`): `SharedMemory.open` for an
 * empty object made just now, `Channel.open` for one without its magic yet.
 */
export const CREATING_MS = 250;

/**
 * Create `posix` exclusively with `mode`, reserve `size` bytes, record this
 * process as its owner, map it read-write and let `init` fill it in. On any
 * failure the mapping is unmapped, the descriptor closed and the name
 * unlinked again, so nothing half-made stays behind. `what` names the
 * object in errors (`channel "/events"`).
 *
 * @returns The open descriptor (the caller closes it or keeps it) and the mapping.
 */
export function createMapped(
  posix: string,
  mode: number,
  size: number,
  what: string,
  init?: (mapping: Mapping) => void,
): { fd: number; mapping: Mapping } {
  const fd = shmOpen(posix, true, true, mode, what);
  let mapping: Mapping | undefined;
  try {
    reserve(fd, 0, size, posix);
    recordOwnerFd(fd);
    mapping = Mapping.map(fd, size, true, posix);
    init?.(mapping);
    return { fd, mapping };
  } catch (err) {
    mapping?.unmap();
    closeQuietly(fd);
    unlinkQuietly(posix);
    throw err;
  }
}
