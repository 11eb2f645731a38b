// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { check, cstring, libc } from "../../_ffi/libc.ts";
import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  O_CLOEXEC,
  O_NONBLOCK,
  O_RDONLY,
  POLLIN,
  POLLOUT,
} from "../../_ffi/constants.ts";
import { pendingWaits, waitReady } from "../../_ffi/poller.ts";
import { ipcTest, run, type Scope, spawnDeno } from "../_helpers/mod.ts";

async function fifo(scope: Scope): Promise<{ path: string; fd: number }> {
  const path = `${await scope.tempDir()}/fifo`;
  const made = await run("mkfifo", ["-m", "600", path]);
  assert.equal(made.code, 0, made.stderr);
  const fd = check(libc().open(cstring(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0), "open", path);
  scope.defer(() => check(libc().close(fd), "close"));
  return { path, fd };
}

ipcTest("poller: waits for another process without blocking the event loop", async (_t, scope) => {
  const { path, fd } = await fifo(scope);
  await using writer = spawnDeno("ffi_child.ts", ["fifo-write", path]);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  try {
    const revents = await waitReady(fd, POLLIN, AbortSignal.timeout(15_000));
    assert.ok(revents & POLLIN);
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticks >= 5, `timers kept running during the wait (${ticks} ticks)`);
  const buf = new Uint8Array(16);
  const n = Number(check(libc().read(fd, buf, 16n), "read", path));
  assert.equal(new TextDecoder().decode(buf.subarray(0, n)), "ready\n");
  assert.equal(await writer.line(), "written");
  assert.equal((await writer.status()).code, 0);
  assert.equal(pendingWaits(), 0);
});

ipcTest("poller: abort removes only that waiter; others still complete", async (_t, scope) => {
  const a = await fifo(scope);
  const b = await fifo(scope);
  const controller = new AbortController();
  const aborted = waitReady(a.fd, POLLIN, controller.signal);
  const waiting = waitReady(b.fd, POLLIN, AbortSignal.timeout(15_000));
  assert.equal(pendingWaits(), 2);
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(aborted, (err) => err === reason);
  assert.equal(pendingWaits(), 1);
  await using writer = spawnDeno("ffi_child.ts", ["fifo-write", b.path]);
  assert.ok((await waiting) & POLLIN);
  assert.equal(await writer.line(), "written");
  assert.equal(pendingWaits(), 0);
});

ipcTest("poller: an already-aborted signal rejects without waiting", async (_t, scope) => {
  const { fd } = await fifo(scope);
  const reason = new DOMException("gone", "AbortError");
  await assert.rejects(waitReady(fd, POLLIN, AbortSignal.abort(reason)), (err) => err === reason);
  assert.equal(pendingWaits(), 0);
});

ipcTest("poller: many waiters share one poll call and all wake", async (_t, scope) => {
  const fifos = await Promise.all(Array.from({ length: 20 }, () => fifo(scope)));
  const waits = fifos.map((f) => waitReady(f.fd, POLLIN, AbortSignal.timeout(30_000)));
  assert.equal(pendingWaits(), 20);
  const writers = fifos.map((f) => spawnDeno("ffi_child.ts", ["fifo-write", f.path]));
  try {
    const results = await Promise.all(waits);
    assert.ok(results.every((r) => r & POLLIN));
  } finally {
    for (const w of writers) await w[Symbol.asyncDispose]();
  }
  assert.equal(pendingWaits(), 0);
});

ipcTest(
  "poller: more waiters on one fd than the fd limit all wake (one pollfd per fd)",
  async () => {
    // poll(2) refuses more entries than RLIMIT_NOFILE (EINVAL): the loop must
    // not hand it one entry per waiter, or it spins and nobody ever wakes.
    const fixture = fileURLToPath(new URL("./_many_waiters.ts", import.meta.url));
    const script = `ulimit -n 64 && exec "$0" run -A "$1" 200`;
    const out = await run("sh", ["-c", script, Deno.execPath(), fixture]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), "woke 200");
  },
);

ipcTest(
  "poller: more waited-on descriptors than the fd limit all wake (epoll has no such limit)",
  async () => {
    const fixture = fileURLToPath(new URL("./_many_fds.ts", import.meta.url));
    // 100 descriptors under a limit of 32: one poll(2) over them fails with EINVAL.
    const out = await run(Deno.execPath(), ["run", "-A", fixture, "100", "32"]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), "woke 100");
  },
);

ipcTest("poller: waiters on one fd for different events each see only their own", async () => {
  const fd = check(libc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
  try {
    const reading = waitReady(fd, POLLIN, AbortSignal.timeout(15_000));
    // An eventfd is writable at once, readable only once written.
    assert.equal(await waitReady(fd, POLLOUT, AbortSignal.timeout(15_000)), POLLOUT);
    assert.equal(pendingWaits(), 1);
    check(libc().write(fd, new Uint8Array(new BigUint64Array([1n]).buffer), 8n), "write");
    assert.equal(await reading, POLLIN);
  } finally {
    check(libc().close(fd), "close");
  }
});
