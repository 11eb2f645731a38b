// Copyright 2026 the @ipc/linux authors. MIT license.
// The Channel ring at its edges: free-running counters past 2^31, and roles taken late.
import assert from "node:assert/strict";
import { Channel } from "../../shm/mod.ts";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { checkMessage, makeMessage } from "../fixtures/shm_messages.ts";

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
