// Copyright 2026 the @ipc/linux authors. MIT license.
// Channel's batch and spinning synchronous paths: trySendBatch, tryReceiveBatch,
// tryReceiveInto({ spin }), between real processes.
import assert from "node:assert/strict";
import { Channel } from "../../shm/mod.ts";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { checkMessage, makeMessage } from "../fixtures/shm_messages.ts";

ipcTest(
  "channel batch: 200,000 mixed-size messages sent in batches by another process, received in batches, all intact and in order",
  async (_t, scope) => {
    const name = scope.name("ch_batch", Channel.unlink);
    using ch = Channel.create(name, { capacity: 1 << 14 });
    const count = 200_000;
    await using producer = spawnDeno("shm_peer.ts", ["produce-batch", name, String(count)]);
    assert.equal(await producer.line(), "ready");
    // A buffer that holds a few messages only, so batches end on "does not fit" too.
    const buffer = new Uint8Array(2048);
    const lengths = new Uint32Array(16);
    let i = 0, batches = 0;
    while (i < count) {
      const n = ch.tryReceiveBatch(buffer, lengths, { spin: 1000 });
      if (n === 0) {
        const one = await ch.receive({ signal: AbortSignal.timeout(10_000) });
        checkMessage(one, i++);
        continue;
      }
      batches++;
      let at = 0;
      for (let j = 0; j < n; j++) {
        checkMessage(buffer.subarray(at, at + lengths[j]!), i++);
        at += lengths[j]!;
      }
    }
    assert.ok(batches < count, "several messages per batch at least once");
    await assert.rejects(ch.receive(), Deno.errors.BrokenPipe);
    assert.equal(await producer.line(), "sent");
    assert.equal((await producer.status()).code, 0);
  },
);

ipcTest(
  "channel spin: 20,000 round trips with a process that waits with tryReceiveInto({ spin })",
  async (_t, scope) => {
    const name = scope.name("ch_spin", Channel.unlink);
    using tx = Channel.create(`${name}_a`, { capacity: 1 << 14, unlinkOnClose: true });
    using rx = Channel.create(`${name}_b`, { capacity: 1 << 14, unlinkOnClose: true });
    const count = 20_000;
    await using peer = spawnDeno("shm_peer.ts", ["echo-spin", name, String(count)]);
    assert.equal(await peer.line(), "ready");
    const buf = new Uint8Array(rx.maxMessageSize);
    for (let i = 0; i < count; i++) {
      assert.ok(tx.trySend(makeMessage(i)));
      let n = rx.tryReceiveInto(buf, { spin: 100_000 });
      if (n < 0) n = await rx.receiveInto(buf, { signal: AbortSignal.timeout(10_000) });
      checkMessage(buf.subarray(0, n), i);
    }
    assert.equal(await peer.line(), "done");
    assert.equal((await peer.status()).code, 0);
  },
);

Deno.test("channel batch: bad arguments throw before anything is sent or taken", () => {
  using ch = Channel.create(`t_batch_args_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
  assert.throws(() => ch.trySendBatch(new Uint8Array(4), [2, 3]), RangeError);
  assert.throws(() => ch.trySendBatch(new Uint8Array(4), [-1]), RangeError);
  assert.throws(() => ch.trySendBatch(new Uint8Array(4), [1.5]), RangeError);
  assert.throws(() => ch.trySendBatch(new Uint8Array(4000), [3000]), RangeError);
  assert.throws(() => ch.tryReceiveInto(new Uint8Array(4), { spin: -1 }), RangeError);
  assert.throws(
    () => ch.tryReceiveBatch(new Uint8Array(4), [] as unknown as Uint32Array),
    TypeError,
  );
  assert.equal(ch.trySendBatch(new Uint8Array([1, 2, 3, 4, 5]), [5, 0]), 2);
  // The first message does not fit: RangeError, and it stays.
  assert.throws(() => ch.tryReceiveBatch(new Uint8Array(4), new Uint32Array(4)), RangeError);
  const lengths = new Uint32Array(4);
  assert.equal(ch.tryReceiveBatch(new Uint8Array(8), lengths), 2);
  assert.deepEqual([...lengths.subarray(0, 2)], [5, 0]);
  // A full ring takes the prefix that fits.
  const big = new Uint8Array(1500 * 4);
  assert.equal(ch.trySendBatch(big, [1500, 1500, 1500, 1500]), 2);
});

Deno.test("channel batch: a count that is not an integer in 0..lengths.length, or lengths that are no array, send nothing", () => {
  using ch = Channel.create(`t_batch_count_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
  const data = new Uint8Array([1, 2, 3]);
  const countError = (kind: ErrorConstructor, pattern: RegExp) => (err: Error) =>
    err instanceof kind && pattern.test(err.message);
  assert.throws(
    () => ch.trySendBatch(data, [1, 2], 1.5),
    countError(TypeError, /count must be an integer, got 1.5/),
  );
  assert.throws(() => ch.trySendBatch(data, [1, 2], NaN), countError(TypeError, /count/));
  assert.throws(() => ch.trySendBatch(data, [1, 2], "1" as never), countError(TypeError, /count/));
  assert.throws(
    () => ch.trySendBatch(data, [1, 2], -1),
    countError(RangeError, /count -1 is not an integer in 0..2/),
  );
  assert.throws(
    () => ch.trySendBatch(data, [1, 2], 3),
    countError(RangeError, /count 3 is not an integer in 0..2/),
  );
  assert.throws(() => ch.trySendBatch(data, [1, 2], 2 ** 32), RangeError);
  assert.throws(
    () => ch.trySendBatch(data, null as never),
    countError(TypeError, /lengths must be an array/),
  );
  assert.throws(
    () => ch.trySendBatch(data, "12" as never),
    countError(TypeError, /lengths must be an array/),
  );
  assert.throws(
    () => ch.trySendBatch(data, {} as never),
    countError(TypeError, /lengths must be an array/),
  );
  assert.equal(ch.stats.messagesSent, 0);
  assert.equal(ch.tryReceive(), undefined);
  assert.equal(ch.trySendBatch(data, [1, 2], 1), 1);
  assert.equal(ch.trySendBatch(data, [1, 2], 0), 0);
  assert.deepEqual(ch.tryReceive(), new Uint8Array([1]));
  assert.equal(ch.tryReceive(), undefined);
});
