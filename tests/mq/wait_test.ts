// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { pendingWaits } from "../../_ffi/poller.ts";
import { libc } from "../../_ffi/mod.ts";
import { CLOCK_MONOTONIC, CLOCK_REALTIME } from "../../_ffi/constants.ts";
import { Deadline } from "../../mq/_deadline.ts";
import { CLOCK_PAIR_SPREAD_NS, tickPeriod } from "../../_ffi/tick.ts";
import { buildC, ipcTest, spawnProgram } from "../_helpers/mod.ts";
import { queueName } from "./_queues.ts";

const SECOND = 1_000_000_000n;

/** Resolve after `ms` through a timer (proves the event loop turns). */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

ipcTest(
  "mq wait: timers keep firing while receive waits for another process",
  async (_t, scope) => {
    const exe = await buildC("mq_c_peer.c");
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 64 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const received = q.receive({ signal: AbortSignal.timeout(20_000) });
      let settled = false;
      received.finally(() => settled = true);
      await sleep(100);
      assert.equal(settled, false);
      assert.ok(ticks >= 2, `timer ticked ${ticks} times during the wait`);
      assert.equal(pendingWaits(), 1);
      const ticksBefore = ticks;
      await using peer = spawnProgram(exe, ["send", `/${name}`, "1"]);
      const { data, priority } = await received;
      assert.equal(new TextDecoder().decode(data), "c:0:");
      assert.equal(priority, 0);
      assert.equal(await peer.line(), "sent 1");
      assert.ok(ticks >= ticksBefore);
    } finally {
      clearInterval(timer);
    }
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest("mq wait: aborting a receive consumes nothing and frees the waiter", async (_t, scope) => {
  const exe = await buildC("mq_c_peer.c");
  const name = queueName(scope);
  using q = MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 64 });
  const controller = new AbortController();
  const reason = new Error("stop");
  const pending = q.receive({ signal: controller.signal });
  await sleep(20);
  assert.equal(pendingWaits(), 1);
  controller.abort(reason);
  await assert.rejects(pending, (err) => err === reason);
  assert.equal(pendingWaits(), 0);
  // a C process now sends two messages: both are still there for us
  await using peer = spawnProgram(exe, ["send", `/${name}`, "2"]);
  assert.equal(await peer.line(), "sent 2");
  assert.equal(q.attributes().currentMessages, 2);
  assert.equal(new TextDecoder().decode((await q.receive()).data).slice(0, 4), "c:1:");
  assert.equal(new TextDecoder().decode((await q.receive()).data), "c:0:");
  // an already-aborted signal rejects at once, even with messages waiting none is taken
  q.trySend("kept");
  await assert.rejects(q.receive({ signal: AbortSignal.abort(reason) }), (e) => e === reason);
  assert.equal(q.attributes().currentMessages, 1);
});

ipcTest("mq wait: aborting a send on a full queue sends nothing", async (_t, scope) => {
  const exe = await buildC("mq_c_peer.c");
  const name = queueName(scope);
  using q = MessageQueue.open(name, { create: true, maxMessages: 2, messageSize: 64 });
  await q.send("one");
  await q.send("two");
  await assert.rejects(
    q.send("three", { signal: AbortSignal.timeout(50) }),
    (err: Error) => err.name === "TimeoutError",
  );
  assert.equal(pendingWaits(), 0);
  // a C receiver sees exactly the two messages
  await using peer = spawnProgram(exe, ["receive", `/${name}`, "2"]);
  const hex = (s: string) => [...new TextEncoder().encode(s)].map((b) => b.toString(16)).join("");
  assert.equal(await peer.line(), `0 ${hex("one")}`);
  assert.equal(await peer.line(), `0 ${hex("two")}`);
  assert.equal(await peer.line(), "done");
  assert.equal(q.attributes().currentMessages, 0);
});

ipcTest(
  "mq wait: a full queue's send resumes when another process makes room",
  async (_t, scope) => {
    const exe = await buildC("mq_c_peer.c");
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 1, messageSize: 64 });
    await q.send("first", { priority: 3 });
    const second = q.send(new TextEncoder().encode("second"));
    await sleep(20);
    assert.equal(pendingWaits(), 1);
    await using peer = spawnProgram(exe, ["receive", `/${name}`, "2"]);
    await second;
    assert.match(await peer.line(), /^3 /);
    assert.match(await peer.line(), /^0 /);
    assert.equal(await peer.line(), "done");
  },
);

ipcTest("mq wait: close() rejects pending waits and ends iteration", async (_t, scope) => {
  const name = queueName(scope);
  const q = MessageQueue.open(name, { create: true, maxMessages: 2, messageSize: 8 });
  const receiving = q.receive();
  const iterated: unknown[] = [];
  const iterating = (async () => {
    for await (const m of q) iterated.push(m);
  })();
  await sleep(20);
  assert.equal(pendingWaits(), 2);
  q.close();
  await assert.rejects(receiving, (err: Error) => {
    assert.ok(err instanceof Deno.errors.BadResource);
    assert.match(err.message, /was closed/);
    return true;
  });
  await iterating;
  assert.deepEqual(iterated, []);
  assert.equal(pendingWaits(), 0);
});

