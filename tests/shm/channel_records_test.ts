// Copyright 2026 the @ipc/linux authors. MIT license.
// Channels of fixed-size records (recordSize, layout version 2): batches and
// single records between real processes (Deno and a raw Python peer that
// follows the documented layout), the ring's wrap, and bad input.
import assert from "node:assert/strict";
import { libc } from "../../_ffi/libc.ts";
import { Channel, SharedMemory } from "../../shm/mod.ts";
import { ipcTest, spawnDeno, spawnPython } from "../_helpers/mod.ts";
import { dups } from "../uds/_fd_exchange.ts";
import { checkRecord, makeRecord, writeRecord } from "../fixtures/shm_messages.ts";

ipcTest(
  "channel records: 100,000 records from another process, sent in batches and one by one through a 4 KiB ring, received both ways, intact and in order",
  async (_t, scope) => {
    const name = scope.name("ch_rec", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096, recordSize: 64 });
    const count = 100_000;
    await using producer = spawnDeno("shm_peer.ts", ["produce-records", name, String(count), "64"]);
    assert.equal(await producer.line(), "ready");
    const buffer = new Uint8Array(64 * 23); // batches end on the buffer, the ring's end and its wrap
    let i = 0, batches = 0;
    while (i < count) {
      const n = i % 5 === 0 ? 0 : ch.tryReceiveRecords(buffer, { spin: 1000 });
      if (n === 0) {
        const one = i % 2 === 0
          ? await ch.receive({ signal: AbortSignal.timeout(10_000) })
          : (await ch.receiveView({ signal: AbortSignal.timeout(10_000) })).slice();
        checkRecord(one, i++);
        continue;
      }
      if (n > 1) batches++;
      for (let j = 0; j < n; j++) checkRecord(buffer.subarray(j * 64, (j + 1) * 64), i++);
    }
    assert.ok(batches > 0, "several records per call at least once");
    await assert.rejects(ch.receive(), Deno.errors.BrokenPipe);
    assert.equal(await producer.line(), "sent");
    assert.equal((await producer.status()).code, 0);
    assert.equal(ch.stats.messagesReceived, count);
    assert.equal(ch.stats.bytesReceived, count * 64);
  },
);

ipcTest(
  "channel records: another process receives 50,000 records sent in batches (trySendRecords) and one by one",
  async (_t, scope) => {
    const name = scope.name("ch_rec_out", Channel.unlink);
    using ch = Channel.create(name, { capacity: 8192, recordSize: 32 });
    const count = 50_000;
    await using consumer = spawnDeno("shm_peer.ts", ["consume-records", name, String(count), "32"]);
    assert.equal(await consumer.line(), "ready");
    const data = new Uint8Array(32 * 40);
    for (let i = 0; i < count;) {
      if (i % 4 === 0) {
        await ch.send(makeRecord(i++, 32), { signal: AbortSignal.timeout(10_000) });
        continue;
      }
      const n = Math.min(1 + (i % 40), count - i);
      for (let j = 0; j < n; j++) writeRecord(data, j * 32, i + j, 32);
      const sent = ch.trySendRecords(data.subarray(0, n * 32));
      i += sent;
      if (sent === 0) await ch.send(makeRecord(i++, 32), { signal: AbortSignal.timeout(10_000) });
    }
    assert.equal(await consumer.line(), `ok ${count}`);
    assert.equal((await consumer.status()).code, 0);
  },
);

ipcTest(
  "channel records: a raw Python producer that follows the documented layout (v2) is received in batches and singly",
  async (_t, scope) => {
    const name = scope.name("ch_rec_py", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096, recordSize: 128, spin: 0 });
    const count = 3000;
    await using peer = spawnPython("shm_channel_raw.py", ["records-produce", name, String(count)]);
    await peer.expect("ready");
    const buffer = new Uint8Array(128 * 10);
    for (let i = 0; i < count;) {
      const n = ch.tryReceiveRecords(buffer);
      for (let j = 0; j < n; j++) checkRecord(buffer.subarray(j * 128, (j + 1) * 128), i++);
      if (n === 0) checkRecord(await ch.receive({ signal: AbortSignal.timeout(10_000) }), i++);
    }
    await assert.rejects(ch.receive(), Deno.errors.BrokenPipe); // the ended bit it set
    assert.equal(await peer.line(), "sent");
    assert.equal((await peer.status()).code, 0);
  },
);

