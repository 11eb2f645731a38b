// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { PidFd } from "../../signals/mod.ts";
import { buildC, ipcTest, spawnDeno, spawnProgram } from "../_helpers/mod.ts";

ipcTest("PidFd: race-free send with a value, exited(), and close semantics", async () => {
  const exe = await buildC("signals_sigwait.c");
  await using child = spawnProgram(exe, ["3", "1"]);
  const [, pid, signo] = (await child.line()).split(" ").map(Number);
  using handle = PidFd.open(child.process);
  assert.equal(handle.pid, pid);
  assert.ok(handle.fd >= 0);
  handle.send("SIGRTMIN+3", { value: 7 });
  assert.equal(await child.line(), `signo=${signo} value=7 ptr=7 pid=${Deno.pid} code=-1`);
  await handle.exited({ signal: AbortSignal.timeout(10_000) });
  assert.equal((await child.status()).code, 0);
  // The process is gone (reaped): sending through the pidfd is ESRCH, never another process.
  assert.throws(() => handle.send("SIGTERM"), (err: Error & { code?: string }) => {
    assert.ok(err instanceof Deno.errors.NotFound);
    assert.equal(err.code, "ESRCH");
    return true;
  });
  handle.close();
  handle.close();
  assert.equal(handle.closed, true);
  assert.equal(handle.fd, -1);
  assert.throws(() => handle.send("SIGTERM"), Deno.errors.BadResource);
  await assert.rejects(handle.exited(), Deno.errors.BadResource);
});

ipcTest("PidFd: exited() honours abort and rejects when the handle closes", async () => {
  await using child = spawnDeno("signals_child.ts", ["listen"]);
  await child.line();
  const handle = PidFd.open(child.pid);
  const reason = new Error("stop");
  const controller = new AbortController();
  const aborted = handle.exited({ signal: controller.signal });
  controller.abort(reason);
  await assert.rejects(aborted, (err) => err === reason);
  const pending = handle.exited();
  handle.close();
  await assert.rejects(pending, Deno.errors.BadResource);
  const pidfd = PidFd.open(child.pid);
  pidfd.send("SIGKILL");
  await pidfd.exited();
  pidfd.close();
  assert.equal((await child.status()).signal, "SIGKILL");
});

ipcTest("PidFd: bad input is rejected before any syscall; a gone pid is NotFound", async () => {
  assert.throws(() => PidFd.open(0), RangeError);
  assert.throws(() => PidFd.open(-5), RangeError);
  assert.throws(() => PidFd.open(1.5), TypeError);
  assert.throws(() => PidFd.open(null as unknown as number), TypeError);
  using handle = PidFd.open(Deno.pid);
  assert.throws(() => handle.send("SIGBOGUS" as "SIGHUP"), TypeError);
  assert.throws(() => handle.send("SIGUSR2", { value: 2 ** 40 }), RangeError);
  handle.send(0 as number); // signal 0 is a probe: harmless to ourselves
  const child = new Deno.Command("true").spawn();
  await child.status;
  assert.throws(() => PidFd.open(child.pid), (err: Error & { code?: string }) => {
    assert.ok(err instanceof Deno.errors.NotFound);
    assert.equal(err.code, "ESRCH");
    return true;
  });
});