ipcTest(
  "mq wait: many waiting queues share the poller; each gets its own message",
  async (_t, scope) => {
    const queues = Array.from(
      { length: 5 },
      () => MessageQueue.open(queueName(scope), { create: true, maxMessages: 1, messageSize: 8 }),
    );
    try {
      const waits = queues.map((q) => q.receive({ signal: AbortSignal.timeout(10_000) }));
      await sleep(20);
      assert.equal(pendingWaits(), 5);
      queues.forEach((q, i) => q.trySend(String(i), { priority: i }));
      const got = await Promise.all(waits);
      assert.deepEqual(got.map((m) => m.priority), [0, 1, 2, 3, 4]);
    } finally {
      for (const q of queues) q.close();
    }
  },
);

ipcTest(
  "mq wait: a busy queue is drained without leaving the current event-loop turn",
  async (_t, scope) => {
    const exe = await buildC("mq_c_peer.c");
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 64 });
    await using peer = spawnProgram(exe, ["send", `/${name}`, "10"]);
    assert.equal(await peer.line(), "sent 10");
    // A macrotask queued now runs only when the event loop turns, which a
    // thread hop (an off-thread call or the poller) would need; ten receives of
    // waiting messages finish before it.
    let turned = false;
    const timer = setTimeout(() => turned = true, 0);
    const buffer = new Uint8Array(q.messageSize);
    for (let i = 0; i < 5; i++) await q.receiveInto(buffer);
    for (let i = 0; i < 5; i++) await q.receive();
    assert.equal(turned, false);
    assert.equal(pendingWaits(), 0);
    assert.equal(q.attributes().currentMessages, 0);
    clearTimeout(timer);
  },
);

ipcTest(
  "mq wait: with spin 0 and syncWait 0 a wait goes straight to the poller",
  async (_t, scope) => {
    const exe = await buildC("mq_c_peer.c");
    const name = queueName(scope);
    using q = MessageQueue.open(name, {
      create: true,
      maxMessages: 10,
      messageSize: 64,
      spin: 0,
      syncWait: 0,
    });
    const received = q.receive({ signal: AbortSignal.timeout(20_000) });
    assert.equal(pendingWaits(), 1); // registered before receive() even returned
    await using peer = spawnProgram(exe, ["send", `/${name}`, "1"]);
    assert.equal(new TextDecoder().decode((await received).data), "c:0:");
    assert.equal(await peer.line(), "sent 1");
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "mq wait: a syncWait beyond the scheduler tick still returns, then the poller waits for a C peer",
  async (_t, scope) => {
    const exe = await buildC("mq_c_peer.c");
    const name = queueName(scope);
    using q = MessageQueue.open(name, {
      create: true,
      maxMessages: 10,
      messageSize: 64,
      spin: 0,
      syncWait: 5000,
    });
    // The brief sleep on the main thread ends at its deadline: receive()
    // returns with the wait handed to the poller, not blocked for good.
    const received = q.receive({ signal: AbortSignal.timeout(20_000) });
    assert.equal(pendingWaits(), 1);
    await using peer = spawnProgram(exe, ["send", `/${name}`, "1"]);
    assert.equal(new TextDecoder().decode((await received).data), "c:0:");
    assert.equal(await peer.line(), "sent 1");
    assert.equal(pendingWaits(), 0);
    // A queue with a message in it: the same call returns it at once.
    await using again = spawnProgram(exe, ["send", `/${name}`, "1"]);
    assert.equal(await again.line(), "sent 1");
    assert.equal(new TextDecoder().decode((await q.receive()).data), "c:0:");
    q.close();
    await assert.rejects(q.receive(), Deno.errors.BadResource);
  },
);

ipcTest(
  "mq wait: the default brief sleep lasts syncWait rounded up to just past a scheduler tick, then a C peer's message comes through the poller",
  async (_t, scope) => {
    const exe = await buildC("mq_c_peer.c");
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 64, spin: 0 });
    const tickMs = Number(tickPeriod()) / 1e6; // 0 where deadlines are not rounded
    assert.ok(tickMs >= 0 && tickMs <= 4, `tick ${tickMs} ms`);
    // The main thread sleeps in the kernel for at least syncWait (200 µs),
    // and at most until 20 µs past the first tick after that (plus the
    // scheduling delays of a loaded machine), then hands the wait over.
    const start = performance.now();
    const received = q.receive({ signal: AbortSignal.timeout(20_000) });
    const held = performance.now() - start;
    assert.ok(held >= 0.2, `held the event loop ${held} ms`);
    assert.ok(held < 0.2 + tickMs + 20, `held the event loop ${held} ms`);
    assert.equal(pendingWaits(), 1);
    await using peer = spawnProgram(exe, ["send", `/${name}`, "1"]);
    assert.equal(new TextDecoder().decode((await received).data), "c:0:");
    assert.equal(await peer.line(), "sent 1");
    assert.equal(pendingWaits(), 0);
  },
);

