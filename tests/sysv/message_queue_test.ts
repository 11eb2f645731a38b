// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { IPC_PRIVATE, SysvMessageQueue } from "../../sysv/mod.ts";
import { giveTo, isRoot, randomKey, sysvTest, track } from "../_helpers/sysv.ts";
import type { Scope } from "../_helpers/scope.ts";

const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

function privateQueue(scope: Scope, options = {}): SysvMessageQueue {
  const q = SysvMessageQueue.open(IPC_PRIVATE, options);
  track(scope, "msg", q.id);
  scope.defer(() => q.close());
  return q;
}

sysvTest("sysv msg: the three selection rules", (_t, scope) => {
  const q = privateQueue(scope);
  for (const [type, data] of [[3, "a3"], [1, "b1"], [2, "c2"], [1, "d1"], [5, "e5"]] as const) {
    assert.equal(q.trySend(type, data), true);
  }
  // > 0: the first of that type
  assert.equal(text(q.tryReceive({ type: 1 })?.data), "b1");
  // < 0: the first of the lowest type <= |type|
  assert.deepEqual(q.tryReceive({ type: -2 }), { type: 1, data: new TextEncoder().encode("d1") });
  assert.equal(q.tryReceive({ type: -1 }), undefined);
  // 0: the first on the queue, whatever its type
  assert.equal(text(q.tryReceive()?.data), "a3");
  assert.equal(q.tryReceive({ type: 4 }), undefined);
  assert.equal(q.tryReceive({ type: -9 })?.type, 2);
  assert.equal(q.tryReceive({ type: 0 })?.type, 5);
  assert.equal(q.tryReceive(), undefined);
  // types beyond 32 bits travel exactly (mtype is a C long)
  q.trySend(2 ** 40 + 5, "big");
  q.trySend(Number.MAX_SAFE_INTEGER, "max");
  assert.equal(q.tryReceive({ type: 2 ** 40 + 5 })?.type, 2 ** 40 + 5);
  assert.equal(q.tryReceive({ type: -Number.MAX_SAFE_INTEGER })?.type, Number.MAX_SAFE_INTEGER);
});

sysvTest("sysv msg: too big without noError is E2BIG and stays; noError truncates", (_t, scope) => {
  const q = privateQueue(scope);
  q.trySend(4, "0123456789");
  assert.throws(
    () => q.tryReceive({ maxSize: 4 }),
    (e: Error & { code?: string }) =>
      e.code === "E2BIG" && /maxSize 4/.test(e.message) && /noError/.test(e.message),
  );
  assert.equal(q.stat().messages, 1);
  assert.deepEqual(q.tryReceive({ maxSize: 4, noError: true }), {
    type: 4,
    data: new TextEncoder().encode("0123"),
  });
  assert.equal(q.stat().messages, 0);
  assert.equal(q.tryReceive({ maxSize: 0, noError: true }), undefined);
});

sysvTest("sysv msg: msg_qbytes limits sends and names itself in errors", async (_t, scope) => {
  const q = privateQueue(scope, { maxBytes: 16 });
  assert.equal(q.stat().maxBytes, 16);
  assert.equal(q.trySend(1, new Uint8Array(10)), true);
  assert.equal(q.trySend(1, new Uint8Array(10)), false); // full: 20 > 16
  assert.throws(() => q.trySend(1, new Uint8Array(17)), /msg_qbytes 16/);
  await assert.rejects(q.send(1, new Uint8Array(17)), /could never be sent/);
  assert.throws(() => q.trySend(1, new Uint8Array(8193)), /msgmax 8192/);
  // a blocked send completes when room appears, and the bytes were copied
  const data = new Uint8Array(10).fill(7);
  const sending = q.send(2, data, { signal: AbortSignal.timeout(10_000) });
  data.fill(0);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(q.tryReceive()?.type, 1);
  await sending;
  assert.deepEqual(q.tryReceive()?.data, new Uint8Array(10).fill(7));
});

sysvTest(
  "sysv msg: a waiting receive keeps the event loop running and aborts cleanly",
  async (_t, scope) => {
    const q = privateQueue(scope);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      await assert.rejects(
        q.receive({ signal: AbortSignal.timeout(120) }),
        (err: Error) => err.name === "TimeoutError",
      );
      assert.ok(ticks >= 1, `timers ran ${ticks} times during the wait`);
    } finally {
      clearInterval(timer);
    }
    // an aborted wait consumed nothing
    const controller = new AbortController();
    const waiting = q.receive({ type: 9, signal: controller.signal });
    q.trySend(1, "not for it");
    await new Promise((r) => setTimeout(r, 20));
    controller.abort(new Error("stop"));
    await assert.rejects(waiting, /stop/);
    assert.equal(q.stat().messages, 1);
    // an already aborted signal: rejected at once, nothing taken
    await assert.rejects(q.receive({ signal: AbortSignal.abort() }));
    assert.equal(q.stat().messages, 1);
  },
);