ipcTest(
  "channel records: a raw Python consumer that follows the documented layout (v2) receives batches sent from Deno",
  async (_t, scope) => {
    const name = scope.name("ch_rec_pyc", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096, recordSize: 64, spin: 0 });
    const count = 3000;
    await using peer = spawnPython("shm_channel_raw.py", ["records-consume", name, String(count)]);
    await peer.expect("ready");
    const data = new Uint8Array(64 * 16);
    for (let i = 0; i < count;) {
      const n = Math.min(16, count - i);
      for (let j = 0; j < n; j++) writeRecord(data, j * 64, i + j, 64);
      const sent = ch.trySendRecords(data, n);
      i += sent;
      if (sent === 0) await ch.send(makeRecord(i++, 64), { signal: AbortSignal.timeout(10_000) });
    }
    assert.equal(await peer.line(), `ok ${count}`);
    assert.equal((await peer.status()).code, 0);
  },
);

ipcTest(
  "channel records: the raw Python peer refuses a channel of length-prefixed messages as one of records",
  async (_t, scope) => {
    const name = scope.name("ch_rec_pyv", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    await using peer = spawnPython("shm_channel_raw.py", ["records-consume", name, "1"]);
    await peer.expect("ready");
    const status = await peer.status();
    assert.notEqual(status.code, 0, "a length-prefixed channel is not one of records");
    assert.equal(ch.recordSize, 0);
  },
);

ipcTest("channel records: a batch across the ring's end is two copies, still in order", () => {
  using ch = Channel.create(`t_rec_wrap_${Deno.pid}`, {
    capacity: 4096,
    recordSize: 64,
    unlinkOnClose: true,
  });
  const data = new Uint8Array(64 * 64);
  for (let j = 0; j < 64; j++) writeRecord(data, j * 64, j, 64);
  assert.equal(ch.trySendRecords(data, 40), 40);
  const out = new Uint8Array(64 * 64);
  assert.equal(ch.tryReceiveRecords(out), 40);
  for (let j = 0; j < 64; j++) writeRecord(data, j * 64, 40 + j, 64);
  assert.equal(ch.trySendRecords(data), 64); // 24 to the end, 40 from the start
  assert.equal(ch.trySendRecords(data, 1), 0); // full
  assert.equal(ch.tryReceiveRecords(out.subarray(0, 64 * 30 + 10)), 30); // whole records only
  for (let j = 0; j < 30; j++) checkRecord(out.subarray(j * 64, (j + 1) * 64), 40 + j);
  // The other receives and the general batch work on records too.
  checkRecord(ch.tryReceive()!, 70);
  checkRecord(ch.tryReceiveView()!, 71);
  ch.releaseView();
  assert.equal(ch.tryReceiveBatch(out, new Uint32Array(0)), 0); // no room for a length: none taken
  assert.throws(() => ch.tryReceiveBatch(out.subarray(0, 63), new Uint32Array(4)), RangeError);
  const lengths = new Uint32Array(8);
  assert.equal(ch.tryReceiveBatch(out, lengths), 8);
  assert.deepEqual([...lengths], new Array(8).fill(64));
  for (let j = 0; j < 8; j++) checkRecord(out.subarray(j * 64, (j + 1) * 64), 72 + j);
  assert.equal(ch.trySendBatch(data, [64, 64]), 2);
  const buf = new Uint8Array(64);
  for (let k = 80; k < 104; k++) {
    assert.equal(ch.tryReceiveInto(buf), 64);
    checkRecord(buf, k);
  }
  checkRecord(ch.tryReceive()!, 40);
  checkRecord(ch.tryReceive()!, 41);
  assert.equal(ch.tryReceive(), undefined);
  assert.deepEqual(ch.stats, {
    messagesSent: 106,
    bytesSent: 106 * 64,
    messagesReceived: 106,
    bytesReceived: 106 * 64,
  });
});

ipcTest("channel records: several producers send records through the lock", (_t, scope) => {
  const name = scope.name("ch_rec_multi", Channel.unlink);
  using a = Channel.create(name, { capacity: 4096, recordSize: 16, multiProducer: true });
  using b = Channel.open(name, { recordSize: 16 });
  assert.equal(a.trySendRecords(new Uint8Array(16 * 3).fill(1)), 3);
  assert.equal(b.trySendRecords(new Uint8Array(16 * 2).fill(2)), 2);
  assert.equal(a.trySend(new Uint8Array(16).fill(3)), true);
  const out = new Uint8Array(16 * 10);
  assert.equal(b.tryReceiveRecords(out), 6);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((j) => out[j * 16]), [1, 1, 1, 2, 2, 3]);
});

