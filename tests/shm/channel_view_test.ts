// Copyright 2026 the @ipc/linux authors. MIT license.
// Zero-copy receive (tryReceiveView / receiveView / releaseView) between real processes.
import assert from "node:assert/strict";
import { Channel } from "../../shm/mod.ts";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { checkMessage, makeMessage } from "../fixtures/shm_messages.ts";

ipcTest(
  "channel view: 300,000 mixed-size messages from another process read in place, none lost, duplicated or corrupted",
  async (_t, scope) => {
    const name = scope.name("chv_many", Channel.unlink);
    using ch = Channel.create(name, { capacity: 1 << 14 });
    const count = 300_000;
    await using producer = spawnDeno("shm_peer.ts", ["produce", name, String(count)]);
    assert.equal(await producer.line(), "ready");
    for (let i = 0; i < count; i++) {
      const view = ch.tryReceiveView() ??
        await ch.receiveView({ signal: AbortSignal.timeout(10_000) });
      checkMessage(view, i);
    }
    await assert.rejects(ch.receiveView(), Deno.errors.BrokenPipe);
    assert.equal(await producer.line(), "sent");
    assert.equal((await producer.status()).code, 0);
  },
);

ipcTest(
  "channel view: a lent message is never overwritten by a producer process waiting for room",
  async (_t, scope) => {
    const name = scope.name("chv_lent", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    const count = 2000;
    await using producer = spawnDeno("shm_peer.ts", ["produce", name, String(count)]);
    assert.equal(await producer.line(), "ready");
    const first = await ch.receiveView({ signal: AbortSignal.timeout(10_000) });
    const copy = first.slice();
    // The producer fills the 4 KiB ring and waits; the lent message stays intact.
    await new Promise((r) => setTimeout(r, 100));
    checkMessage(first, 0);
    assert.deepEqual(first, copy);
    for (let i = 1; i < count; i++) {
      checkMessage(await ch.receiveView({ signal: AbortSignal.timeout(10_000) }), i);
    }
    ch.releaseView();
    ch.releaseView(); // nothing lent: no effect
    await assert.rejects(ch.receiveView(), Deno.errors.BrokenPipe);
    assert.equal(await producer.line(), "sent");
  },
);

ipcTest(
  "channel view: producer killed mid-stream: views of every complete message, then 'peer gone'",
  async (_t, scope) => {
    const name = scope.name("chv_kill", Channel.unlink);
    using ch = Channel.create(name, { capacity: 1 << 16 });
    await using producer = spawnDeno("shm_peer.ts", ["flood", name]);
    assert.equal(await producer.line(), "ready");
    let i = 0;
    for (; i < 5000; i++) checkMessage(await ch.receiveView(), i);
    const held = ch.tryReceiveView() ?? await ch.receiveView();
    checkMessage(held, i++);
    producer.kill("SIGKILL");
    await producer.status();
    // A view held across the producer's death stays readable and intact.
    checkMessage(held, i - 1);
    const err = await (async () => {
      try {
        for (;; i++) {
          checkMessage(await ch.receiveView({ signal: AbortSignal.timeout(5000) }), i);
        }
      } catch (err) {
        return err as Error;
      }
    })();
    assert.ok(err instanceof Deno.errors.ConnectionReset, String(err));
    assert.match(err.message, /peer gone \(producer pid \d+ exited\)/);
  },
);

ipcTest(
  "channel view: a consumer process killed while holding a view did not consume it",
  async (_t, scope) => {
    const name = scope.name("chv_ckill", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    await using consumer = spawnDeno("shm_peer.ts", ["view-hold", name, "3"]);
    // Messages 0..4 from here; the peer reads 0, 1, 2 in place and dies holding 2.
    for (let i = 0; i < 5; i++) await ch.send(makeMessage(i));
    assert.equal(await consumer.line(), "holding 2");
    consumer.kill("SIGKILL");
    await consumer.status();
    // This process takes over the consumer role and gets message 2 again.
    for (let i = 2; i < 5; i++) checkMessage(await ch.receiveView(), i);
    assert.equal(ch.tryReceiveView(), undefined);
  },
);

ipcTest(
  "channel view: close empties held views and rejects a pending receiveView",
  async (_t, scope) => {
    const name = scope.name("chv_close", Channel.unlink);
    const tx = Channel.create(name, { capacity: 4096 });
    await using consumer = spawnDeno("shm_peer.ts", ["consume", name, "1"]);
    assert.equal(await consumer.line(), "ready");
    await tx.send(makeMessage(0));
    assert.match(await consumer.line(), /^ok 1 \d+$/);
    assert.equal((await consumer.status()).code, 0); // gone: its consumer role is free
    tx.close();

    using rx = Channel.open(name);
    using producer = Channel.open(name);
    producer.trySend(new Uint8Array([1, 2, 3]));
    const view = rx.tryReceiveView()!;
    assert.deepEqual([...view], [1, 2, 3]);
    const pending = rx.receiveView();
    rx.close();
    assert.equal(view.length, 0);
    assert.equal(view[0], undefined);
    await assert.rejects(pending, Deno.errors.BadResource);
    assert.throws(() => rx.tryReceiveView(), Deno.errors.BadResource);
    await assert.rejects(rx.receiveView(), Deno.errors.BadResource);
    rx.releaseView(); // after close: no effect, no throw
  },
);

ipcTest("channel view: views and copies interleave in order", (_t, scope) => {
  const name = scope.name("chv_mix", Channel.unlink);
  using ch = Channel.create(name, { capacity: 4096 });
  for (let i = 0; i < 6; i++) ch.trySend(new Uint8Array(500).fill(i)); // wraps the ring
  const buf = new Uint8Array(600);
  for (let round = 0; round < 50; round++) {
    const base = round * 6;
    assert.equal(ch.tryReceiveView()![0], base % 256);
    assert.equal(ch.tryReceive()![0], (base + 1) % 256);
    assert.equal(ch.tryReceiveView()![499], (base + 2) % 256);
    assert.equal(ch.tryReceiveInto(buf), 500);
    assert.equal(buf[0], (base + 3) % 256);
    const v = ch.tryReceiveView()!;
    assert.equal(v[0], (base + 4) % 256);
    ch.releaseView();
    assert.equal(ch.tryReceiveView()![0], (base + 5) % 256);
    assert.equal(ch.tryReceiveView(), undefined);
    for (let i = 0; i < 6; i++) assert.ok(ch.trySend(new Uint8Array(500).fill(base + 6 + i)));
  }
});

ipcTest(
  "channel view: a consumer process that closes while holding a view has consumed it",
  async (_t, scope) => {
    const name = scope.name("chv_cclose", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    await using consumer = spawnDeno("shm_peer.ts", ["view-hold", name, "3"]);
    for (let i = 0; i < 5; i++) await ch.send(makeMessage(i));
    assert.equal(await consumer.line(), "holding 2");
    await consumer.closeStdin(); // the peer closes its channel (still holding message 2), then exits
    assert.equal((await consumer.status()).code, 0);
    // Close handed message 2's space back: this process goes on with message 3.
    for (let i = 3; i < 5; i++) checkMessage(await ch.receiveView(), i);
    assert.equal(ch.tryReceiveView(), undefined);
  },
);
