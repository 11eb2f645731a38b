// Copyright 2026 the @ipc/linux authors. MIT license.
// A Channel against a careless or hostile peer process that writes its
// shared memory (tests/fixtures/shm_poker.py, single 32-bit stores): garbled
// frame lengths, wrap marks and counters must give a clear error or read as
// no data, never garbage, a receive that starves the event loop, or a lost
// message once the memory is right again. Also a careless caller: a buffer
// whose length changes under the channel (a resizable ArrayBuffer).
import assert from "node:assert/strict";
import { Channel } from "../../shm/mod.ts";
import { ipcTest, type Scope, spawnDeno, spawnPython } from "../_helpers/mod.ts";

const TAIL = 16, HEAD = 32, RING = 128; // word indices (docs/shm.md)

/** A poker mapped on `name`; `poke(word, value)` stores one 32-bit word from that process. */
async function poker(scope: Scope, name: string) {
  const peer = spawnPython("shm_poker.py", [name]);
  scope.defer(() => peer[Symbol.asyncDispose]());
  assert.equal(await peer.line(), "ready");
  return {
    pid: peer.process.pid,
    async poke(word: number, value: number): Promise<void> {
      await peer.send(`poke ${word} ${value}`);
      assert.equal(await peer.line(), "ok");
    },
    async peek(word: number): Promise<number> {
      await peer.send(`peek ${word}`);
      return Number(await peer.line());
    },
  };
}

/** A channel created here (closed and unlinked with the test) and a poker mapped on it. */
async function pokedChannel(
  scope: Scope,
  label: string,
  options: { multiProducer?: boolean } = {},
) {
  const name = scope.name(label, Channel.unlink);
  const ch = Channel.create(name, { capacity: 4096, ...options });
  scope.defer(() => ch.close());
  return { name, ch, peer: await poker(scope, name) };
}

const corrupt = (err: Error) =>
  err instanceof Deno.errors.InvalidData && /its ring is corrupt/.test(err.message);

/** Every way to receive throws InvalidData now, and a waiting receive rejects without hanging. */
async function assertCorrupt(ch: Channel, what: string): Promise<void> {
  assert.throws(() => ch.tryReceive(), corrupt, what);
  assert.throws(() => ch.tryReceiveInto(new Uint8Array(4096)), corrupt, what);
  assert.throws(() => ch.tryReceiveView(), corrupt, what);
  assert.throws(() => ch.tryReceiveBatch(new Uint8Array(4096), new Uint32Array(8)), corrupt, what);
  await assert.rejects(ch.receive({ signal: AbortSignal.timeout(5000) }), corrupt, what);
  await assert.rejects(ch.receiveInto(new Uint8Array(4096)), corrupt, what);
  await assert.rejects(ch.receiveView(), corrupt, what);
}

ipcTest(
  "channel hostile: a frame length garbled by another process is InvalidData on every receive (none reads past what was published or hangs), and once right no message is lost",
  async (_t, scope) => {
    const { ch, peer } = await pokedChannel(scope, "ch_hostile_len");
    ch.trySend(new Uint8Array([1, 2, 3])); // frame of 8 at ring byte 0
    ch.trySend(new Uint8Array(100).fill(7)); // frame of 104 at ring byte 8: word RING + 2
    ch.trySend(new Uint8Array([9])); // frame of 8 at ring byte 112
    assert.deepEqual(ch.tryReceive(), new Uint8Array([1, 2, 3]));
    // Negative, a wrap mark with no frame after it, over maxMessageSize, over
    // what was published, huge, the most negative.
    for (const garbled of [-8, -1, ch.maxMessageSize + 1, 2000, 0x7ffffff0, -(2 ** 31)]) {
      await peer.poke(RING + 2, garbled);
      await assertCorrupt(ch, `length ${garbled}`);
      assert.equal(await peer.peek(HEAD), 8, `length ${garbled}: the head did not move`);
    }
    await peer.poke(RING + 2, 100);
    assert.deepEqual(ch.tryReceive(), new Uint8Array(100).fill(7));
    assert.deepEqual(ch.tryReceive(), new Uint8Array([9]));
    assert.equal(ch.tryReceive(), undefined);
    assert.equal(ch.stats.messagesReceived, 3);
    assert.equal(ch.stats.bytesReceived, 104);
  },
);

