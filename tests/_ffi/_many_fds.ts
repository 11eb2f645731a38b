// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Fixture for poller_test.ts: `_many_fds.ts <count> <limit>` opens <count>
 * eventfds, lowers its own RLIMIT_NOFILE to <limit> (below <count>: one
 * poll(2) over all of them would fail with EINVAL; epoll does not care),
 * waits on every one, makes them readable, and prints how the waits settled
 * within 5 s: `woke <n>`, `rejected <n> <codes>` or `pending`.
 *
 * @module
 */
import { check, libc } from "../../_ffi/libc.ts";
import { EFD_CLOEXEC, EFD_NONBLOCK, POLLIN, POLLOUT } from "../../_ffi/constants.ts";
import { waitReady } from "../../_ffi/poller.ts";

const [count, limit] = Deno.args.map(Number) as [number, number];
const fds = Array.from(
  { length: count },
  () => check(libc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd"),
);
// One wait before the limit drops, so the poller's own descriptors exist.
await waitReady(fds[0]!, POLLOUT);
const prlimit = new Deno.Command("prlimit", {
  args: ["--pid", String(Deno.pid), `--nofile=${limit}:`],
}).outputSync();
if (!prlimit.success) throw new Error(new TextDecoder().decode(prlimit.stderr));
const deadline = AbortSignal.timeout(5000);
const waits = Promise.allSettled(fds.map((fd) => waitReady(fd, POLLIN, deadline)));
const one = new Uint8Array(new BigUint64Array([1n]).buffer);
for (const fd of fds) libc().write(fd, one, 8n);
const results = await waits;
const codes = new Set(
  results.map((r) => r.status === "rejected" ? (r.reason as { code?: string }).code : "ok"),
);
const rejected = results.filter((r) => r.status === "rejected").length;
console.log(
  deadline.aborted
    ? "pending"
    : rejected
    ? `rejected ${rejected} ${[...codes].join(",")}`
    : `woke ${results.length}`,
);
for (const fd of fds) libc().close(fd);
