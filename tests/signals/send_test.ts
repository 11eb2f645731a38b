// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { isProcessAlive, sendSignal, signalNumber } from "../../signals/mod.ts";
import { buildC, ipcTest, spawnDeno, spawnProgram } from "../_helpers/mod.ts";

ipcTest("sendSignal: SIGUSR1 reaches a Deno child's onSignal listener", async () => {
  await using child = spawnDeno("signals_child.ts", ["listen"]);
  assert.equal(await child.line(), `ready ${child.pid}`);
  sendSignal(child.pid, "SIGUSR1");
  const lines = new Set([await child.line(), await child.line()]);
  assert.deepEqual(lines, new Set(["plain SIGUSR1", "got SIGUSR1"]));
  sendSignal(child.pid, 10); // by number
  assert.deepEqual(new Set([await child.line(), await child.line()]), lines);
  await child.closeStdin();
  assert.equal((await child.status()).code, 0);
});

ipcTest(
  "sendSignal: sigqueue SIGRTMIN+1 with value 42 to a C program using sigwaitinfo",
  async () => {
    const exe = await buildC("signals_sigwait.c");
    await using child = spawnProgram(exe, ["1", "2"]);
    const [, pid, signo] = (await child.line()).split(" ").map(Number);
    assert.equal(pid, child.pid);
    assert.equal(signo, signalNumber("SIGRTMIN+1"), "the C library agrees on SIGRTMIN");
    sendSignal(pid, "SIGRTMIN+1", { value: 42 });
    assert.equal(await child.line(), `signo=${signo} value=42 ptr=42 pid=${Deno.pid} code=-1`);
    sendSignal(pid, "SIGRTMAX-" + (64 - signo) as "SIGRTMAX-1", { value: -(2n ** 40n) });
    assert.equal(
      await child.line(),
      `signo=${signo} value=0 ptr=${-(2n ** 40n)} pid=${Deno.pid} code=-1`,
    );
    assert.equal((await child.status()).code, 0);
  },
);

ipcTest("isProcessAlive: running, exited and someone else's process", async () => {
  await using child = spawnDeno("signals_child.ts", ["listen"]);
  await child.line();
  assert.equal(isProcessAlive(child.pid), true);
  assert.equal(isProcessAlive(1), true); // init: EPERM or allowed, alive either way
  child.kill("SIGKILL");
  await child.status();
  assert.equal(isProcessAlive(child.pid), false);
  assert.throws(() => sendSignal(child.pid, "SIGTERM"), (err: Error & { code?: string }) => {
    assert.ok(err instanceof Deno.errors.NotFound);
    assert.equal(err.code, "ESRCH");
    assert.match(err.message, new RegExp(`No such process \\(os error 3\\): kill "${child.pid}"`));
    return true;
  });
});

ipcTest("sendSignal: pids ≤ 0 (process groups) need an explicit opt-in", () => {
  for (const pid of [0, -1, -Deno.pid]) {
    assert.throws(() => sendSignal(pid, "SIGTERM"), RangeError);
    assert.throws(() => sendSignal(pid, "SIGRTMIN", { value: 1 }), RangeError);
  }
  // Opting in: signal 0 to our own group only probes it.
  sendSignal(0, 0, { processGroup: true });
  assert.throws(() => sendSignal(0, 0, { processGroup: true, value: 1 }), TypeError);
  assert.throws(() => isProcessAlive(0), RangeError);
  assert.throws(() => isProcessAlive(-5), RangeError);
});

ipcTest("sendSignal: bad signals, pids and values are rejected before any syscall", () => {
  const me = Deno.pid;
  assert.throws(() => sendSignal(me, "SIGNOPE" as "SIGHUP"), TypeError);
  assert.throws(() => sendSignal(me, "sigterm" as "SIGTERM"), TypeError);
  assert.throws(() => sendSignal(me, "SIGRTMIN-1" as "SIGRTMIN"), RangeError);
  assert.throws(() => sendSignal(me, "SIGRTMAX+1" as "SIGRTMAX"), RangeError);
  assert.throws(() => sendSignal(me, "SIGRTMIN+31"), RangeError);
  assert.throws(() => sendSignal(me, 65), RangeError);
  assert.throws(() => sendSignal(me, -1), RangeError);
  assert.throws(() => sendSignal(me, 32), RangeError);
  assert.throws(() => sendSignal(me, 1.5), TypeError);
  assert.throws(() => sendSignal(me, null as unknown as number), TypeError);
  assert.throws(() => sendSignal(1.5, "SIGTERM"), TypeError);
  assert.throws(() => sendSignal("1" as unknown as number, "SIGTERM"), TypeError);
  assert.throws(() => sendSignal(2 ** 31, "SIGTERM"), RangeError);
  assert.throws(() => sendSignal(me, "SIGUSR2", { value: 2 ** 31 }), RangeError);
  assert.throws(() => sendSignal(me, "SIGUSR2", { value: 0.5 }), TypeError);
  assert.throws(() => sendSignal(me, "SIGUSR2", { value: 2n ** 64n }), RangeError);
  assert.throws(() => sendSignal(me, "SIGUSR2", { value: "1" as unknown as number }), TypeError);
  // Signal 0 is a probe: harmless to ourselves.
  sendSignal(me, 0);
});

ipcTest("sendSignal: a receiver's full realtime queue is WouldBlock (EAGAIN)", async () => {
  const exe = await buildC("signals_sigwait.c");
  // The receiver lowers its own RLIMIT_SIGPENDING, which bounds queued signals for it.
  await using child = spawnProgram(exe, ["1", "0", "3"]);
  const [, pid = 0] = (await child.line()).split(" ").map(Number);
  let sent = 0;
  let err: (Error & { code?: string }) | undefined;
  try {
    for (; sent < 1000; sent++) sendSignal(pid, "SIGRTMIN+1", { value: sent });
  } catch (e) {
    err = e as Error & { code?: string };
  }
  assert.ok(err instanceof Deno.errors.WouldBlock, `no EAGAIN after ${sent} sends`);
  assert.equal((err as { code?: string }).code, "EAGAIN");
  assert.match(err.message, new RegExp(`\\(os error 11\\): sigqueue "${pid}"`));
  assert.ok(sent <= 3);
  await child.send("drain");
  assert.equal(await child.line(), `drained ${sent}`);
  assert.equal((await child.status()).code, 0);
});