ipcTest(
  "channel hostile: a wrap mark where a frame should be, and a frame running past the ring's end, are InvalidData",
  async (_t, scope) => {
    const { ch, peer } = await pokedChannel(scope, "ch_hostile_wrap");
    const big = new Uint8Array(2000).fill(5); // frame of 2004
    for (let i = 0; i < 2; i++) ch.trySend(big); // ring bytes 0..4008
    assert.equal(ch.tryReceiveInto(new Uint8Array(4096)), 2000);
    assert.equal(ch.tryReceiveInto(new Uint8Array(4096)), 2000);
    ch.trySend(new Uint8Array([1])); // at 4008: fits before the end (frame 8)
    ch.trySend(new Uint8Array(200).fill(6)); // does not fit at 4016: a wrap mark there, frame at 0
    const at = RING + 4008 / 4;
    await peer.poke(at, 90); // a frame of 96 from 4008 would run past the ring's end
    await assertCorrupt(ch, "a frame past the end");
    await peer.poke(at, -1); // a wrap mark at 4008 (skipping 88 bytes) ...
    await peer.poke(RING, 250); // ... to a frame at 0 over what is left of the 300 published
    await assertCorrupt(ch, "an early wrap mark");
    await peer.poke(RING, 200);
    await peer.poke(at, 1);
    assert.deepEqual(ch.tryReceive(), new Uint8Array([1]));
    await peer.poke(RING, -1); // the wrap mark leads to another wrap mark
    await assertCorrupt(ch, "a wrap mark after a wrap mark");
    await peer.poke(RING, 200);
    assert.deepEqual(ch.tryReceive(), new Uint8Array(200).fill(6));
    assert.equal(ch.tryReceive(), undefined);
  },
);

ipcTest(
  "channel hostile: a batch receive takes the whole messages before a garbled frame, then throws InvalidData",
  async (_t, scope) => {
    const { ch, peer } = await pokedChannel(scope, "ch_hostile_batch");
    for (let i = 0; i < 3; i++) ch.trySend(new Uint8Array([i, i])); // frames of 8
    await peer.poke(RING + 4, 5000); // the third one's length
    const buffer = new Uint8Array(64), lengths = new Uint32Array(8);
    assert.equal(ch.tryReceiveBatch(buffer, lengths), 2);
    assert.deepEqual([...buffer.subarray(0, 4)], [0, 0, 1, 1]);
    assert.throws(() => ch.tryReceiveBatch(buffer, lengths), corrupt);
    await peer.poke(RING + 4, 2);
    assert.equal(ch.tryReceiveBatch(buffer, lengths), 1);
    assert.deepEqual([...buffer.subarray(0, 2)], [2, 2]);
  },
);

ipcTest(
  "channel hostile: a tail moved behind the head or past the ring reads as no data (a wait sleeps, the event loop runs), mid-frame is InvalidData, and the true tail delivers every message",
  async (_t, scope) => {
    const { ch, peer } = await pokedChannel(scope, "ch_hostile_tail");
    ch.trySend(new Uint8Array([1]));
    ch.trySend(new Uint8Array(40).fill(4)); // frame of 44 at ring byte 8
    assert.deepEqual(ch.tryReceive(), new Uint8Array([1]));
    assert.deepEqual(ch.tryReceiveView(), new Uint8Array(40).fill(4)); // lent: the head stays at 8
    const tail = await peer.peek(TAIL);
    assert.equal(tail, 52);
    const batch = new Uint8Array(4096), lengths = new Uint32Array(4);
    for (const garbled of [4, -4096, 52 + 4097, 2 ** 31 - 1, 51]) {
      await peer.poke(TAIL, garbled);
      assert.equal(ch.tryReceive(), undefined, `tail ${garbled}`); // hands the view back first
      assert.equal(ch.tryReceiveBatch(batch, lengths), 0, `tail ${garbled}`);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      try {
        await assert.rejects(
          ch.receive({ signal: AbortSignal.timeout(60) }),
          (err: Error) => err.name === "TimeoutError",
          `tail ${garbled}`,
        );
      } finally {
        clearInterval(timer);
      }
      assert.ok(ticks > 0, `tail ${garbled}: the event loop ran during the wait`);
      assert.equal(await peer.peek(HEAD), 52, `tail ${garbled}: the view was handed back, no more`);
    }
    ch.trySend(new Uint8Array(20).fill(8)); // the producer's own tail is right: 52 + 24
    await peer.poke(TAIL, 60); // part of that frame only
    await assertCorrupt(ch, "a tail inside a frame");
    await peer.poke(TAIL, 4); // garbled once more, and cached by a batch receive ...
    assert.equal(ch.tryReceiveBatch(batch, lengths), 0);
    await peer.poke(TAIL, 76); // ... then right: the next batch receive reads it again
    assert.equal(ch.tryReceiveBatch(batch, lengths), 1);
    assert.deepEqual(batch.subarray(0, lengths[0]), new Uint8Array(20).fill(8));
    assert.equal(ch.tryReceive(), undefined);
  },
);

ipcTest(
  "channel hostile: a producers' lock held by a live process that never lets go is Busy after a bounded spin (the thread is not hung for good), and nothing is lost",
  async (_t, scope) => {
    const { ch, peer } = await pokedChannel(scope, "ch_hostile_lock", { multiProducer: true });
    assert.equal(ch.trySend(new Uint8Array([1])), true);
    await peer.poke(84, peer.pid); // the lock word (byte 336): a live process that is no producer
    const busy = (err: Error) =>
      err instanceof Deno.errors.Busy && err.message.includes(`process ${peer.pid}`) &&
      /nothing was sent/.test(err.message);
    const start = performance.now();
    assert.throws(() => ch.trySend(new Uint8Array([2])), busy);
    const took = performance.now() - start;
    assert.ok(took >= 1900 && took < 10_000, `gave up after ${took} ms`);
    await peer.poke(84, 0);
    assert.equal(ch.trySend(new Uint8Array([3])), true);
    assert.deepEqual(ch.tryReceive(), new Uint8Array([1]));
    assert.deepEqual(ch.tryReceive(), new Uint8Array([3]));
    assert.equal(ch.tryReceive(), undefined);
  },
);

