// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: a queue by its name: `mq_open` with the owner check and the
 * attributes read, `mq_unlink`, and the cleanup unlink that removes a name
 * only while it still names the queue that was opened.
 *
 * @module
 */
import { backend, check, cstring, errnoError, errnoName, inspect, libc } from "../_ffi/mod.ts";
import { ENOENT, O_CLOEXEC, O_RDONLY } from "../_ffi/constants.ts";
import { decodeMqAttr, decodeStat, encodeMqAttr, MQ_ATTR_SIZE, STAT_SIZE } from "../_ffi/struct.ts";
import { limitHint } from "./_limits.ts";
import type { ParsedOpen } from "./_options.ts";
import type { QueueAttributes } from "./types.ts";

/** The device and inode of an open queue descriptor (undefined when fstat fails). */
export function queueId(fd: number): string | undefined {
  const st = new Uint8Array(STAT_SIZE);
  return libc().fstat(fd, st) === 0 ? decodeStat(st).id : undefined;
}

/**
 * `mq_open` the checked name `path` as `parsed` says, check its owner
 * (fstat works on a queue descriptor) unless `allowOtherOwner`, and read
 * its attributes. The descriptor is closed again when a check fails.
 */
export function openQueue(
  path: string,
  parsed: ParsedOpen,
): { fd: number; attr: QueueAttributes } {
  const lib = libc();
  const attrBytes = parsed.attr
    ? encodeMqAttr({ flags: 0, ...parsed.attr, currentMessages: 0 })
    : null;
  const fd = lib.mq_open(cstring(path), parsed.flags, parsed.mode, attrBytes);
  if (fd === -1) {
    const errno = backend().errno();
    throw errnoError(errno, "mq_open", path, limitHint(errnoName(errno), parsed.attr));
  }
  const attr = new Uint8Array(MQ_ATTR_SIZE);
  try {
    const what = `queue ${JSON.stringify(path)}`;
    inspect(fd, what, { anyType: true, allowOtherOwner: parsed.allowOtherOwner });
    check(lib.mq_getattr(fd, attr), "mq_getattr", path);
  } catch (err) {
    lib.mq_close(fd);
    throw err;
  }
  return { fd, attr: decodeMqAttr(attr) };
}

/** `mq_unlink` the checked name `path`. */
export function unlinkQueue(path: string): void {
  check(libc().mq_unlink(cstring(path)), "mq_unlink", path);
}

/**
 * `mq_unlink` `path` only while it still names the queue whose identity
 * (device and inode) was `id`: another process may have unlinked it and
 * made a new queue under that name, which is not ours to remove. When the
 * identity cannot be read (no permission to open it), it is unlinked as
 * before. Errors are ignored (cleanup: it may be gone already).
 */
export function unlinkIfSame(path: string, id: string | undefined): void {
  const lib = libc();
  const fd = lib.mq_open(cstring(path), O_RDONLY | O_CLOEXEC, 0, null);
  if (fd === -1 && backend().errno() === ENOENT) return;
  if (fd !== -1) {
    const now = queueId(fd);
    lib.mq_close(fd);
    if (id !== undefined && now !== undefined && now !== id) return;
  }
  lib.mq_unlink(cstring(path));
}
