// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { Semaphore } from "../../shm/mod.ts";
import { parkedSlices } from "../../shm/_semaphore_wait.ts";
import { buildC, ipcTest, spawnProgram, spawnPython } from "../_helpers/mod.ts";

ipcTest(
  "semaphore: a C sem_post wakes a Deno waiter while the event loop keeps running",
  async (_t, scope) => {
    const name = scope.name("sem_c2d", Semaphore.unlink);
    const exe = await buildC("shm_sem.c");
    using sem = Semaphore.open(name, { create: true });
    let ticks = 0;
    const fiveTicks = Promise.withResolvers<void>();
    const timer = setInterval(() => ++ticks === 5 && fiveTicks.resolve(), 5);
    try {
      const waiting = sem.wait({ signal: AbortSignal.timeout(10_000) });
      await parkedSlices((n) => n > 0); // the wait sleeps on a worker thread now
      await fiveTicks.promise; // and meanwhile the event loop runs timers
      await using c = spawnProgram(exe, ["post", `/${name}`]);
      assert.equal(await c.line(), "posted");
      await waiting;
    } finally {
      clearInterval(timer);
    }
    assert.equal(sem.value, 0);
  },
);

ipcTest("semaphore: a Deno post wakes a C sem_timedwait", async (_t, scope) => {
  const name = scope.name("sem_d2c", Semaphore.unlink);
  const exe = await buildC("shm_sem.c");
  using sem = Semaphore.open(name, { create: true, exclusive: true, value: 0, mode: 0o600 });
  await using c = spawnProgram(exe, ["wait", name, "10000"]);
  assert.equal(await c.line(), "waiting");
  sem.post();
  assert.equal(await c.line(), "got");
  assert.equal(sem.value, 0);
});

ipcTest(
  "semaphore: waiters on many semaphores (more than the thread cap) are all woken by C",
  async (_t, scope) => {
    const exe = await buildC("shm_sem.c");
    const sems = Array.from({ length: 7 }, () => {
      const name = scope.name("sem_many", Semaphore.unlink);
      return Semaphore.open(name, { create: true });
    });
    try {
      const waits = sems.map((s) => s.wait({ signal: AbortSignal.timeout(10_000) }));
      // Three extra waiters on the first one, served in order.
      const extra = [1, 2, 3].map(() => sems[0]!.wait({ signal: AbortSignal.timeout(10_000) }));
      await parkedSlices((n) => n === 4); // the thread cap is reached: the rest poll
      for (const [i, s] of sems.entries()) {
        await using c = spawnProgram(exe, ["post", s.name, i === 0 ? "4" : "1"]);
        assert.equal(await c.line(), "posted");
      }
      await Promise.all([...waits, ...extra]);
      for (const s of sems) assert.equal(s.value, 0);
    } finally {
      for (const s of sems) s.close();
    }
  },
);

ipcTest("semaphore: an aborted wait consumes nothing; tryWait never waits", async (_t, scope) => {
  const name = scope.name("sem_abort", Semaphore.unlink);
  const exe = await buildC("shm_sem.c");
  using sem = Semaphore.open(name, { create: true, value: 0 });
  assert.equal(sem.tryWait(), false);
  const controller = new AbortController();
  const waiting = sem.wait({ signal: controller.signal });
  await parkedSlices((n) => n > 0);
  controller.abort(new Error("changed my mind"));
  await assert.rejects(waiting, /changed my mind/);
  // A post after the abort stays for the next taker (here: C), even when the
  // aborted wait's worker slice took it: the slice gives it back on return.
  sem.post();
  await parkedSlices((n) => n === 0);
  assert.equal(sem.value, 1);
  await using c = spawnProgram(exe, ["wait", name, "2000"]);
  assert.equal(await c.line(), "waiting");
  assert.equal(await c.line(), "got");
  assert.equal(sem.tryWait(), false);
  sem.post();
  assert.equal(sem.tryWait(), true);
});

ipcTest(
  "semaphore: close rejects pending waits and keeps the value for others",
  async (_t, scope) => {
    const name = scope.name("sem_close", Semaphore.unlink);
    const exe = await buildC("shm_sem.c");
    const sem = Semaphore.open(name, { create: true });
    const waiting = sem.wait();
    await parkedSlices((n) => n > 0);
    sem.close();
    sem.close();
    await assert.rejects(waiting, Deno.errors.BadResource);
    assert.throws(() => sem.post(), Deno.errors.BadResource);
    assert.throws(() => sem.value, Deno.errors.BadResource);
    await assert.rejects(sem.wait(), Deno.errors.BadResource);
    await parkedSlices((n) => n === 0); // the worker slice ended and sem_close ran
    await using p = spawnProgram(exe, ["post", name]);
    assert.equal(await p.line(), "posted");
    await using v = spawnProgram(exe, ["value", name]);
    assert.equal(await v.line(), "1");
  },
);

