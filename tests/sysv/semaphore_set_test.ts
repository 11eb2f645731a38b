// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { IPC_PRIVATE, SysvSemaphoreSet } from "../../sysv/mod.ts";
import { buildC, spawnDeno, spawnProgram } from "../_helpers/mod.ts";
import { giveTo, isRoot, randomKey, sysvTest, track } from "../_helpers/sysv.ts";
import type { Scope } from "../_helpers/scope.ts";

function privateSet(scope: Scope, options = {}): SysvSemaphoreSet {
  const set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 3, ...options });
  track(scope, "sem", set.id);
  scope.defer(() => set.close());
  return set;
}

sysvTest("sysv sem: several operations apply atomically, or none", async (_t, scope) => {
  const set = privateSet(scope, { value: 2 });
  assert.deepEqual(set.getAll(), [2, 2, 2]);
  assert.equal(set.tryOperate([{ index: 0, delta: -2 }, { index: 2, delta: -3 }]), false);
  assert.deepEqual(set.getAll(), [2, 2, 2]);
  await set.operate([{ index: 0, delta: -2 }, { index: 1, delta: 1 }, { index: 2, delta: -1 }]);
  assert.deepEqual(set.getAll(), [0, 3, 1]);
  // delta 0 waits until the value is zero
  assert.equal(set.tryOperate([{ index: 0, delta: 0 }]), true);
  assert.equal(set.tryOperate([{ index: 1, delta: 0 }]), false);
  set.setValue(1, 0);
  set.setAll([5, 6, 7]);
  assert.equal(set.getValue(2), 7);
  assert.throws(() => set.setAll([1, 2]), TypeError);
  assert.throws(() => set.setAll([1, 2, 40000]), RangeError);
  assert.throws(() => set.setValue(3, 1), RangeError);
  assert.throws(() => set.tryOperate([]), RangeError);
  assert.throws(() => set.tryOperate([{ delta: 40000 }]), RangeError);
  assert.throws(() => set.tryOperate([{ index: 0 } as unknown as { delta: number }]), TypeError);
  assert.throws(() => set.tryOperate("x" as unknown as []), TypeError);
  assert.notEqual(set.stat().lastOperation, null);
});

sysvTest("sysv sem: waits time out, abort, and wake on a post from C", async (_t, scope) => {
  const set = privateSet(scope);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    await assert.rejects(
      set.operate([{ delta: -1 }], { signal: AbortSignal.timeout(120) }),
      (err: Error) => err.name === "TimeoutError",
    );
    assert.ok(ticks >= 1, `timers ran ${ticks} times during the wait`);
  } finally {
    clearInterval(timer);
  }
  const exe = await buildC("sysv_c_peer.c");
  const waiting = set.operate([{ index: 1, delta: -2 }], { signal: AbortSignal.timeout(20_000) });
  await using peer = spawnProgram(exe, ["sem-op", String(set.id), "1", "2"]);
  // The C peer reads the value after its post: 2, or 0 when our waiter already took it.
  assert.match(await peer.line(), /^done [02]$/);
  await waiting;
  assert.equal(set.getValue(1), 0);
  // close rejects a pending wait
  const pending = set.operate([{ delta: -1 }]);
  set.close();
  await assert.rejects(pending, Deno.errors.BadResource);
});

sysvTest(
  "sysv sem: SEM_UNDO releases what a killed process held (Deno and C)",
  async (_t, scope) => {
    const set = privateSet(scope, { count: 1, value: 1 });
    for (
      const start of [
        () => spawnDeno("sysv_child.ts", ["sem-hold", String(set.id)]),
        async () => spawnProgram(await buildC("sysv_c_peer.c"), ["sem-hold", String(set.id)]),
      ]
    ) {
      await using child = await start();
      assert.equal(await child.line(), "held");
      assert.equal(set.getValue(0), 0);
      assert.equal(set.tryOperate([{ delta: -1 }]), false);
      const waiting = set.operate([{ delta: -1 }], { signal: AbortSignal.timeout(20_000) });
      child.process.kill("SIGKILL");
      await child.status();
      await waiting; // the kernel undid the child's -1 when it died
      assert.equal(set.getValue(0), 0);
      set.setValue(0, 1);
    }
  },
);

sysvTest("sysv sem: keys, counts, values, owner check", (_t, scope) => {
  const key = randomKey();
  assert.throws(() => SysvSemaphoreSet.open(key), Deno.errors.NotFound);
  assert.throws(() => SysvSemaphoreSet.open(key, { create: true }), TypeError); // no count
  assert.throws(() => SysvSemaphoreSet.open(key, { count: 1, value: 32768 }), RangeError);
  using set = SysvSemaphoreSet.open(key, { create: true, count: 2, value: 4, mode: 0o660 });
  track(scope, "sem", set.id);
  assert.equal(set.created, true);
  assert.equal(set.stat().mode, 0o660);
  using again = SysvSemaphoreSet.open(key, { create: true, count: 2, value: 9 });
  assert.equal(again.created, false);
  assert.deepEqual(again.getAll(), [4, 4]); // value applies only to a set this call creates
  assert.throws(() => SysvSemaphoreSet.open(key, { count: 3 }), RangeError);
  if (!isRoot()) return;
  giveTo("sem", set.id, 12345);
  assert.throws(
    () => SysvSemaphoreSet.open(key),
    (e: Error) => e instanceof Deno.errors.PermissionDenied && /uid 12345/.test(e.message),
  );
  assert.throws(() => SysvSemaphoreSet.openById(set.id), Deno.errors.PermissionDenied);
  using ok = SysvSemaphoreSet.open(key, { allowOtherOwner: true });
  assert.equal(ok.stat().uid, 12345);
});
