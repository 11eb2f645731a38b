// Copyright 2026 the @ipc/linux authors. MIT license.
/** File-descriptor leak checks over /proc/self/fd (Deno's sanitizers cannot see FFI fds). */
import assert from "node:assert/strict";
import { internalFds } from "../../_ffi/poller.ts";

/** The open fds of this process and what each points to. */
export function openFds(): Map<number, string> {
  const fds = new Map<number, string>();
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      fds.set(Number(entry.name), Deno.readLinkSync(`/proc/self/fd/${entry.name}`));
    } catch {
      // the fd readDir itself used, already closed
    }
  }
  return fds;
}

function ignorable(fd: number, target: string): boolean {
  // Deno's own lazily opened caches and this library's epoll instance and its kick eventfd.
  return target.includes("/.cache/deno/") || internalFds().includes(fd);
}

/** Fail when `after` has fds that `before` did not (ignoring runtime caches). */
export function assertNoNewFds(before: Map<number, string>, after = openFds()): void {
  const leaked = [...after].filter(([fd, target]) =>
    before.get(fd) !== target && !ignorable(fd, target)
  );
  assert.deepEqual(leaked, [], `leaked file descriptors: ${JSON.stringify(leaked)}`);
}
