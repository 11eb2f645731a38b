// Copyright 2026 the @ipc/linux authors. MIT license.
// Message queues against a careless or hostile caller and peer: bytes whose
// `length` lies, a receive buffer taken away (detached) while a receive
// waits for another process's message, and queues made first by another uid.
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { ipcTest, spawnDeno, spawnPython, spawnPythonAsNobody } from "../_helpers/mod.ts";
import { decodeMessage } from "../fixtures/mq_payload.ts";
import { backend, libc } from "../../_ffi/mod.ts";
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE } from "../../_ffi/constants.ts";
import { queueName } from "./_queues.ts";

const SIZE = 4096;

/** A 4-byte Uint8Array whose own `length` property claims `claimed` bytes. */
function lyingBytes(claimed: number): Uint8Array {
  const bytes = new Uint8Array([1, 2, 3, 4]);
  Object.defineProperty(bytes, "length", { value: claimed });
  return bytes;
}

/** A Uint8Array subclass whose `length` getter claims `claimed` bytes. */
class Boastful extends Uint8Array {
  claimed = 0;
  override get length(): number {
    return this.claimed;
  }
}

ipcTest(
  "mq hostile: a message whose length property lies sends only its real bytes (no memory leaks out)",
  async (_t, scope) => {
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: SIZE });
    await q.send(lyingBytes(SIZE));
    assert.equal(q.trySend(lyingBytes(3000)), true);
    const boastful = new Boastful([5, 6]);
    boastful.claimed = SIZE;
    await q.send(boastful);
    assert.deepEqual([...(await q.receive()).data], [1, 2, 3, 4]);
    assert.deepEqual([...q.tryReceive()!.data], [1, 2, 3, 4]);
    assert.deepEqual([...(await q.receive()).data], [5, 6]);
    // not a real Uint8Array at all: a TypeError before any call
    const fake = Object.create(Uint8Array.prototype) as Uint8Array;
    await assert.rejects(q.send(fake), TypeError);
    assert.throws(() => q.trySend(fake), TypeError);
    assert.equal(q.attributes().currentMessages, 0);
  },
);

ipcTest(
  "mq hostile: a receive buffer whose length lies is refused, and the message stays queued",
  async (_t, scope) => {
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: SIZE });
    await q.send("kept");
    const lying = lyingBytes(SIZE);
    await assert.rejects(q.receiveInto(lying), RangeError);
    assert.throws(() => q.tryReceiveInto(lying), RangeError);
    const boastful = new Boastful(8);
    boastful.claimed = SIZE;
    await assert.rejects(q.receiveInto(boastful), RangeError);
    const fake = Object.create(Uint8Array.prototype) as Uint8Array;
    await assert.rejects(q.receiveInto(fake), TypeError);
    assert.deepEqual(lying.subarray(0, 4), new Uint8Array([1, 2, 3, 4])); // nothing written
    assert.equal(new TextDecoder().decode((await q.receive()).data), "kept");
  },
);

ipcTest(
  "mq hostile: a receiveInto buffer detached or shrunk while waiting rejects and loses no message",
  async (_t, scope) => {
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 64 });
    for (const spoil of ["detach", "shrink"] as const) {
      const store = spoil === "shrink"
        ? new ArrayBuffer(64, { maxByteLength: 64 })
        : new ArrayBuffer(64);
      const buffer = new Uint8Array(store);
      const pending = q.receiveInto(buffer, { signal: AbortSignal.timeout(10_000) });
      pending.catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 30)); // the wait is with the poller now
      if (spoil === "detach") store.transfer();
      else store.resize(8);
      await using peer = spawnPython("mq_py_peer.py", ["send", `/${name}`, "1"]);
      assert.equal(await peer.line(), "sent 1");
      await assert.rejects(pending, (err: Error) => {
        assert.ok(err instanceof RangeError, `${err}`);
        assert.match(err.message, /buffer is \d+ bytes, shorter than the messageSize 64/);
        return true;
      });
      const kept = q.tryReceive();
      assert.equal(new TextDecoder().decode(kept?.data), "py:0:", spoil);
    }
  },
);

