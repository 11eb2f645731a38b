// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: a queue by its name: `mq_open` with the owner check and the
 * attributes read, `mq_unlink`, and the cleanup unlink that removes a name
 * only while it still names the queue that was opened.
 *
 * @module
 */
import { backend, check, cstring, errnoError, errnoName, inspect, libc } from "../_ffi/mod.ts";
import { ENOENT, O_CLOEXEC, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY } from "../_ffi/constants.ts";
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
 * A second, non-blocking descriptor of the queue open as `fd` (the same
 * queue: reopened through /proc/self/fd, never by name), for the tries of
 * spins and `try…` calls; -1 when it cannot be had (no /proc, the mode
 * changed since), and the tries then pass a zero deadline on `fd`. A
 * non-blocking try returns EAGAIN at once; a zero-deadline try on a
 * blocking descriptor queues the caller as a waiter and takes the queue's
 * lock twice, which between two spinning processes measured 0.95 → 0.79×
 * C (bench/README.md, Message queues).
 */
export function openTwin(fd: number, parsed: ParsedOpen): number {
  const access = parsed.canRead && parsed.canWrite ? O_RDWR : parsed.canRead ? O_RDONLY : O_WRONLY;
  const lib = libc();
  const twin = lib.open(cstring(`/proc/self/fd/${fd}`), access | O_NONBLOCK | O_CLOEXEC, 0);
  if (twin < 0) return -1;
  const id = queueId(fd);
  if (id !== undefined && queueId(twin) === id) return twin;
  lib.close(twin);
  return -1;
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
 * made a new queue under that name, which is not ours to remove. The name
 * is opened for reading, else for writing, to read its identity; a queue
 * that neither opens is left alone when `id` is known (it cannot be shown
 * to be ours: a queue made under the name with mode 0200 or 0000), and
 * unlinked when `id` is not (no /proc: as before). Errors are ignored
 * (cleanup: it may be gone already).
 */
export function unlinkIfSame(path: string, id: string | undefined): void {
  const lib = libc();
  const name = cstring(path);
  let fd = lib.mq_open(name, O_RDONLY | O_CLOEXEC, 0, null);
  if (fd === -1 && backend().errno() !== ENOENT) {
    fd = lib.mq_open(name, O_WRONLY | O_CLOEXEC, 0, null);
  }
  if (fd === -1) {
    if (backend().errno() === ENOENT || id !== undefined) return;
  } else {
    const now = queueId(fd);
    lib.mq_close(fd);
    if (id !== undefined && now !== undefined && now !== id) return;
  }
  lib.mq_unlink(name);
}