ipcTest(
  "channel hostile: a head moved ahead of the tail by another process is no room (a send waits), never room to overwrite unread messages",
  async (_t, scope) => {
    const { ch, peer } = await pokedChannel(scope, "ch_hostile_head");
    const msg = (i: number) => new Uint8Array(1300).fill(i);
    assert.equal(ch.trySend(msg(1)), true);
    assert.equal(ch.trySend(msg(2)), true);
    assert.equal(ch.trySend(msg(3)), true);
    assert.equal(ch.trySend(msg(4)), false); // full: the next try reads the head
    for (const garbled of [3912 + 8, 3912 + 2048, 2 ** 31 - 1]) {
      await peer.poke(HEAD, garbled);
      assert.equal(ch.trySend(msg(4)), false, `head ${garbled}`);
      assert.equal(ch.trySend(msg(4), { spin: 100 }), false, `head ${garbled}`);
      await assert.rejects(
        ch.send(msg(4), { signal: AbortSignal.timeout(50) }),
        (err: Error) => err.name === "TimeoutError",
      );
    }
    await peer.poke(HEAD, 0);
    for (let i = 1; i <= 3; i++) assert.deepEqual(ch.tryReceive(), msg(i));
    assert.equal(ch.trySend(msg(4)), true);
    assert.deepEqual(ch.tryReceive(), msg(4));
    assert.equal(ch.tryReceive(), undefined);
  },
);

ipcTest(
  "channel: a buffer that tracks a resizable ArrayBuffer receives and sends every byte after it grows or shrinks",
  (_t, scope) => {
    const name = scope.name("ch_resizable", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    const rab = new ArrayBuffer(64, { maxByteLength: 4096 });
    const buffer = new Uint8Array(rab); // its length follows the buffer's
    const lengths = new Uint32Array(4);
    const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
    const check = (n: number, v: number) =>
      assert.ok(buffer.subarray(0, n).every((b) => b === v), `${n} bytes of ${v}`);
    assert.equal(ch.trySend(fill(8, 1)), true);
    assert.equal(ch.tryReceiveInto(buffer), 8); // its words are made for 64 bytes
    rab.resize(4096);
    for (const n of [200, 256]) { // copied word by word (up to 256 bytes)
      assert.equal(ch.trySend(fill(n, 7)), true);
      assert.equal(ch.tryReceiveInto(buffer), n);
      check(n, 7);
      assert.equal(ch.trySend(fill(n, 8)), true);
      assert.equal(ch.tryReceiveBatch(buffer, lengths), 1);
      check(n, 8);
    }
    rab.resize(16);
    assert.equal(ch.trySend(fill(12, 3)), true);
    assert.equal(ch.tryReceiveInto(buffer), 12);
    check(12, 3);
    // The sending side: the same array sent again after its buffer grew.
    rab.resize(64);
    buffer.fill(4);
    assert.equal(ch.trySend(buffer), true);
    rab.resize(240);
    buffer.fill(5);
    assert.equal(ch.trySend(buffer), true);
    assert.deepEqual(ch.tryReceive(), fill(64, 4));
    assert.deepEqual(ch.tryReceive(), fill(240, 5));
  },
);

ipcTest(
  "channel hostile: an object of terabytes (sparse, made by a peer) is InvalidData before it is mapped",
  (_t, scope) => {
    const name = scope.name("ch_hostile_huge", Channel.unlink);
    Channel.create(name, { capacity: 4096 }).close();
    Deno.truncateSync(`/dev/shm/${name}`, 2 ** 42); // 4 TiB, no memory used
    assert.throws(
      () => Channel.open(name),
      (err: Error) =>
        err instanceof Deno.errors.InvalidData &&
        err.message.includes(`its size ${2 ** 42} is over the largest channel`),
    );
  },
);

ipcTest(
  "channel: an open racing with another process's create sees the channel or NotFound, never a half-made one (InvalidData)",
  async (_t, scope) => {
    const name = scope.name("ch_creating", (n) => {
      try {
        Channel.unlink(n);
      } catch {
        // gone already
      }
    });
    await using maker = spawnDeno("shm_peer.ts", ["recreate", name, "1500"]);
    const seen = { opened: 0, missing: 0 };
    const end = Date.now() + 1000;
    while (Date.now() < end) {
      try {
        Channel.open(name).close();
        seen.opened++;
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
        seen.missing++;
      }
    }
    assert.match(await maker.line(), /^made \d+$/);
    assert.ok(seen.opened > 0 && seen.missing > 0, JSON.stringify(seen));
  },
);
