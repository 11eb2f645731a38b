// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: who owns an object: the pid recorded in an extended attribute of
 * its file, and whether a peer or owner process is still alive.
 *
 * @module
 */
import { cstring, libc } from "../_ffi/mod.ts";
import { processState } from "../_ffi/process.ts";

/** The extended attribute that records which process owns an object. */
export const OWNER_XATTR = "user.ipc_linux.owner";

/** Record this process as the owner of an open object (best effort). */
export function recordOwnerFd(fd: number): void {
  const value = cstring(String(libc().getpid()));
  libc().fsetxattr(fd, cstring(OWNER_XATTR), value, BigInt(value.length - 1), 0);
}

/** Record this process as the owner of a file by path (best effort). */
export function recordOwnerPath(path: string): void {
  const value = cstring(String(libc().getpid()));
  libc().setxattr(cstring(path), cstring(OWNER_XATTR), value, BigInt(value.length - 1), 0);
}

/** The owner pid recorded on a file, or undefined when none is recorded. */
export function readOwner(path: string): number | undefined {
  const out = new Uint8Array(32);
  const n = Number(libc().getxattr(cstring(path), cstring(OWNER_XATTR), out, 32n));
  if (n <= 0) return undefined;
  const pid = Number(new TextDecoder().decode(out.subarray(0, n)));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Whether a peer process is alive: it exists and is not a zombie, which has
 * exited and only waits for its parent to reap it (a peer whose parent never
 * waits for it must still count as gone).
 */
export function pidAlive(pid: number): boolean {
  return processState(pid) === "alive";
}
