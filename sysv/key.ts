// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * System V keys: {@linkcode ftok} and {@linkcode IPC_PRIVATE}.
 *
 * @module
 */
import { backend, cstring, libc } from "../_ffi/mod.ts";
import { IPC_PRIVATE as PRIVATE } from "../_ffi/_sysv_struct.ts";
import { fileIds } from "../_ffi/fs.ts";
import { integer, sysvError } from "./_common.ts";

/**
 * The key that always makes a new object, which other processes can reach
 * only through its id (`openById`), e.g. after a parent passes it to a child.
 *
 * @example A private queue
 * ```ts
 * import assert from "node:assert/strict";
 * import { IPC_PRIVATE, SysvMessageQueue } from "@ipc/linux/sysv";
 *
 * using a = SysvMessageQueue.open(IPC_PRIVATE);
 * using b = SysvMessageQueue.open(IPC_PRIVATE);
 * assert.notEqual(a.id, b.id); // two new queues
 * a.remove();
 * b.remove();
 * ```
 */
export const IPC_PRIVATE: 0 = PRIVATE;

/**
 * Make a System V key from an existing file and a project id (`ftok(3)`),
 * exactly as C and Python's `sysv_ipc.ftok` do: the same file and id give
 * the same key in every program. The key mixes the low 8 bits of the id with
 * the file's device and inode numbers, so two files can collide, and a file
 * deleted and recreated gets another key.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @param path An existing file or directory.
 * @param projectId A number from 1 to 255.
 * @returns The key, as a signed 32-bit number (as `key_t` is in C). It can be
 *   -1 (0xffffffff), ftok's failure value in C, for a file whose inode number
 *   ends in 0xffff on a device whose number ends in 0xff, with `projectId` 255:
 *   that is a valid key here, told from a failure by the file itself.
 * @throws {TypeError} When `path` is not a string.
 * @throws {RangeError} When `projectId` is not from 1 to 255.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 *
 * @example A key both sides compute
 * ```ts
 * import assert from "node:assert/strict";
 * import { ftok, SysvMessageQueue } from "@ipc/linux/sysv";
 *
 * const key = ftok("/tmp", 7);
 * assert.equal(key, ftok("/tmp", 7));
 * assert.notEqual(key, ftok("/tmp", 8));
 * ```
 */
export function ftok(path: string, projectId: number): number {
  if (typeof path !== "string") {
    throw new TypeError(`Cannot make a key: path must be a string, got ${typeof path}`);
  }
  if (path.includes("\0")) throw new TypeError("Cannot make a key: path contains a NUL byte");
  integer("make a key", "projectId", projectId ?? NaN, 1, 255);
  const key = libc().ftok(cstring(path), projectId);
  if (key !== -1) return key;
  const errno = backend().errno();
  // -1 is ftok's failure, but also a real key: that of a file whose inode
  // number ends in 0xffff, on a device whose number ends in 0xff, with
  // projectId 255 (ftok is stat(2) and this arithmetic; it fails only when
  // stat fails). Which one it was, the file tells.
  if (projectId === 255) {
    const ids = fileIds(path);
    if (ids && (ids.ino & 0xffffn) === 0xffffn && (ids.dev & 0xffn) === 0xffn) return -1;
  }
  throw sysvError(errno, "ftok", path);
}