/** CLOCK_REALTIME now, in ns. */
function realNow(): bigint {
  const real = new BigInt64Array(2);
  libc().clock_gettime(CLOCK_REALTIME, new Uint8Array(real.buffer));
  return real[0]! * SECOND + real[1]!;
}

/** A timespec's time in ns. */
function nanos(timespec: Uint8Array): bigint {
  const [sec, nsec] = new BigInt64Array(timespec.buffer.slice(0));
  return sec! * SECOND + nsec!;
}

/**
 * CLOCK_REALTIME minus CLOCK_MONOTONIC, from the tightest of 50 reads of
 * CLOCK_REALTIME between two of CLOCK_MONOTONIC; off by at most `spread / 2`.
 */
function clockOffset(): { offset: bigint; spread: bigint } {
  const mono = new BigInt64Array(2);
  const monoBytes = new Uint8Array(mono.buffer);
  let best = { offset: 0n, spread: SECOND };
  for (let i = 0; i < 50; i++) {
    libc().clock_gettime(CLOCK_MONOTONIC, monoBytes);
    const before = mono[0]! * SECOND + mono[1]!;
    const real = realNow();
    libc().clock_gettime(CLOCK_MONOTONIC, monoBytes);
    const spread = mono[0]! * SECOND + mono[1]! - before;
    if (spread < best.spread) best = { offset: real - before - spread / 2n, spread };
  }
  return best;
}

ipcTest("mq wait: brief-sleep deadlines fall just past a tick of CLOCK_MONOTONIC", () => {
  const tick = tickPeriod();
  if (tick === 0n) return; // HZ below 250 or no coarse clock: deadlines are not rounded
  const deadline = new Deadline();
  for (const ns of [0, 200_000, 3_999_000, 10_000_000]) {
    const before = realNow();
    const at = nanos(deadline.in(ns, true));
    const after = realNow();
    // as far as asked from the call, at most a tick and 20 µs further (however long the call took)
    assert.ok(at >= before + BigInt(ns), `${at - before} ns after the call began`);
    assert.ok(at <= after + BigInt(ns) + tick + 20_000n, `${at - after} ns after it ended`);
    // on CLOCK_MONOTONIC, 20 µs past a multiple of the tick, give or take how closely the library
    // and this test each read the two clocks as one instant (not how long anything took)
    const { offset, spread } = clockOffset();
    assert.ok(spread < 50_000n, `the clocks read ${spread} ns apart at best`);
    const slack = CLOCK_PAIR_SPREAD_NS / 2n + spread / 2n + 1_000n;
    const past = ((at - offset) % tick + tick + tick / 2n) % tick - tick / 2n; // in [-tick/2, tick/2)
    assert.ok(past >= 20_000n - slack && past <= 20_000n + slack, `${past} ns past a tick`);
  }
  // not rounded: exactly as far as asked from the moment of the call
  const before = realNow();
  const at = nanos(deadline.in(200_000, false));
  const after = realNow();
  assert.ok(at >= before + 200_000n && at <= after + 200_000n, `${at - before} ns away`);
});

ipcTest(
  "mq wait: an idle consumer's brief sleep backs off (an eighth, not rounded to the tick) and still gets a C peer's message",
  async (_t, scope) => {
    const exe = await buildC("mq_c_peer.c");
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 64, spin: 0 });
    /** The time receive() holds the event loop before it hands the wait over (ms). */
    const hold = async () => {
      const start = performance.now();
      const pending = q.receive({ signal: AbortSignal.timeout(5) });
      const held = performance.now() - start;
      await assert.rejects(pending, (err: Error) => err.name === "TimeoutError");
      return held;
    };
    const hot = await hold();
    assert.ok(hot >= 0.2, `held ${hot} ms`); // at least syncWait
    for (let i = 0; i < 4; i++) await hold(); // idle waits in a row
    const idle: number[] = [];
    for (let i = 0; i < 5; i++) idle.push(await hold());
    const mean = idle.reduce((a, b) => a + b) / idle.length;
    // 25 µs each now, against 0.2–4.2 ms (2.2 on average at HZ=250) when rounded
    assert.ok(mean < 1, `held ${idle.map((x) => x.toFixed(3)).join(", ")} ms`);
    const received = q.receive({ signal: AbortSignal.timeout(20_000) });
    await using peer = spawnProgram(exe, ["send", `/${name}`, "1"]);
    assert.equal(new TextDecoder().decode((await received).data), "c:0:");
    assert.equal(await peer.line(), "sent 1");
    assert.equal(pendingWaits(), 0);
  },
);
