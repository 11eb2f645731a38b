// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The per-call paths of sysv/_queue_calls.ts and sysv/_semaphore_calls.ts
 * between real processes (a C peer): receiveInto into one reused buffer;
 * with `spin: 0`, queue calls that start with the kernel wait after a failed
 * try, and semops that start with a `semtimedop` slice, still abort cleanly
 * without holding the event loop and lose or repeat nothing; concurrent
 * semops on one handle keep their own operations (the encoding buffer is
 * reused only until a call must wait).
 */
import assert from "node:assert/strict";
import { IPC_PRIVATE, SysvMessageQueue, SysvSemaphoreSet } from "../../sysv/mod.ts";
import { libc } from "../../_ffi/mod.ts";
import { buildC, spawnProgram } from "../_helpers/mod.ts";
import { sysvTest, track } from "../_helpers/sysv.ts";
import type { Scope } from "../_helpers/scope.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function privateQueue(scope: Scope, options = {}): SysvMessageQueue {
  const q = SysvMessageQueue.open(IPC_PRIVATE, options);
  track(scope, "msg", q.id);
  scope.defer(() => q.close());
  return q;
}

function privateSet(scope: Scope, options: { count: number; spin?: number }): SysvSemaphoreSet {
  const set = SysvSemaphoreSet.open(IPC_PRIVATE, options);
  track(scope, "sem", set.id);
  scope.defer(() => set.close());
  return set;
}

/** Count event-loop timer ticks while `fn` runs: the loop was never held long. */
async function ticking<T>(fn: () => Promise<T>): Promise<[T, number]> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 2);
  try {
    return [await fn(), ticks];
  } finally {
    clearInterval(timer);
  }
}

sysvTest(
  "sysv fast path: receiveInto takes a C sender's typed messages into one buffer",
  async (_t, scope) => {
    const exe = await buildC("sysv_c_peer.c");
    const q = privateQueue(scope);
    libc().getpid();
    await using peer = spawnProgram(exe, ["msg-send", String(q.id), "9"]);
    assert.equal(await peer.line(), "sent 9");
    const buffer = new Uint8Array(16);
    // type 2 first: the 2nd, 5th and 8th messages, in order, into the same buffer
    for (const i of [1, 4, 7]) {
      const { type, length } = await q.receiveInto(buffer, { type: 2 });
      assert.deepEqual([type, text(buffer.subarray(0, length))], [2, `c:${i}`]);
    }
    // a buffer too short: E2BIG, the message stays; noError truncates it
    assert.throws(
      () => q.tryReceiveInto(new Uint8Array(2)),
      (e: Error & { code?: string }) => e.code === "E2BIG" && /buffer \(2 bytes\)/.test(e.message),
    );
    assert.deepEqual(q.tryReceiveInto(buffer.subarray(0, 2), { noError: true }), {
      type: 1,
      length: 2,
    });
    assert.equal(text(buffer.subarray(0, 2)), "c:");
    const rest: string[] = [];
    for (let r; (r = q.tryReceiveInto(buffer)) !== undefined;) {
      rest.push(`${r.type} ${text(buffer.subarray(0, r.length))}`);
    }
    assert.deepEqual(rest, ["3 c:2", "1 c:3", "3 c:5", "1 c:6", "3 c:8"]);
    await assert.rejects(q.receiveInto(buffer, { signal: AbortSignal.timeout(10) }), {
      name: "TimeoutError",
    });
    assert.throws(() => q.tryReceiveInto("x" as unknown as Uint8Array), TypeError);
  },
);

sysvTest(
  "sysv fast path: reused requests and views follow changing options, lengths and buffers",
  async (_t, scope) => {
    const exe = await buildC("sysv_c_peer.c");
    const q = privateQueue(scope);
    // types 1, 2, 3, 1, …; "c:0" … "c:9" are 3 bytes, "c:10" and "c:11" 4
    await using peer = spawnProgram(exe, ["msg-send", String(q.id), "12"]);
    assert.equal(await peer.line(), "sent 12");
    const buffer = new Uint8Array(16);
    const got: string[] = [];
    const into = async (options?: { type: number }) => {
      const r = await q.receiveInto(buffer, options);
      got.push(`${r.type} ${text(buffer.subarray(0, r.length))}`);
      return r;
    };
    const a = await into({ type: 3 });
    const b = await into({ type: 3 }); // an equal request: reused, the results are not
    assert.notEqual(a, b);
    assert.deepEqual([a, b], [{ type: 3, length: 3 }, { type: 3, length: 3 }]);
    await into({ type: 1 });
    // a fresh copy with a larger maxSize grows the receive buffer: views follow it
    const big = await q.receive({ maxSize: 100_000 });
    got.push(`${big.type} ${text(big.data)}`);
    await into({ type: -2 });
    while (q.stat().messages > 0) await into();
    assert.deepEqual(got, [
      "3 c:2",
      "3 c:5",
      "1 c:0",
      "2 c:1",
      "1 c:3",
      "2 c:4",
      "1 c:6",
      "2 c:7",
      "3 c:8",
      "1 c:9",
      "2 c:10",
      "3 c:11",
    ]);
    // a shorter message after longer ones is not padded with their bytes
    await q.send(5, "z");
    assert.deepEqual(await q.receiveInto(buffer), { type: 5, length: 1 });
    assert.equal(text(buffer.subarray(0, 1)), "z");
  },
);

