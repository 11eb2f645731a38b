// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { sendSignal, signalNumber, SignalQueue } from "../../signals/mod.ts";
import { libc } from "../../_ffi/libc.ts";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { spawnBlockedC, spawnBlockedPython } from "./_launch.ts";

const RT1 = signalNumber("SIGRTMIN+1");
const RT2 = signalNumber("SIGRTMIN+2");

function readyPid(line: string): number {
  const match = /^ready (\d+)$/.exec(line);
  assert.ok(match, `expected "ready <pid>", got ${JSON.stringify(line)}`);
  return Number(match[1]);
}

ipcTest(
  "SignalQueue: a Deno launched with SIGRTMIN+1 blocked receives value and sender pid",
  async () => {
    await using child = spawnBlockedPython([RT1], "signals_child.ts", ["queue", "4", "SIGRTMIN+1"]);
    const pid = readyPid(await child.line());
    assert.equal(pid, child.pid, "the launcher execs Deno in place");
    // Realtime signals queue one instance per send, in order.
    sendSignal(pid, "SIGRTMIN+1", { value: 42 });
    sendSignal(pid, "SIGRTMIN+1", { value: -7 });
    sendSignal(pid, RT1, { value: 0x1234_5678_9abc_def0n });
    sendSignal(pid, "SIGRTMIN+1"); // plain kill: SI_USER, the kernel fills in the pid
    const infos = [];
    for (let i = 0; i < 4; i++) infos.push(JSON.parse(await child.line()));
    assert.deepEqual(infos.map((i) => [i.signal, i.signo, i.code, i.pid, i.uid]), [
      ["SIGRTMIN+1", RT1, -1, Deno.pid, libc().getuid()],
      ["SIGRTMIN+1", RT1, -1, Deno.pid, libc().getuid()],
      ["SIGRTMIN+1", RT1, -1, Deno.pid, libc().getuid()],
      ["SIGRTMIN+1", RT1, 0, Deno.pid, libc().getuid()],
    ]);
    assert.deepEqual(infos.map((i) => i.value), [42, -7, 0x9abc_def0 | 0, 0]);
    assert.equal(infos[2].value64, String(0x1234_5678_9abc_def0n));
    assert.equal(await child.line(), "closed true");
    assert.equal((await child.status()).code, 0);
  },
);

ipcTest(
  "SignalQueue: needs only --allow-ffi (the mask check reads /proc through libc)",
  async () => {
    await using child = spawnBlockedPython(
      [RT1],
      "signals_child.ts",
      ["queue", "1", "SIGRTMIN+1"],
      [
        "--allow-ffi",
      ],
    );
    const pid = readyPid(await child.line());
    sendSignal(pid, "SIGRTMIN+1", { value: 9 });
    assert.equal(JSON.parse(await child.line()).value, 9);
    assert.equal((await child.status()).code, 0);
  },
);

ipcTest("SignalQueue: the C launcher works too, for several signals at once", async () => {
  await using child = await spawnBlockedC(
    [RT1, RT2, 10],
    "signals_child.ts",
    ["queue", "3", "SIGRTMIN+1", String(RT2), "SIGUSR1"],
  );
  const pid = readyPid(await child.line());
  sendSignal(pid, "SIGRTMIN+2", { value: 2 });
  sendSignal(pid, "SIGUSR1", { value: 10 });
  sendSignal(pid, "SIGRTMIN+1", { value: 1 });
  const infos = [];
  for (let i = 0; i < 3; i++) infos.push(JSON.parse(await child.line()));
  // The reader may take each signal as soon as it is sent, so the order of
  // arrival is not fixed; every signal must arrive once with its value.
  assert.deepEqual(infos.map((i) => [i.signal, i.value]).sort(), [
    ["SIGRTMIN+1", 1],
    ["SIGRTMIN+2", 2],
    ["SIGUSR1", 10],
  ]);
  assert.equal((await child.status()).code, 0);
});