ipcTest("semaphore: bad input and missing names fail clearly", (_t, scope) => {
  const name = scope.name("sem_bad", Semaphore.unlink);
  assert.throws(() => Semaphore.open("x".repeat(252), { create: true }), RangeError);
  assert.throws(() => Semaphore.open("a/b"), TypeError);
  assert.throws(() => Semaphore.open(name, { create: true, value: -1 }), RangeError);
  assert.throws(() => Semaphore.open(name, { create: true, mode: 0o7777 }), RangeError);
  assert.throws(() => Semaphore.open(name, { create: true, mode: "600" as never }), TypeError);
  assert.throws(() => Semaphore.open(name, { create: true, value: "1" as never }), TypeError);
  assert.throws(() => Semaphore.open(name), Deno.errors.NotFound);
  using sem = Semaphore.open(name, { create: true, value: 2 });
  using same = Semaphore.open(name, { create: true, value: 9 }); // opens the existing one
  assert.equal(same.value, 2);
  assert.throws(
    () => Semaphore.open(name, { create: true, exclusive: true }),
    Deno.errors.AlreadyExists,
  );
  assert.throws(() => Semaphore.unlink(`${name}_missing`), Deno.errors.NotFound);
  assert.equal(sem.name, `/${name}`);
});

ipcTest(
  "semaphore: unlinkOnClose leaves alone a new semaphore another process created under the name",
  async (_t, scope) => {
    const name = scope.name("sem_reuse", Semaphore.unlink);
    const mine = Semaphore.open(name, { create: true, value: 3, unlinkOnClose: true });
    const code = `import { Semaphore } from ${
      JSON.stringify(new URL("../../shm/mod.ts", import.meta.url).href)
    };
Semaphore.unlink(${JSON.stringify(name)});
Semaphore.open(${JSON.stringify(name)}, { create: true, exclusive: true, value: 7 }).close();`;
    const out = await new Deno.Command(Deno.execPath(), { args: ["eval", code] }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    mine.close();
    using theirs = Semaphore.open(name); // still there: not ours to unlink
    assert.equal(theirs.value, 7);
  },
);

ipcTest("semaphore: unlinkOnClose still unlinks the creator's own name", (_t, scope) => {
  const name = scope.name("sem_own", Semaphore.unlink);
  const mine = Semaphore.open(name, { create: true, unlinkOnClose: true });
  Semaphore.open(name).close(); // an attacher's close keeps it
  Semaphore.open(name).close();
  mine.close();
  assert.throws(() => Semaphore.open(name), Deno.errors.NotFound);
});

ipcTest(
  "semaphore: memory another process overwrote (its private word) is InvalidData on post and wait, never glibc's abort; a pending wait is rejected",
  async (_t, scope) => {
    const name = scope.name("sem_garbled", Semaphore.unlink);
    using sem = Semaphore.open(name, { create: true, value: 0 });
    const pending = sem.wait({ signal: AbortSignal.timeout(5000) }); // parked in a worker slice
    await parkedSlices((n) => n > 0);
    const peer = spawnPython("shm_poker.py", [`sem.${name}`]);
    scope.defer(() => peer[Symbol.asyncDispose]());
    assert.equal(await peer.line(), "ready");
    const poke = async (word: number, value: number) => {
      await peer.send(`poke ${word} ${value}`);
      assert.equal(await peer.line(), "ok");
    };
    await poke(2, 14); // glibc passes it into its futex call: an invalid operation
    await poke(1, 1); // one waiter, so that sem_post would wake
    const garbled = (err: Error) =>
      err instanceof Deno.errors.InvalidData &&
      /overwrote its memory \(word at byte 8 is 14/.test(err.message);
    await assert.rejects(pending, garbled); // at its next slice, within 100 ms
    assert.throws(() => sem.post(), garbled);
    assert.throws(() => sem.tryWait(), garbled);
    await assert.rejects(sem.wait(), garbled); // a rejection, not a throw
    await poke(2, 128);
    await poke(1, 0);
    sem.post();
    assert.equal(sem.tryWait(), true);
  },
);