sysvTest(
  "sysv fast path: spin 0 queue waits that start in the kernel abort cleanly, then take a C sender's messages once, in order",
  async (_t, scope) => {
    const exe = await buildC("sysv_c_peer.c");
    const q = privateQueue(scope, { spin: 0 });
    const buffer = new Uint8Array(64);
    // after the first failed try, the next calls start with the kernel wait
    const [, ticks] = await ticking(async () => {
      for (let i = 0; i < 8; i++) {
        await assert.rejects(q.receiveInto(buffer, { signal: AbortSignal.timeout(5) }), {
          name: "TimeoutError",
        });
      }
    });
    assert.ok(ticks >= 5, `the event loop kept turning (${ticks} ticks in 8 waits of 5 ms)`);
    assert.equal(q.stat().messages, 0);
    await using peer = spawnProgram(exe, ["msg-send", String(q.id), "30"]);
    const got: string[] = [];
    for (let i = 0; i < 30; i++) {
      const { type, length } = await q.receiveInto(buffer, { signal: AbortSignal.timeout(20_000) });
      got.push(`${type} ${text(buffer.subarray(0, length))}`);
    }
    assert.deepEqual(got, Array.from({ length: 30 }, (_, i) => `${(i % 3) + 1} c:${i}`));
    assert.equal(await peer.line(), "sent 30");
    assert.equal(q.tryReceiveInto(buffer), undefined);
  },
);

sysvTest(
  "sysv fast path: a full queue's spin 0 sends start in the kernel, abort without sending, and reach a C receiver once",
  async (_t, scope) => {
    const exe = await buildC("sysv_c_peer.c");
    const q = privateQueue(scope, { spin: 0, maxBytes: 4 });
    await q.send(1, "full");
    const data = new TextEncoder().encode("next");
    for (let i = 0; i < 5; i++) {
      await assert.rejects(q.send(2, data, { signal: AbortSignal.timeout(5) }), {
        name: "TimeoutError",
      });
    }
    assert.equal(q.stat().messages, 1, "no aborted send was sent");
    const sending = q.send(2, data, { signal: AbortSignal.timeout(20_000) });
    data.fill(0x21); // the caller's bytes change while the send waits: the copy is sent
    await using peer = spawnProgram(exe, ["msg-recv", String(q.id), "2", "0"]);
    await sending;
    assert.equal(await peer.line(), "1 full");
    assert.equal(await peer.line(), "2 next");
  },
);

sysvTest(
  "sysv fast path: spin 0 semops start with a semtimedop slice, abort cleanly, and wake for a C peer's posts",
  async (_t, scope) => {
    const exe = await buildC("sysv_c_peer.c");
    const set = privateSet(scope, { count: 2 });
    const [, ticks] = await ticking(async () => {
      for (let i = 0; i < 5; i++) {
        await assert.rejects(
          set.operate([{ index: 0, delta: -1 }], { signal: AbortSignal.timeout(5) }),
          { name: "TimeoutError" },
        );
      }
    });
    assert.ok(ticks >= 3, `the event loop kept turning (${ticks} ticks in 5 waits of 5 ms)`);
    assert.deepEqual(set.getAll(), [0, 0], "no aborted operation applied");
    // two waits on one handle at once: each keeps its own operations
    const first = set.operate([{ index: 0, delta: -1 }], { signal: AbortSignal.timeout(20_000) });
    const second = set.operate([{ index: 1, delta: -2 }], { signal: AbortSignal.timeout(20_000) });
    {
      await using peer = spawnProgram(exe, ["sem-op", String(set.id), "1", "2"]);
      assert.match(await peer.line(), /^done [02]$/);
    }
    await second;
    {
      await using peer = spawnProgram(exe, ["sem-op", String(set.id), "0", "1"]);
      assert.match(await peer.line(), /^done [01]$/);
    }
    await first;
    assert.deepEqual(set.getAll(), [0, 0]);
    // an operation that can apply does so at once (the slice does not sleep)
    set.setValue(0, 1);
    const start = performance.now();
    await set.operate([{ index: 0, delta: -1 }]);
    assert.ok(performance.now() - start < 100);
    assert.equal(set.getValue(0), 0);
  },
);

sysvTest(
  "sysv fast path: once the calls are optimized, a C echo returns every length and type unchanged",
  async (_t, scope) => {
    // msgsnd's size and msgrcv's size and type are 64-bit arguments, passed
    // as BigInts reused while they repeat (sysv/_common.ts, wide): enough
    // messages for the JIT to optimize the calls, lengths that repeat and
    // that change (past the small counts made once), types past 2^32
    const exe = await buildC("sysv_c_peer.c");
    const out = privateQueue(scope);
    const back = privateQueue(scope);
    const n = 20_000;
    await using peer = spawnProgram(exe, ["msg-echo", String(out.id), String(n), String(back.id)]);
    const length = (i: number) => (i >> 2) * 37 % 700;
    const type = (i: number) => i % 2 === 0 ? (i % 3) + 1 : 2 ** 40 + (i % 5);
    const message = (i: number) => Uint8Array.from({ length: length(i) }, (_, j) => (i + j) & 255);
    const buffer = new Uint8Array(1024);
    const window = 8;
    for (let i = 0; i < n; i += window) {
      for (let k = i; k < i + window; k++) await out.send(type(k), message(k));
      for (let k = i; k < i + window; k++) {
        const got = k % 4 === 3
          ? await back.receive({ type: type(k) })
          : await back.receiveInto(buffer, { type: type(k) });
        const bytes = "data" in got ? got.data : buffer.subarray(0, got.length);
        assert.equal(got.type, type(k), `message ${k}: type`);
        assert.deepEqual(bytes, message(k), `message ${k}: bytes`);
      }
    }
    assert.equal(await peer.line(), `echoed ${n}`);
    assert.equal(back.tryReceive(), undefined);
  },
);
