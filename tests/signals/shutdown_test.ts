// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { onShutdown, sendSignal } from "../../signals/mod.ts";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";

ipcTest("onShutdown: SIGTERM runs the async cleanup once, then exits 143", async (_t, scope) => {
  const marker = `${await scope.tempDir()}/marker`;
  await using child = spawnDeno("signals_child.ts", ["shutdown", marker, "10000", "ok"]);
  await child.expect("ready");
  sendSignal(child.pid, "SIGTERM");
  assert.equal(await child.line(), "cleanup SIGTERM");
  assert.equal(await child.line(), "cleaned");
  const status = await child.status();
  assert.equal(status.code, 143);
  assert.equal(status.signal, null, "it exited by itself, it was not killed");
  assert.equal(await Deno.readTextFile(marker), "cleaned after SIGTERM");
});

ipcTest("onShutdown: SIGINT exits 130", async (_t, scope) => {
  const marker = `${await scope.tempDir()}/marker`;
  await using child = spawnDeno("signals_child.ts", ["shutdown", marker, "10000", "ok"]);
  await child.expect("ready");
  sendSignal(child.pid, "SIGINT");
  await child.expect("cleaned");
  assert.equal((await child.status()).code, 130);
  assert.equal(await Deno.readTextFile(marker), "cleaned after SIGINT");
});

ipcTest("onShutdown: a hanging cleanup is cut off by the timeout", async (_t, scope) => {
  const marker = `${await scope.tempDir()}/marker`;
  await using child = spawnDeno("signals_child.ts", ["shutdown", marker, "200", "hang"]);
  await child.expect("ready");
  sendSignal(child.pid, "SIGTERM");
  assert.equal(await child.line(), "cleanup SIGTERM");
  assert.equal((await child.status()).code, 143);
  assert.match(child.stderr, /cleanup did not finish within 200 ms/);
});

ipcTest("onShutdown: a second signal during cleanup exits at once", async (_t, scope) => {
  const marker = `${await scope.tempDir()}/marker`;
  await using child = spawnDeno("signals_child.ts", ["shutdown", marker, "60000", "hang"]);
  await child.expect("ready");
  sendSignal(child.pid, "SIGTERM");
  await child.expect("cleanup SIGTERM");
  sendSignal(child.pid, "SIGINT");
  assert.equal((await child.status()).code, 130);
});

ipcTest(
  "onShutdown: a failing cleanup is reported and the exit code stays conventional",
  async (_t, scope) => {
    const marker = `${await scope.tempDir()}/marker`;
    await using child = spawnDeno("signals_child.ts", ["shutdown", marker, "10000", "throw"]);
    await child.expect("ready");
    sendSignal(child.pid, "SIGTERM");
    assert.equal((await child.status()).code, 143);
    assert.match(child.stderr, /cleanup failed: Error: cleanup exploded/);
  },
);

ipcTest("onShutdown: every live registration runs once, whichever signal triggered", async () => {
  await using child = spawnDeno("signals_child.ts", ["shutdown-many"]);
  await child.expect("ready");
  sendSignal(child.pid, "SIGHUP"); // only registration B listens for it; A runs too
  const status = await child.status();
  assert.equal(status.code, 128 + 1);
  const lines = [await child.line(), await child.line()].sort();
  assert.deepEqual(lines, ["A SIGHUP", "B SIGHUP"]);
  await assert.rejects(child.line(100)); // nothing else: C was disposed, nobody ran twice
});

ipcTest("onShutdown: registration, disposal and bad input (no signal sent)", () => {
  const a = onShutdown(() => {});
  const b = onShutdown(async () => {}, { signals: ["SIGTERM", "SIGHUP", 15], timeout: 0 });
  a.close();
  a.close();
  assert.equal(a.closed, true);
  b[Symbol.dispose]();
  assert.equal(b.closed, true);
  assert.throws(() => onShutdown("x" as unknown as () => void), TypeError);
  assert.throws(() => onShutdown(() => {}, { signals: [] }), TypeError);
  assert.throws(() => onShutdown(() => {}, { signals: ["SIGKILL"] }), TypeError);
  assert.throws(() => onShutdown(() => {}, { signals: ["SIGRTMIN"] }), Deno.errors.NotSupported);
  assert.throws(() => onShutdown(() => {}, { timeout: -1 }), RangeError);
  assert.throws(() => onShutdown(() => {}, { timeout: NaN }), RangeError);
  assert.throws(() => onShutdown(() => {}, { timeout: Infinity }), RangeError);
});

ipcTest(
  "onShutdown: the same signal twice at once (a wrapper forwarding Ctrl-C) still cleans up",
  async (_t, scope) => {
    const marker = `${await scope.tempDir()}/marker`;
    await using child = spawnDeno("signals_child.ts", ["shutdown", marker, "10000", "ok"]);
    await child.expect("ready");
    // The terminal signals the whole process group and `deno task` forwards
    // the same SIGINT to its child: two deliveries of one Ctrl-C.
    sendSignal(child.pid, "SIGINT");
    await new Promise((r) => setTimeout(r, 5));
    sendSignal(child.pid, "SIGINT");
    await child.expect("cleaned");
    assert.equal((await child.status()).code, 130);
    assert.equal(await Deno.readTextFile(marker), "cleaned after SIGINT");
  },
);