ipcTest(
  "channel records: a bad recordSize is a RangeError (TypeError if not an integer) before anything is created",
  (_t, scope) => {
    const name = scope.name("ch_rec_bad", Channel.unlink);
    const cases: [unknown, ErrorConstructor][] = [
      [0, RangeError],
      [-64, RangeError],
      [65, RangeError],
      [12, RangeError],
      [4, RangeError],
      [4096, RangeError], // more than half the capacity: fewer than two slots
      [8192, RangeError],
      [1.5, TypeError], // not an integer: the project's rule
      [NaN, TypeError],
      [Infinity, TypeError],
      ["64", TypeError],
      [null, TypeError],
    ];
    for (const [bad, type] of cases) {
      assert.throws(
        () => Channel.create(name, { capacity: 4096, recordSize: bad as number }),
        (err: Error) => err instanceof type && /recordSize/.test(err.message),
        `recordSize ${String(bad)}`,
      );
      assert.throws(() => Channel.open(name), Deno.errors.NotFound);
    }
    assert.throws(() => Channel.anonymous({ capacity: 4096, recordSize: 96 }), RangeError);
    assert.throws(() => Channel.open(name, { recordSize: 100 }), RangeError); // before the open
    using ok = Channel.create(name, { capacity: 4096, recordSize: 2048 }); // half: two slots
    assert.equal(ok.recordSize, 2048);
  },
);

ipcTest("channel records: an attacher that expects other records is refused", (_t, scope) => {
  const recName = scope.name("ch_rec_expect_r", Channel.unlink);
  const msgName = scope.name("ch_rec_expect_m", Channel.unlink);
  using rec = Channel.create(recName, { capacity: 4096, recordSize: 64 });
  using msg = Channel.create(msgName, { capacity: 4096 });
  assert.throws(
    () => Channel.open(recName, { recordSize: 128 }),
    (err: Error) =>
      err instanceof Deno.errors.InvalidData &&
      /records of 64 bytes, not the records of 128 bytes expected/.test(err.message),
  );
  assert.throws(
    () => Channel.open(msgName, { recordSize: 64 }),
    (err: Error) =>
      err instanceof Deno.errors.InvalidData && /length-prefixed messages/.test(err.message),
  );
  using any = Channel.open(recName);
  assert.equal(any.recordSize, 64);
  using same = Channel.open(recName, { recordSize: 64 });
  assert.equal(same.maxMessageSize, 64);
  assert.equal(msg.recordSize, 0);
  assert.equal(rec.capacity, 4096);
});

ipcTest("channel records: fromFd checks the expected record size", () => {
  using ch = Channel.anonymous({ capacity: 4096, recordSize: 256 });
  const [wrong, right] = dups(ch.fd, 2) as [number, number];
  assert.throws(() => Channel.fromFd(wrong, { recordSize: 64 }), Deno.errors.InvalidData);
  libc().close(wrong); // left open on failure: still ours
  using peer = Channel.fromFd(right, { recordSize: 256 });
  assert.equal(ch.trySendRecords(new Uint8Array(512).fill(5)), 2);
  assert.equal(peer.tryReceiveRecords(new Uint8Array(1024)), 2);
});

ipcTest(
  "channel records: a header whose record size does not tile its capacity is InvalidData, never a crash",
  (_t, scope) => {
    const name = scope.name("ch_rec_hdr", SharedMemory.unlink);
    using shm = SharedMemory.create(name, { size: 512 + 4096 });
    const words = new Int32Array(shm.bytes.buffer, 0, 9);
    words.set([0x4c435049, 2, 512, 4096, 0, 1, 512 + 4096, 0, 0]);
    for (const bad of [96, 3, 4, -64, 4096, 8192, 0x7fffffff]) {
      words[8] = bad;
      assert.throws(
        () => Channel.open(name),
        (err: Error) =>
          err instanceof Deno.errors.InvalidData &&
          new RegExp(`record size ${bad} is not a power of two`).test(err.message),
        `record size ${bad}`,
      );
    }
    words[8] = 64;
    using ch = Channel.open(name);
    assert.equal(ch.recordSize, 64);
  },
);

