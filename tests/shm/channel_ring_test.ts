// Copyright 2026 the @ipc/linux authors. MIT license.
// The Channel ring at its edges: free-running counters past 2^31, and roles taken late.
import assert from "node:assert/strict";
import { Channel } from "../../shm/mod.ts";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { checkMessage, makeMessage } from "../fixtures/shm_messages.ts";

ipcTest(
  "channel ring: with multiProducer, a producer idle while over 2 GiB went through still finds a full ring full",
  async (_t, scope) => {
    const name = scope.name("chr_idle", Channel.unlink);
    const capacity = 1 << 20;
    using rx = Channel.create(name, { capacity, multiProducer: true });
    using idle = Channel.open(name);
    assert.ok(idle.trySend(new Uint8Array([1])));
    assert.deepEqual(rx.tryReceive(), new Uint8Array([1]));
    // Another process sends just over 2^31 bytes (the counters' int32 range) while `idle` waits.
    const total = 2 ** 31 + 2 * capacity;
    await using bulk = spawnDeno("shm_bulk.ts", [name, String(total)]);
    let received = 0;
    for (let i = 0; received < total; i++) {
      const view = rx.tryReceiveView() ??
        await rx.receiveView({ signal: AbortSignal.timeout(30_000) });
      assert.equal(new DataView(view.buffer, view.byteOffset).getUint32(0, true), i);
      received += view.length;
    }
    rx.releaseView();
    assert.equal(await bulk.line(), "sent");
    assert.equal((await bulk.status()).code, 0);
    // Now `idle` fills the ring: it must stop when it is full, never overwrite unread messages.
    let sent = 0;
    while (sent <= capacity / 8 && idle.trySend(makeMessage(sent))) sent++;
    assert.ok(sent < capacity / 8, `${sent} messages fit a ring of ${capacity} bytes`);
    for (let i = 0; i < sent; i++) checkMessage(rx.tryReceive()!, i);
    assert.equal(rx.tryReceive(), undefined);
  },
);

ipcTest(
  "channel ring: a consumer holding a view that then sends for the first time does not get the message again",
  async (_t, scope) => {
    const name = scope.name("chr_vsend", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    // Another process sends messages 0..2, then closes (giving the producer role back).
    await using producer = spawnDeno("shm_peer.ts", ["produce", name, "3", "keep"]);
    assert.equal(await producer.line(), "ready");
    assert.equal(await producer.line(), "sent");
    assert.equal((await producer.status()).code, 0);
    checkMessage(ch.tryReceiveView()!, 0);
    assert.ok(ch.trySend(makeMessage(3))); // this handle becomes the producer
    for (let i = 1; i < 4; i++) checkMessage(ch.tryReceive()!, i);
    assert.equal(ch.tryReceive(), undefined);
  },
);
