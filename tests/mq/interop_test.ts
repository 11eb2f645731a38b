// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { buildC, ipcTest, spawnDeno, spawnProgram, spawnPython } from "../_helpers/mod.ts";
import { cMessage, queueName } from "./_queues.ts";

const PRIORITIES = [0, 5, 32767, 5, 1, 0, 31000, 1, 5, 2]; // as mq_c_peer.c's prio_of

/** Indices 0..n-1 in receive order: priority descending, FIFO within a priority. */
function receiveOrder(priorities: number[]): number[] {
  return priorities.map((p, i) => ({ p, i })).sort((a, b) => b.p - a.p || a.i - b.i)
    .map(({ i }) => i);
}

ipcTest("mq interop: C sends mixed priorities, Deno receives them in order", async (_t, scope) => {
  const exe = await buildC("mq_c_peer.c");
  const name = queueName(scope);
  using q = MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 128 });
  // phase 1: the C program fills the queue; order is fully determined
  {
    await using peer = spawnProgram(exe, ["send", `/${name}`, "10"]);
    assert.equal(await peer.line(), "sent 10");
    assert.equal((await peer.status()).code, 0);
  }
  for (const i of receiveOrder(PRIORITIES)) {
    const { data, priority } = await q.receive();
    assert.equal(priority, PRIORITIES[i]);
    assert.deepEqual(data, cMessage(i));
  }
  assert.equal(q.tryReceive(), undefined);
  // phase 2: 500 messages through a 10-slot queue while Deno receives concurrently
  await using peer = spawnProgram(exe, ["send", `/${name}`, "500"]);
  const lastIndex = new Map<number, number>();
  const seen = new Set<number>();
  const buffer = new Uint8Array(q.messageSize);
  for (let n = 0; n < 500; n++) {
    const { length, priority } = await q.receiveInto(buffer, {
      signal: AbortSignal.timeout(20_000),
    });
    const i = Number(new TextDecoder().decode(buffer.subarray(0, length)).split(":")[1]);
    assert.deepEqual(buffer.subarray(0, length), cMessage(i));
    assert.equal(priority, PRIORITIES[i % 10]);
    assert.ok(!seen.has(i), `message ${i} twice`);
    seen.add(i);
    // FIFO within one priority
    assert.ok((lastIndex.get(priority) ?? -1) < i, `priority ${priority} out of order at ${i}`);
    lastIndex.set(priority, i);
  }
  assert.equal(seen.size, 500);
  assert.equal(await peer.line(), "sent 500");
});

ipcTest(
  "mq interop: Deno sends mixed priorities and binary bytes, C receives them in order",
  async (_t, scope) => {
    const exe = await buildC("mq_c_peer.c");
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 128 });
    const messages = PRIORITIES.map((priority, i) => ({
      priority,
      data: i % 2 === 0
        ? new Uint8Array([i, 0, 255, 0, ...new Array(i * 12).fill(i + 100)])
        : `deno ${i} ✓`,
    }));
    for (const { data, priority } of messages) assert.equal(q.trySend(data, { priority }), true);
    assert.equal(q.trySend("full"), false);
    await using peer = spawnProgram(exe, ["receive", `/${name}`, "10"]);
    const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    for (const i of receiveOrder(PRIORITIES)) {
      const { data, priority } = messages[i]!;
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
      assert.equal(await peer.line(), `${priority} ${hex(bytes)}`);
    }
    assert.equal(await peer.line(), "done");
    assert.equal((await peer.status()).code, 0);
  },
);

ipcTest(
  "mq interop: 100,000 messages between two Deno processes, consumer killed and restarted",
  async (_t, scope) => {
    const total = 100_000;
    const first = 40_000;
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 64 });
    await using producer = spawnDeno("mq_producer.ts", [name, String(total)]);
    // consumer A takes 40,000 messages, then stops receiving and is killed
    const a = spawnDeno("mq_consumer.ts", [name, String(total), String(first), "hold"]);
    const reportA = JSON.parse(await a.line(60_000));
    assert.equal(await a.line(), "holding");
    a.kill("SIGKILL");
    assert.equal((await a.status()).signal, "SIGKILL");
    await a[Symbol.asyncDispose]();
    // the producer is blocked on a full queue; what A never took is still there
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(q.attributes().currentMessages, 10);
    // consumer B takes the rest
    await using b = spawnDeno("mq_consumer.ts", [name, String(total), String(total - first)]);
    const reportB = JSON.parse(await b.line(60_000));
    assert.equal((await b.status()).code, 0);
    assert.equal(await producer.line(60_000), `done ${total}`);
    for (const report of [reportA, reportB]) {
      assert.equal(report.duplicates, 0);
      assert.equal(report.corrupt, 0);
    }
    assert.equal(reportA.count, first);
    assert.equal(reportB.count, total - first);
    // together exactly 0..total-1, nothing lost or received twice
    const ranges = [...reportA.ranges, ...reportB.ranges].sort((x, y) => x[0] - y[0]);
    let next = 0;
    for (const [lo, hi] of ranges) {
      assert.equal(lo, next, `gap or overlap at ${next}`);
      next = hi + 1;
    }
    assert.equal(next, total);
    assert.equal(q.attributes().currentMessages, 0);
  },
);

ipcTest(
  "mq interop: Python (ctypes) and Deno exchange mixed priorities both ways",
  async (_t, scope) => {
    const PY_PRIORITIES = [3, 0, 32767, 3, 7, 0, 1, 7, 3, 2]; // as mq_py_peer.py's PRIO
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 64 });
    {
      await using py = spawnPython("mq_py_peer.py", ["send", `/${name}`, "10"]);
      assert.equal(await py.line(), "sent 10", py.stderr);
    }
    for (const i of receiveOrder(PY_PRIORITIES)) {
      const { data, priority } = await q.receive();
      assert.equal(priority, PY_PRIORITIES[i]);
      const head = new TextEncoder().encode(`py:${i}:`);
      const tail = Array.from({ length: i % 6 }, (_, k) => 250 + k);
      assert.deepEqual(data, new Uint8Array([...head, ...tail]));
    }
    const sent = PY_PRIORITIES.map((priority, i) => ({ priority, text: `deno→py ${i} ✓` }));
    for (const { text, priority } of sent) await q.send(text, { priority });
    await using py = spawnPython("mq_py_peer.py", ["receive", `/${name}`, "10"]);
    const hex = (s: string) =>
      [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, "0")).join("");
    for (const i of receiveOrder(PY_PRIORITIES)) {
      assert.equal(await py.line(), `${sent[i]!.priority} ${hex(sent[i]!.text)}`);
    }
    assert.equal(await py.line(), "done");
  },
);
