// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Fixture for poller_test.ts: `_many_waiters.ts <count>` starts <count>
 * waits on ONE eventfd, makes it readable after 100 ms, and prints how many
 * woke within 5 s. The test runs it with a low RLIMIT_NOFILE.
 *
 * @module
 */
import { check, libc } from "../../_ffi/libc.ts";
import { EFD_CLOEXEC, EFD_NONBLOCK, POLLIN } from "../../_ffi/constants.ts";
import { waitReady } from "../../_ffi/poller.ts";

const count = Number(Deno.args[0]);
const fd = check(libc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
const deadline = AbortSignal.timeout(5000);
const waits = Array.from({ length: count }, () => waitReady(fd, POLLIN, deadline));
setTimeout(() => libc().write(fd, new Uint8Array(new BigUint64Array([1n]).buffer), 8n), 100);
const results = await Promise.allSettled(waits);
console.log(`woke ${results.filter((r) => r.status === "fulfilled").length}`);
libc().close(fd);
