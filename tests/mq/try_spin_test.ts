// Copyright 2026 the @ipc/linux authors. MIT license.
// The sleepless spin of trySend, tryReceive and tryReceiveInto (`{ spin }`), against a C peer.
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { buildC, ipcTest, spawnProgram } from "../_helpers/mod.ts";
import { cMessage, queueName } from "./_queues.ts";

ipcTest(
  "mq try spin: 500 messages from a C sender, taken with tryReceiveInto/tryReceive spins, none lost",
  async (_t, scope) => {
    const exe = await buildC("mq_c_peer.c");
    const name = queueName(scope);
    using q = MessageQueue.open(name, {
      create: true,
      maxMessages: 10,
      messageSize: 64,
      spin: 0,
    });
    await using peer = spawnProgram(exe, ["send", `/${name}`, "500"]);
    const buffer = new Uint8Array(q.messageSize);
    const seen = new Set<number>();
    let spun = 0;
    for (let n = 0; n < 500; n++) {
      let bytes: Uint8Array;
      if (n % 2 === 0) {
        const got = q.tryReceiveInto(buffer, { spin: 200 });
        if (got !== undefined) spun++;
        const { length } = got ?? await q.receiveInto(buffer, {
          signal: AbortSignal.timeout(20_000),
        });
        bytes = buffer.slice(0, length);
      } else {
        const got = q.tryReceive({ spin: 200 });
        if (got !== undefined) spun++;
        ({ data: bytes } = got ?? await q.receive({ signal: AbortSignal.timeout(20_000) }));
      }
      const i = Number(new TextDecoder().decode(bytes).split(":")[1]);
      assert.deepEqual(bytes, cMessage(i));
      assert.ok(!seen.has(i), `message ${i} twice`);
      seen.add(i);
    }
    assert.equal(seen.size, 500);
    assert.ok(spun > 0, "no message was taken by a spin");
    assert.equal(await peer.line(), "sent 500");
    assert.equal(q.tryReceive({ spin: 100 }), undefined);
  },
);

ipcTest(
  "mq try spin: trySend with spin gets room once a C receiver drains a full queue",
  async (_t, scope) => {
    const exe = await buildC("mq_c_peer.c");
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 64 });
    for (let i = 0; i < 10; i++) assert.equal(q.trySend(`m${i}`), true);
    assert.equal(q.trySend("last"), false);
    await using peer = spawnProgram(exe, ["receive", `/${name}`, "11"]);
    // up to 1 s on this thread, yielding the CPU, until the C process has taken one
    assert.equal(q.trySend("last", { priority: 0, spin: 1_000_000 }), true);
    const hex = (s: string) =>
      [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, "0")).join("");
    for (let i = 0; i < 10; i++) assert.equal(await peer.line(), `0 ${hex(`m${i}`)}`);
    assert.equal(await peer.line(), `0 ${hex("last")}`);
    assert.equal(await peer.line(), "done");
    assert.equal((await peer.status()).code, 0);
  },
);

ipcTest("mq try spin: a spin that times out consumes and sends nothing", (_t, scope) => {
  const name = queueName(scope);
  using q = MessageQueue.open(name, { create: true, maxMessages: 2, messageSize: 16 });
  const buffer = new Uint8Array(16);
  let start = performance.now();
  assert.equal(q.tryReceiveInto(buffer, { spin: 3000 }), undefined);
  assert.equal(q.tryReceive({ spin: 3000 }), undefined);
  const waited = performance.now() - start;
  assert.ok(waited >= 6, `two 3 ms spins took ${waited} ms`);
  assert.equal(q.attributes().currentMessages, 0);
  assert.equal(q.trySend("a"), true);
  assert.equal(q.trySend("b", { priority: 2 }), true);
  start = performance.now();
  assert.equal(q.trySend("c", { spin: 3000 }), false);
  assert.ok(performance.now() - start >= 3);
  assert.equal(q.attributes().currentMessages, 2);
  assert.deepEqual(q.tryReceiveInto(buffer, { spin: 3000 }), { length: 1, priority: 2 });
  assert.deepEqual(q.tryReceive({ spin: 0 })?.data, new TextEncoder().encode("a"));
});

ipcTest("mq try spin: bad spins and closed handles are refused before any call", (_t, scope) => {
  const name = queueName(scope);
  const q = MessageQueue.open(name, { create: true, maxMessages: 2, messageSize: 16 });
  const buffer = new Uint8Array(16);
  q.trySend("kept");
  const wrong = "50" as unknown as number;
  for (
    const [spin, error] of [[-1, RangeError], [1_000_001, RangeError], [1.5, TypeError], [
      Number.NaN,
      TypeError,
    ], [wrong, TypeError]] as const
  ) {
    assert.throws(() => q.tryReceiveInto(buffer, { spin }), error);
    assert.throws(() => q.tryReceive({ spin }), error);
    assert.throws(() => q.trySend("x", { spin }), error);
  }
  assert.throws(() => q.tryReceive(null as unknown as { spin: number }), TypeError);
  assert.throws(() => q.tryReceiveInto(new Uint8Array(4), { spin: 10 }), RangeError);
  assert.equal(q.attributes().currentMessages, 1); // nothing taken or sent by the refused calls
  q.close();
  assert.throws(() => q.tryReceiveInto(buffer, { spin: 10 }), Deno.errors.BadResource);
  assert.throws(() => q.tryReceive({ spin: 10 }), Deno.errors.BadResource);
  assert.throws(() => q.trySend("x", { spin: 10 }), Deno.errors.BadResource);
});