ipcTest(
  "channel records: a garbled tail or head (a peer's torn counter) never moves the head back nor overwrites unread records",
  (_t, scope) => {
    const name = scope.name("ch_rec_torn", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096, recordSize: 64 });
    using raw = SharedMemory.open(name);
    const tail = new Int32Array(raw.bytes.buffer, 64, 1); // the tail word, byte 64
    const data = new Uint8Array(64 * 6);
    for (let j = 0; j < 6; j++) writeRecord(data, j * 64, j, 64);
    assert.equal(ch.trySendRecords(data, 4), 4);
    const out = new Uint8Array(64 * 4);
    assert.equal(ch.tryReceiveRecords(out), 4); // all it saw: the next call reads the tail
    for (const garbled of [64, 0, 255, -4096, 256 + 4097, 1 << 30]) {
      Atomics.store(tail, 0, garbled);
      assert.equal(ch.tryReceiveRecords(out), 0, `tail ${garbled}`);
    }
    const head = new Int32Array(raw.bytes.buffer, 128, 1); // the head word, byte 128
    assert.equal(ch.trySendRecords(new Uint8Array(64 * 60)), 60); // full: the next send reads the head
    Atomics.store(head, 0, 64 * 64 + 512); // ahead of the tail
    assert.equal(ch.trySendRecords(data.subarray(4 * 64)), 0); // no room it can trust
    Atomics.store(head, 0, 4 * 64); // the true head
    assert.equal(ch.trySendRecords(data.subarray(4 * 64)), 2);
    assert.equal(ch.tryReceiveRecords(new Uint8Array(64 * 60)), 60);
    assert.equal(ch.tryReceiveRecords(out), 2);
    checkRecord(out.subarray(0, 64), 4);
    checkRecord(out.subarray(64, 128), 5);
    assert.equal(ch.stats.messagesReceived, 66);
  },
);

ipcTest("channel records: wrong sizes and calls of the other mode are refused", async () => {
  using rec = Channel.create(`t_rec_args_${Deno.pid}`, {
    capacity: 4096,
    recordSize: 64,
    unlinkOnClose: true,
  });
  using msg = Channel.create(`t_rec_argm_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
  const sizeError = (err: Error) =>
    err instanceof RangeError && /is not of its record size 64/.test(err.message);
  assert.throws(() => rec.trySend(new Uint8Array(63)), sizeError);
  assert.throws(() => rec.trySend(new Uint8Array(65)), sizeError);
  assert.throws(() => rec.trySend(""), sizeError);
  await assert.rejects(rec.send(new Uint8Array(128)), sizeError);
  assert.throws(() => rec.trySendBatch(new Uint8Array(128), [64, 63]), sizeError);
  assert.throws(() => rec.trySendRecords(new Uint8Array(100)), RangeError); // not whole records
  assert.throws(() => rec.trySendRecords(new Uint8Array(128), 3), RangeError);
  assert.throws(() => rec.trySendRecords(new Uint8Array(128), 1.5), TypeError);
  assert.throws(() => rec.trySendRecords(new Uint8Array(128), -1), RangeError);
  assert.throws(() => rec.trySendRecords([] as unknown as Uint8Array), TypeError);
  assert.throws(() => rec.tryReceiveRecords(new Uint8Array(63)), RangeError);
  assert.throws(() => rec.tryReceiveRecords(new Uint8Array(64), { spin: -1 }), RangeError);
  // Every argument is checked in one test on the hot path; its errors stay the clear ones.
  assert.throws(() => rec.trySendRecords(new Uint8Array(128), 2 ** 32 + 1), RangeError);
  assert.throws(() => rec.trySendRecords(new Uint8Array(128), "1" as never), TypeError);
  assert.throws(() => rec.trySendRecords(new Uint8Array(128), NaN), TypeError);
  assert.throws(() => rec.tryReceiveRecords(new Uint8Array(64), { spin: 1.5 }), TypeError);
  assert.throws(() => rec.tryReceiveRecords(new Uint8Array(64), { spin: 1_000_001 }), RangeError);
  assert.throws(() => rec.tryReceiveRecords(new Uint8Array(64), { spin: 2 ** 32 }), RangeError);
  assert.throws(() => rec.tryReceiveRecords(new Uint8Array(64), { spin: "5" as never }), TypeError);
  assert.equal(rec.tryReceiveRecords(new Uint8Array(64), { spin: 0 }), 0);
  assert.equal(rec.trySendRecords(new Uint8Array(128), 0), 0);
  assert.equal(rec.trySendRecords(new Uint8Array(0)), 0);
  assert.equal(rec.stats.messagesSent, 0);
  assert.equal(rec.tryReceiveRecords(new Uint8Array(64)), 0);
  assert.throws(
    () => msg.trySendRecords(new Uint8Array(64)),
    (err: Error) => err instanceof TypeError && /length-prefixed messages/.test(err.message),
  );
  assert.throws(() => msg.tryReceiveRecords(new Uint8Array(64)), TypeError);
  rec.close();
  assert.throws(() => rec.trySendRecords(new Uint8Array(64)), Deno.errors.BadResource);
  assert.throws(() => rec.tryReceiveRecords(new Uint8Array(64)), Deno.errors.BadResource);
});
