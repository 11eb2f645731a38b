// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { Channel, SharedMemory } from "../../shm/mod.ts";
import { ipcTest, spawnDeno, spawnPython } from "../_helpers/mod.ts";
import { checkMessage, makeMessage, payloadLength } from "../fixtures/shm_messages.ts";

ipcTest(
  "channel: 1,000,000 mixed-size messages from another process, none lost, duplicated or corrupted",
  async (_t, scope) => {
    const name = scope.name("ch_million", Channel.unlink);
    using ch = Channel.create(name, { capacity: 1 << 16 });
    const count = 1_000_000;
    await using producer = spawnDeno("shm_peer.ts", ["produce", name, String(count)]);
    assert.equal(await producer.line(), "ready");
    const buf = new Uint8Array(ch.maxMessageSize);
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      let n = ch.tryReceiveInto(buf);
      if (n < 0) n = await ch.receiveInto(buf, { signal: AbortSignal.timeout(10_000) });
      checkMessage(buf.subarray(0, n), i);
      bytes += n;
    }
    assert.ok(bytes > count * 8);
    // The producer ended the stream: nothing more, and iteration stops.
    await assert.rejects(ch.receive(), Deno.errors.BrokenPipe);
    for await (const _ of ch) assert.fail("no message after end()");
    assert.equal(await producer.line(), "sent");
    assert.equal((await producer.status()).code, 0);
  },
);

ipcTest(
  "channel: a Deno consumer process checks 200,000 messages sent from here",
  async (_t, scope) => {
    const name = scope.name("ch_out", Channel.unlink);
    using ch = Channel.create(name, { capacity: 1 << 14 });
    const count = 200_000;
    await using consumer = spawnDeno("shm_peer.ts", ["consume", name, String(count)]);
    assert.equal(await consumer.line(), "ready");
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const msg = makeMessage(i);
      bytes += msg.length;
      if (!ch.trySend(msg)) await ch.send(msg, { signal: AbortSignal.timeout(10_000) });
    }
    assert.equal(await consumer.line(), `ok ${count} ${bytes}`);
    assert.equal((await consumer.status()).code, 0);
  },
);

ipcTest(
  "channel: producer killed mid-stream: every complete message, then 'peer gone'",
  async (_t, scope) => {
    const name = scope.name("ch_kill", Channel.unlink);
    using ch = Channel.create(name, { capacity: 1 << 16 });
    await using producer = spawnDeno("shm_peer.ts", ["flood", name]);
    assert.equal(await producer.line(), "ready");
    let i = 0;
    const buf = new Uint8Array(ch.maxMessageSize);
    for (; i < 5000; i++) checkMessage(buf.subarray(0, await ch.receiveInto(buf)), i);
    producer.kill("SIGKILL");
    await producer.status();
    // What is left in the ring is intact and in order; then a clear error, not a hang.
    const err = await (async () => {
      try {
        for (;; i++) {
          const n = await ch.receiveInto(buf, { signal: AbortSignal.timeout(5000) });
          checkMessage(buf.subarray(0, n), i);
        }
      } catch (err) {
        return err as Error;
      }
    })();
    assert.ok(err instanceof Deno.errors.ConnectionReset, String(err));
    assert.match(err.message, /peer gone \(producer pid \d+ exited\)/);
    assert.ok(i >= 5000);
  },
);

