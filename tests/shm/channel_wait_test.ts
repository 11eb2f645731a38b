// Copyright 2026 the @ipc/linux authors. MIT license.
// Channel waits that end early (abort, close) settle only once the shared futex call returned.
import assert from "node:assert/strict";
import { Channel } from "../../shm/mod.ts";
import { futexCallPending, pendingFutexWaits } from "../../_ffi/futex.ts";
import { ipcTest, spawnDeno, spawnPython } from "../_helpers/mod.ts";
import { checkMessage } from "../fixtures/shm_messages.ts";

ipcTest(
  "channel wait: an aborted receive or send rejects only after the shared futex call returned",
  async (_t, scope) => {
    const name = scope.name("chw_abort", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    await assert.rejects(
      ch.receive({ signal: AbortSignal.timeout(30) }),
      (err: Error) => err.name === "TimeoutError",
    );
    assert.equal(futexCallPending(), false, "a native call outlived the aborted receive");
    while (ch.trySend(new Uint8Array(100)));
    await assert.rejects(
      ch.send(new Uint8Array(100), { signal: AbortSignal.timeout(30) }),
      (err: Error) => err.name === "TimeoutError",
    );
    assert.equal(futexCallPending(), false, "a native call outlived the aborted send");
    assert.equal(pendingFutexWaits(), 0);
  },
);

ipcTest(
  "channel wait: close rejects a sleeping receive only after the shared futex call returned",
  async (_t, scope) => {
    const name = scope.name("chw_close", Channel.unlink);
    const ch = Channel.create(name, { capacity: 4096 });
    const pending = ch.receive();
    await new Promise((r) => setTimeout(r, 30));
    ch.close();
    await assert.rejects(pending, Deno.errors.BadResource);
    assert.equal(futexCallPending(), false, "a native call outlived the closed receive");
  },
);

/**
 * A publication racing with the consumer's sleep (its flag load ran before
 * the consumer's flag was visible, its store became visible only after the
 * consumer's re-check) wakes nobody. A raw Python peer publishes that way on
 * purpose, just after the flag rose: the first sleep of a wait is short, so
 * the receive still completes long before the 200 ms sleep slices end. An
 * attempt where the peer was descheduled and published late (outside the
 * race window a real publication has) proves nothing and is repeated.
 */
ipcTest(
  "channel wait: a publication that missed the WAITING flag is received within the first short sleep",
  async (_t, scope) => {
    for (let attempt = 0;; attempt++) {
      const name = scope.name("chw_race", Channel.unlink);
      using ch = Channel.create(name, { capacity: 4096, spin: 0 });
      await using peer = spawnPython("shm_channel_raw.py", ["publish-silently", name]);
      await peer.expect("ready");
      const got = await ch.receive({ signal: AbortSignal.timeout(150) }).catch((err) => err);
      const report = await peer.line();
      if (report.endsWith("late") && attempt < 5) continue;
      assert.ok(got instanceof Uint8Array, `receive failed: ${got}`);
      assert.equal(new TextDecoder().decode(got), "raced");
      assert.equal(ch.tryReceive(), undefined);
      return;
    }
  },
);

ipcTest(
  "channel wait: room freed without a wake-up lets a waiting send through within the first short sleep",
  async (_t, scope) => {
    for (let attempt = 0;; attempt++) {
      const name = scope.name("chw_race_room", Channel.unlink);
      using ch = Channel.create(name, { capacity: 4096, spin: 0 });
      while (ch.trySend(new Uint8Array(1000)));
      await using peer = spawnPython("shm_channel_raw.py", ["free-silently", name]);
      await peer.expect("ready");
      const sent = await ch.send(new Uint8Array(1000), { signal: AbortSignal.timeout(150) })
        .then(() => true, (err) => err);
      const report = await peer.line();
      if (report.endsWith("late") && attempt < 5) continue;
      assert.equal(sent, true, `send failed: ${sent}`);
      assert.equal(ch.stats.messagesSent, 5);
      return;
    }
  },
);

ipcTest(
  "channel wait: spinning trySend and tryReceiveInto on both sides of a 4 KiB ring carry 100,000 checked messages",
  async (_t, scope) => {
    // Mixed sizes up to 608 bytes in a 4 KiB ring: the ring is full and
    // wraps around all the time, and frames are split at its end.
    const name = scope.name("chw_spin", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    const count = 100_000;
    await using producer = spawnDeno("shm_peer.ts", ["produce-spin", name, String(count)]);
    assert.equal(await producer.line(), "ready");
    const buf = new Uint8Array(ch.maxMessageSize);
    const spin = { spin: 100_000 };
    for (let i = 0; i < count; i++) {
      let n = ch.tryReceiveInto(buf, spin);
      if (n < 0) n = await ch.receiveInto(buf, { signal: AbortSignal.timeout(10_000) });
      checkMessage(buf.subarray(0, n), i);
    }
    await assert.rejects(ch.receive(), Deno.errors.BrokenPipe);
    assert.equal(await producer.line(), "sent");
    assert.equal((await producer.status()).code, 0);
  },
);

ipcTest(
  "channel wait: trySend({ spin }) gives up on a full ring whose consumer died, and send says 'peer gone'",
  async (_t, scope) => {
    const name = scope.name("chw_spin_dead", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    await using consumer = spawnDeno("shm_peer.ts", ["sleepy-consumer", name]);
    assert.equal(await consumer.line(), "ready");
    while (ch.trySend(new Uint8Array(100)));
    consumer.kill("SIGKILL");
    await consumer.status();
    assert.equal(ch.trySend(new Uint8Array(100), { spin: 2000 }), false);
    await assert.rejects(
      ch.send(new Uint8Array(100), { signal: AbortSignal.timeout(10_000) }),
      (err) =>
        err instanceof Deno.errors.ConnectionReset && /consumer pid \d+ exited/.test(err.message),
    );
  },
);

ipcTest("channel wait: a bad spin of trySend is refused before anything is sent", (_t, scope) => {
  const name = scope.name("chw_spin_bad", Channel.unlink);
  using ch = Channel.create(name, { capacity: 4096 });
  assert.throws(() => ch.trySend(new Uint8Array(1), { spin: -1 }), RangeError);
  assert.throws(() => ch.trySend(new Uint8Array(1), { spin: 1.5 }), TypeError);
  assert.throws(() => ch.trySend(new Uint8Array(1), { spin: "5" as never }), TypeError);
  assert.equal(ch.stats.messagesSent, 0);
  assert.equal(ch.tryReceive(), undefined);
  assert.equal(ch.trySend(new Uint8Array([9]), { spin: 10 }), true);
  assert.deepEqual(ch.tryReceive(), new Uint8Array([9]));
});