/** tests/fixtures/mq_squatter.py as uid and gid 65534 (nobody): it takes `name` first. */
function squatAsNobody(name: string, mode: string, maxMessages: number, size: number) {
  return spawnPythonAsNobody("mq_squatter.py", [
    `/${name}`,
    mode,
    String(maxMessages),
    String(size),
  ]);
}

ipcTest(
  "mq hostile: a queue another uid made first is refused unless trusted; its attributes are what it has",
  async (_t, scope) => {
    for (const mode of ["666", "600"]) {
      const name = queueName(scope);
      await using squatter = await squatAsNobody(name, mode, 2, 16);
      assert.deepEqual(JSON.parse(await squatter.line()), { uid: 65534 });
      for (const options of [{}, { create: true }, { readOnly: true }, { writeOnly: true }]) {
        assert.throws(() => MessageQueue.open(name, options), (err: Error) => {
          assert.ok(err instanceof Deno.errors.PermissionDenied, `${mode} ${err}`);
          assert.match(err.message, /owned by uid 65534/);
          return true;
        });
      }
      assert.throws(
        () => MessageQueue.open(name, { exclusive: true }),
        Deno.errors.AlreadyExists,
      );
      // trusted on purpose: the existing queue's attributes, not the ones asked for (documented)
      using q = MessageQueue.open(name, {
        create: true,
        maxMessages: 8,
        messageSize: 64,
        allowOtherOwner: true,
      });
      assert.deepEqual([q.maxMessages, q.messageSize], [2, 16]);
      await assert.rejects(q.send("x".repeat(17)), RangeError);
      q.close();
      await squatter.send("done");
      assert.equal((await squatter.process.status).code, 0);
      assert.throws(() => MessageQueue.open(name), Deno.errors.NotFound); // it took its name away
    }
  },
);

ipcTest(
  "mq hostile: receives aborted at random moments while another process sends lose and reorder nothing",
  async (_t, scope) => {
    const name = queueName(scope);
    const count = 3000;
    using q = MessageQueue.open(name, { create: true, maxMessages: 2, messageSize: 64, spin: 0 });
    await using producer = spawnDeno("mq_producer.ts", [name, String(count)]);
    const ids: number[] = [];
    let aborts = 0;
    while (ids.length < count) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), Math.random() < 0.5 ? 0 : 1);
      try {
        ids.push(decodeMessage((await q.receive({ signal: controller.signal })).data));
      } catch (err) {
        if (!controller.signal.aborted) throw err;
        aborts++;
      } finally {
        clearTimeout(timer);
      }
    }
    assert.equal(await producer.line(), `done ${count}`);
    assert.deepEqual(ids, Array.from({ length: count }, (_, i) => i));
    assert.equal(q.tryReceive(), undefined);
    assert.ok(aborts > 0, "some receives were aborted");
  },
);

ipcTest(
  "mq hostile: a receive into memory that is no longer mapped (EFAULT) loses only that message",
  async (_t, scope) => {
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 64 });
    const lib = libc();
    const pointer = lib.mmap(
      null,
      4096n,
      PROT_READ | PROT_WRITE,
      MAP_PRIVATE | MAP_ANONYMOUS,
      -1,
      0n,
    );
    // A view over the mapping, then the mapping goes: only the kernel touches the view.
    const stale = new Uint8Array(backend().view(pointer, 4096));
    assert.equal(lib.munmap(pointer, 4096n), 0);
    for (
      const attempt of [
        () => q.receiveInto(stale),
        () => Promise.try(() => q.tryReceiveInto(stale)),
      ]
    ) {
      await q.send("lost"); // the kernel takes it off the queue, then cannot store it
      await q.send("kept");
      await assert.rejects(attempt(), (err: Error & { code?: string }) => {
        assert.equal(err.code, "EFAULT", `${err}`);
        return true;
      });
      assert.equal(q.attributes().currentMessages, 1, "one failed receive took one message");
      assert.equal(new TextDecoder().decode(q.tryReceive()?.data), "kept");
    }
  },
);