ipcTest(
  "channel: a full ring whose consumer died fails the send with 'peer gone'",
  async (_t, scope) => {
    const name = scope.name("ch_cdead", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    await using consumer = spawnDeno("shm_peer.ts", ["sleepy-consumer", name]);
    assert.equal(await consumer.line(), "ready");
    while (ch.trySend(new Uint8Array(100)));
    const pending = ch.send(new Uint8Array(100), { signal: AbortSignal.timeout(10_000) });
    consumer.kill("SIGKILL");
    await consumer.status();
    await assert.rejects(pending, (err: Error) => {
      assert.ok(err instanceof Deno.errors.ConnectionReset);
      assert.match(err.message, /consumer pid \d+ exited/);
      return true;
    });
  },
);

ipcTest(
  "channel: a second live producer or consumer is refused (Busy); a dead one is taken over",
  async (_t, scope) => {
    const name = scope.name("ch_roles", Channel.unlink);
    using a = Channel.create(name, { capacity: 4096 });
    using b = Channel.open(name);
    assert.equal(a.trySend(new Uint8Array([1])), true);
    assert.throws(() => b.trySend(new Uint8Array([2])), Deno.errors.Busy);
    assert.deepEqual(b.tryReceive(), new Uint8Array([1]));
    assert.throws(() => a.tryReceive(), Deno.errors.Busy);
    // Closing releases the role.
    a.close();
    assert.equal(b.trySend(new Uint8Array([3])), true);
    assert.deepEqual(b.tryReceive(), new Uint8Array([3]));
    // A consumer that died is taken over.
    await using dead = spawnDeno("shm_peer.ts", ["sleepy-consumer", name]);
    b.close();
    assert.equal(await dead.line(), "ready");
    dead.kill("SIGKILL");
    await dead.status();
    using c = Channel.open(name);
    assert.equal(c.tryReceive(), undefined);
  },
);

ipcTest(
  "channel: multiProducer lets two processes and this one send concurrently",
  async (_t, scope) => {
    const name = scope.name("ch_multi", Channel.unlink);
    using rx = Channel.create(name, { capacity: 1 << 14, multiProducer: true });
    using tx = Channel.open(name);
    const count = 20_000;
    // Two producer processes with the same message numbers; each message is checked for integrity.
    await using p1 = spawnDeno("shm_peer.ts", ["produce", name, String(count), "keep"]);
    await using p2 = spawnDeno("shm_peer.ts", ["produce", name, String(count), "keep"]);
    await tx.send(makeMessage(0));
    const seen = new Map<number, number>();
    const buf = new Uint8Array(rx.maxMessageSize);
    for (let k = 0; k < 2 * count + 1; k++) {
      const n = await rx.receiveInto(buf, { signal: AbortSignal.timeout(20_000) });
      const index = new DataView(buf.buffer).getUint32(0, true);
      checkMessage(buf.subarray(0, n), index);
      seen.set(index, (seen.get(index) ?? 0) + 1);
    }
    for (let i = 0; i < count; i++) assert.equal(seen.get(i), i === 0 ? 3 : 2, `message ${i}`);
    assert.equal((await p1.status()).code, 0);
    assert.equal((await p2.status()).code, 0);
  },
);

ipcTest("channel: messages that wrap around the ring end stay intact", () => {
  using ch = Channel.create(`ch_wrap_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
  const buf = new Uint8Array(ch.maxMessageSize);
  for (let i = 0; i < 5000; i++) {
    const msg = makeMessage(i);
    assert.equal(ch.trySend(msg), true);
    if (i % 3 === 0) assert.equal(ch.trySend(makeMessage(i + 1)), true);
    const n = ch.tryReceiveInto(buf);
    checkMessage(buf.subarray(0, n), i);
    if (i % 3 === 0) checkMessage(ch.tryReceive()!, ++i);
  }
  // The largest message fits an empty ring wherever its head is.
  const big = new Uint8Array(ch.maxMessageSize).fill(9);
  for (let k = 0; k < 5; k++) {
    assert.equal(ch.trySend(new Uint8Array(k * 300 + 1)), true);
    ch.tryReceive();
    assert.equal(ch.trySend(big), true);
    assert.deepEqual(ch.tryReceive(), big);
  }
  assert.ok(payloadLength(1) >= 0);
});

ipcTest("channel: bad input is refused before touching memory", async (_t, scope) => {
  const name = scope.name("ch_bad", Channel.unlink);
  assert.throws(() => Channel.create(name, { capacity: 1000 }), RangeError);
  assert.throws(() => Channel.create(name, { capacity: 1 << 31 }), RangeError);
  assert.throws(() => Channel.create(name, { spin: -1 }), RangeError);
  assert.throws(() => Channel.create(name, { spin: 1.5 }), TypeError);
  assert.throws(() => Channel.create(name, { mode: 0o1000 }), RangeError);
  assert.throws(() => Channel.create(name, { mode: "600" as never }), TypeError);
  assert.throws(() => Channel.create("a/b"), TypeError);
  assert.throws(() => Channel.open(name), Deno.errors.NotFound);
  using ch = Channel.create(name, { capacity: 4096 });
  assert.throws(() => Channel.create(name), Deno.errors.AlreadyExists);
  assert.throws(() => ch.trySend(7 as unknown as Uint8Array), TypeError);
  assert.throws(() => ch.trySend(new Uint8Array(ch.maxMessageSize + 1)), RangeError);
  await assert.rejects(ch.send(new Uint8Array(5000)), RangeError);
  assert.equal(ch.trySend(new Uint8Array(100)), true);
  assert.throws(() => ch.tryReceiveInto(new Uint8Array(10)), RangeError);
  assert.equal(ch.tryReceiveInto(new Uint8Array(100)), 100); // still there after the RangeError
  const aborted = AbortSignal.abort(new Error("stop"));
  await assert.rejects(ch.receive({ signal: aborted }), /stop/);
  ch.close();
  ch.close(); // idempotent
  assert.equal(ch.closed, true);
  assert.throws(() => ch.trySend(new Uint8Array(1)), Deno.errors.BadResource);
  assert.throws(() => ch.tryReceive(), Deno.errors.BadResource);
  await assert.rejects(ch.receive(), Deno.errors.BadResource);
});

ipcTest("channel: attaching checks magic, version and size", (_t, scope) => {
  const name = scope.name("ch_hdr", SharedMemory.unlink);
  using shm = SharedMemory.create(name, { size: 512 + 4096 });
  assert.throws(() => Channel.open(name), /not a channel \(bad magic\)/);
  const words = new Int32Array(shm.bytes.buffer, 0, 9);
  words.set([0x4c435049, 1, 512, 4096, 0, 1, 512 + 4096, 0, 0]);
  assert.throws(() => Channel.open(name), /layout version 1 is not the supported 2/);
  words[1] = 3;
  assert.throws(() => Channel.open(name), /layout version 3 is not the supported 2/);
  words[1] = 2;
  words[3] = 8192;
  assert.throws(() => Channel.open(name), Deno.errors.InvalidData);
  words[3] = 4096;
  using ch = Channel.open(name);
  assert.equal(ch.capacity, 4096);
});

ipcTest("channel: close wakes a pending receive with BadResource", async (_t, scope) => {
  const name = scope.name("ch_close", Channel.unlink);
  const ch = Channel.create(name, { capacity: 4096 });
  const pending = ch.receive();
  setTimeout(() => ch.close(), 20);
  await assert.rejects(pending, Deno.errors.BadResource);
});

ipcTest(
  "channel: an aborted queued receive rejects at once and keeps the order for the rest",
  async (_t, scope) => {
    const name = scope.name("ch_queue", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    const first = ch.receive();
    const controller = new AbortController();
    const second = ch.receive({ signal: controller.signal });
    const third = ch.receive();
    controller.abort(new Error("not needed"));
    await assert.rejects(second, /not needed/);
    ch.trySend(new Uint8Array([1]));
    ch.trySend(new Uint8Array([2]));
    assert.deepEqual(await first, new Uint8Array([1]));
    assert.deepEqual(await third, new Uint8Array([2]));
  },
);

ipcTest("channel: close rejects queued receives and sends with BadResource", async (_t, scope) => {
  const name = scope.name("ch_close_q", Channel.unlink);
  const ch = Channel.create(name, { capacity: 4096 });
  const receives = [ch.receive(), ch.receive(), ch.receiveInto(new Uint8Array(10))];
  await new Promise((r) => setTimeout(r, 10));
  ch.close();
  for (const r of receives) await assert.rejects(r, Deno.errors.BadResource);
  const tx = Channel.create(`${name}_tx`, { capacity: 4096, unlinkOnClose: true });
  while (tx.trySend(new Uint8Array(500)));
  const sends = [tx.send(new Uint8Array(500)), tx.send(new Uint8Array(500))];
  await new Promise((r) => setTimeout(r, 10));
  tx.close();
  for (const s of sends) await assert.rejects(s, Deno.errors.BadResource);
});

ipcTest(
  "channel: a send waiting for room when end() is called rejects with BrokenPipe, never writes after the end",
  async (_t, scope) => {
    const name = scope.name("ch_end_wait", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    let sent = 0;
    while (ch.trySend(new Uint8Array(100))) sent++;
    const pending = ch.send(new Uint8Array(100));
    await new Promise((r) => setTimeout(r, 20)); // asleep, waiting for room
    ch.end();
    // The consumer reads the stream to its end...
    for (let i = 0; i < sent; i++) assert.equal(ch.tryReceive()?.length, 100);
    await assert.rejects(ch.receive(), Deno.errors.BrokenPipe);
    // ...so the waiting send must not succeed by writing behind the end.
    await assert.rejects(pending, Deno.errors.BrokenPipe);
    assert.equal(ch.tryReceive(), undefined);
  },
);

ipcTest(
  "channel: with multiProducer, once another process called end(), sends here fail with BrokenPipe",
  async (_t, scope) => {
    const name = scope.name("ch_multi_end", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096, multiProducer: true });
    assert.ok(ch.trySend(makeMessage(0)));
    await using other = spawnDeno("shm_peer.ts", ["produce", name, "1"]); // one message, then end()
    assert.equal(await other.line(), "ready");
    assert.equal(await other.line(), "sent");
    assert.throws(() => ch.trySend(makeMessage(1)), Deno.errors.BrokenPipe);
    await assert.rejects(ch.send(makeMessage(1)), Deno.errors.BrokenPipe);
    checkMessage(ch.tryReceive()!, 0);
    checkMessage(ch.tryReceive()!, 0);
    await assert.rejects(ch.receive(), Deno.errors.BrokenPipe);
  },
);

ipcTest("channel: end() is idempotent, and refused once the handle is closed", (_t, scope) => {
  const name = scope.name("ch_end2", Channel.unlink);
  const ch = Channel.create(name, { capacity: 4096 });
  assert.ok(ch.trySend(new Uint8Array([1])));
  ch.end();
  ch.end(); // a second end (e.g. from a finally block) does nothing
  assert.throws(() => ch.trySend(new Uint8Array([2])), Deno.errors.BrokenPipe);
  assert.deepEqual(ch.tryReceive(), new Uint8Array([1]));
  ch.close();
  assert.throws(() => ch.end(), Deno.errors.BadResource);
});

ipcTest(
  "channel: a producer that exited but was never reaped (a zombie) counts as gone",
  async (_t, scope) => {
    const name = scope.name("ch_zombie", Channel.unlink);
    using ch = Channel.create(name, { capacity: 1 << 16 });
    // The producer sends 3 messages and exits without end(); its parent
    // (Python) does not wait for it, so it stays a zombie meanwhile.
    const fixture = new URL("../fixtures/shm_peer.ts", import.meta.url).pathname;
    await using parent = spawnPython("no_reap.py", [
      Deno.execPath(),
      "run",
      "-A",
      fixture,
      "produce",
      name,
      "3",
      "keep",
    ]);
    const pid = Number((await parent.line()).split(" ")[1]);
    const buf = new Uint8Array(ch.maxMessageSize);
    for (let i = 0; i < 3; i++) checkMessage(buf.subarray(0, await ch.receiveInto(buf)), i);
    while (!(await Deno.readTextFile(`/proc/${pid}/stat`)).includes(") Z")) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await assert.rejects(
      ch.receiveInto(buf, { signal: AbortSignal.timeout(5000) }),
      (err) => err instanceof Deno.errors.ConnectionReset && /peer gone/.test(err.message),
    );
    await parent.closeStdin();
    assert.equal((await parent.status()).code, 0);
  },
);

ipcTest(
  "channel: unlinkOnClose leaves alone a new channel another process created under the name",
  async (_t, scope) => {
    const name = scope.name("ch_reuse", Channel.unlink);
    const mine = Channel.create(name, { capacity: 4096, unlinkOnClose: true });
    const code = `import { Channel } from ${
      JSON.stringify(new URL("../../shm/mod.ts", import.meta.url).href)
    };
Channel.unlink(${JSON.stringify(name)});
Channel.create(${JSON.stringify(name)}, { capacity: 8192 }).close();`;
    const out = await new Deno.Command(Deno.execPath(), { args: ["eval", code] }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    mine.close();
    using theirs = Channel.open(name); // still there: not ours to unlink
    assert.equal(theirs.capacity, 8192);
  },
);

ipcTest("channel: send and trySend take a string as UTF-8, like mq and uds", async (_t, scope) => {
  const name = scope.name("ch_text", Channel.unlink);
  using ch = Channel.create(name, { capacity: 4096 });
  assert.equal(ch.trySend("héllo"), true);
  await ch.send("wörld");
  const text = new TextDecoder();
  assert.equal(text.decode(ch.tryReceive()), "héllo");
  assert.equal(text.decode(await ch.receive()), "wörld");
  assert.throws(() => ch.trySend(42 as unknown as string), TypeError);
});