ipcTest("SignalQueue: without the launcher it refuses with NotSupported and a recipe", async () => {
  await using child = spawnDeno("signals_child.ts", ["queue", "1", "SIGRTMIN+1"]);
  const report = JSON.parse(await child.line());
  assert.equal(report.error, "NotSupported");
  assert.match(report.message, /SIGRTMIN\+1 \(\d+\): not blocked in every thread/);
  assert.match(report.message, /kills the process/);
  assert.match(report.message, new RegExp(`pthread_sigmask\\(signal.SIG_BLOCK, \\[${RT1}\\]\\)`));
  assert.equal((await child.status()).code, 3);
});

ipcTest("SignalQueue: a partly blocked set names only the missing signals", async () => {
  await using child = spawnBlockedPython([RT1], "signals_child.ts", [
    "queue",
    "1",
    "SIGRTMIN+1",
    "SIGRTMIN+2",
  ]);
  const report = JSON.parse(await child.line());
  assert.equal(report.error, "NotSupported");
  assert.match(report.message, /queue for SIGRTMIN\+2 \(\d+\): not blocked/);
  assert.equal((await child.status()).code, 3);
});

ipcTest(
  "SignalQueue: in this (unblocked) test process open throws before making a signalfd",
  () => {
    assert.throws(() => SignalQueue.open("SIGUSR2"), Deno.errors.NotSupported);
    assert.throws(() => SignalQueue.open(["SIGRTMAX-3"]), Deno.errors.NotSupported);
  },
);

ipcTest("SignalQueue: bad input is rejected before any syscall", () => {
  assert.throws(() => SignalQueue.open([]), TypeError);
  assert.throws(() => SignalQueue.open("SIGKILL"), TypeError);
  assert.throws(() => SignalQueue.open("SIGSTOP"), TypeError);
  assert.throws(() => SignalQueue.open("SIGBOGUS" as "SIGHUP"), TypeError);
  assert.throws(() => SignalQueue.open("SIGRTMIN+99"), RangeError);
  assert.throws(() => SignalQueue.open(32), RangeError);
  assert.throws(() => SignalQueue.open(0), RangeError);
});

ipcTest(
  "SignalQueue: abort, close while waiting, and for-await in a real blocked process",
  async () => {
    await using child = spawnBlockedPython([RT2], "signals_child.ts", [
      "queue-edges",
      "SIGRTMIN+2",
    ]);
    assert.equal(await child.line(), "timeout=TimeoutError closed=BadResource try=BadResource");
    const pid = readyPid(await child.line());
    for (const value of [5, 6, 7, 0]) sendSignal(pid, "SIGRTMIN+2", { value });
    assert.equal(await child.line(), "values 5,6,7");
    assert.equal((await child.status()).code, 0);
  },
);

ipcTest(
  "SignalQueue: close() leaves the signals it did not return pending for the next queue",
  async () => {
    await using child = spawnBlockedPython([RT1], "../signals/_queue_child.ts", [
      "reopen",
      "SIGRTMIN+1",
    ]);
    const pid = readyPid(await child.line());
    for (const value of [1, 2, 3]) sendSignal(pid, "SIGRTMIN+1", { value });
    await child.send("go");
    assert.equal(await child.line(), "first 1 then 2,3");
    assert.equal((await child.status()).code, 0);
  },
);

for (const syncWait of [200, 0]) {
  ipcTest(
    `SignalQueue: 2,000 value-carrying round trips between two processes (syncWait ${syncWait})`,
    async () => {
      await using echo = spawnBlockedPython([RT1, RT2], "../signals/_queue_child.ts", [
        "echo",
        String(syncWait),
      ]);
      const pid = readyPid(await echo.line());
      await using ping = spawnBlockedPython([RT1, RT2], "../signals/_queue_child.ts", [
        "ping",
        String(syncWait),
        String(pid),
        "2000",
      ]);
      assert.equal(await ping.line(), "ok 2000");
      assert.equal((await ping.status()).code, 0);
      assert.equal((await echo.status()).code, 0);
    },
  );
}

Deno.test("SignalQueue: a bad syncWait is a RangeError before any system call", () => {
  for (const syncWait of [-1, 1.5, 2_000_000, NaN]) {
    assert.throws(() => SignalQueue.open("SIGRTMIN+1", { syncWait }), RangeError);
  }
});
