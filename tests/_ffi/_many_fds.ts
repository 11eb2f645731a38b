// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Fixture for poller_test.ts: `_many_fds.ts <count> <limit>` opens <count>
 * eventfds, lowers its own RLIMIT_NOFILE to <limit> (below <count>, so one
 * poll(2) over all of them fails with EINVAL), waits on every one, and prints
 * how the waits settled within 5 s: `rejected <n> <codes>` or `pending`.
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
// One wait before the limit drops, so the poller's own eventfd exists.
await waitReady(fds[0]!, POLLOUT);
const prlimit = new Deno.Command("prlimit", {
  args: ["--pid", String(Deno.pid), `--nofile=${limit}:`],
}).outputSync();
if (!prlimit.success) throw new Error(new TextDecoder().decode(prlimit.stderr));
const deadline = AbortSignal.timeout(5000);
const results = await Promise.allSettled(fds.map((fd) => waitReady(fd, POLLIN, deadline)));
const codes = new Set(
  results.map((r) => r.status === "rejected" ? (r.reason as { code?: string }).code : "ok"),
);
const rejected = results.filter((r) => r.status === "rejected").length;
console.log(deadline.aborted ? "pending" : `rejected ${rejected} ${[...codes].join(",")}`);
for (const fd of fds) libc().close(fd);