sysvTest("sysv msg: many waiters at once, each gets its own type", async (_t, scope) => {
  const q = privateQueue(scope, { spin: 0 });
  const signal = AbortSignal.timeout(20_000);
  const waiting = Array.from({ length: 40 }, (_, i) => q.receive({ type: i + 1, signal }));
  // file reads (which share Deno's blocking pool) are not stalled by the waiters
  await Deno.readTextFile("/proc/self/status");
  for (let i = 40; i >= 1; i--) q.trySend(i, `m${i}`);
  const got = await Promise.all(waiting);
  assert.deepEqual(got.map((m) => text(m.data)), got.map((_, i) => `m${i + 1}`));
});

sysvTest("sysv msg: close rejects pending waits with BadResource", async (_t, scope) => {
  const q = SysvMessageQueue.open(IPC_PRIVATE);
  track(scope, "msg", q.id);
  const waiting = q.receive();
  q.close();
  await assert.rejects(waiting, Deno.errors.BadResource);
  assert.throws(() => q.stat(), Deno.errors.BadResource);
  await assert.rejects(q.send(1, "x"), Deno.errors.BadResource);
  q.close();
  assert.equal(q.closed, true);
});

sysvTest("sysv msg: remove fails pending waits with EIDRM", async (_t, scope) => {
  const q = privateQueue(scope);
  const other = SysvMessageQueue.openById(q.id);
  const waiting = other.receive({ signal: AbortSignal.timeout(10_000) });
  q.remove();
  await assert.rejects(
    waiting,
    (e: Error & { code?: string }) => ["EIDRM", "EINVAL"].includes(e.code!),
  );
  other.close();
});

sysvTest("sysv msg: keys, create, exclusive, mode", (_t, scope) => {
  const key = randomKey();
  assert.throws(() => SysvMessageQueue.open(key), Deno.errors.NotFound);
  using a = SysvMessageQueue.open(key, { create: true, mode: 0o640 });
  track(scope, "msg", a.id);
  assert.equal(a.created, true);
  assert.equal(a.key, key);
  assert.equal(a.stat().mode, 0o640);
  assert.equal(a.stat().key, key);
  using b = SysvMessageQueue.open(key, { create: true });
  assert.equal(b.created, false);
  assert.equal(b.id, a.id);
  assert.throws(() => SysvMessageQueue.open(key, { exclusive: true }), Deno.errors.AlreadyExists);
  assert.throws(() => SysvMessageQueue.open(key, { mode: 0o1000 }), RangeError);
  assert.throws(() => SysvMessageQueue.open(2 ** 32), RangeError);
  assert.throws(() => SysvMessageQueue.open("1" as unknown as number), TypeError);
  assert.throws(() => SysvMessageQueue.open(key, { exclusive: true, create: false }), TypeError);
  assert.throws(() => a.trySend(0, "x"), RangeError);
  assert.throws(() => a.trySend(1.5, "x"), TypeError);
  assert.throws(() => a.trySend(1, 5 as unknown as string), TypeError);
  assert.throws(() => a.tryReceive({ type: 0.5 }), TypeError);
  assert.throws(() => a.tryReceive({ noError: 1 as unknown as boolean }), TypeError);
});

sysvTest("sysv msg: another user's queue is refused unless allowOtherOwner", (_t, scope) => {
  const key = randomKey();
  const q = SysvMessageQueue.open(key, { exclusive: true });
  track(scope, "msg", q.id);
  q.close();
  giveTo("msg", q.id, 12345);
  assert.throws(
    () => SysvMessageQueue.open(key, { create: true }),
    (e: Error) => e instanceof Deno.errors.PermissionDenied && /uid 12345/.test(e.message),
  );
  assert.throws(() => SysvMessageQueue.openById(q.id), Deno.errors.PermissionDenied);
  using ok = SysvMessageQueue.open(key, { allowOtherOwner: true });
  assert.equal(ok.stat().uid, 12345);
  assert.equal(ok.stat().creatorUid, 0);
}, { ignore: !isRoot() });
