// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { OsError } from "../../_ffi/errors.ts";
import { ipcTest } from "../_helpers/mod.ts";
import { queueName } from "./_queues.ts";

const text = new TextEncoder();

ipcTest("mq: open, send, receive, attributes and close on a real queue", (_t, scope) => {
  const name = queueName(scope);
  using q = MessageQueue.open(name, { create: true, maxMessages: 5, messageSize: 100 });
  assert.equal(q.name, `/${name}`);
  assert.equal(q.maxMessages, 5);
  assert.equal(q.messageSize, 100);
  assert.deepEqual(q.attributes(), { maxMessages: 5, messageSize: 100, currentMessages: 0 });
  assert.equal(q.trySend("héllo"), true);
  assert.equal(q.trySend(new Uint8Array(100).fill(7), { priority: 32767 }), true);
  assert.equal(q.trySend(new Uint8Array(0), { priority: 1 }), true);
  assert.equal(q.attributes().currentMessages, 3);
  assert.deepEqual(q.tryReceive(), { data: new Uint8Array(100).fill(7), priority: 32767 });
  assert.deepEqual(q.tryReceive(), { data: new Uint8Array(0), priority: 1 });
  assert.deepEqual(q.tryReceive(), { data: text.encode("héllo"), priority: 0 });
  assert.equal(q.tryReceive(), undefined);
  q.close();
  assert.equal(q.closed, true);
});

ipcTest("mq: priority order, FIFO within a priority, across handles", async (_t, scope) => {
  const name = queueName(scope);
  using writer = MessageQueue.open(name, { create: true, maxMessages: 10, messageSize: 16 });
  using reader = MessageQueue.open(`/${name}`, { readOnly: true });
  const sent: Array<[string, number]> = [
    ["a", 1],
    ["b", 0],
    ["c", 9],
    ["d", 1],
    ["e", 9],
    ["f", 0],
  ];
  for (const [data, priority] of sent) await writer.send(data, { priority });
  const got: string[] = [];
  for (let i = 0; i < sent.length; i++) {
    const { data, priority } = await reader.receive();
    got.push(`${new TextDecoder().decode(data)}${priority}`);
  }
  assert.deepEqual(got, ["c9", "e9", "a1", "d1", "b0", "f0"]);
});

ipcTest("mq: receiveInto reuses the caller's buffer, at any offset", async (_t, scope) => {
  const name = queueName(scope);
  using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 8 });
  const backing = new Uint8Array(20);
  const buffer = backing.subarray(4, 12);
  q.trySend(new Uint8Array([1, 2, 3]), { priority: 4 });
  assert.deepEqual(await q.receiveInto(buffer), { length: 3, priority: 4 });
  assert.deepEqual([...backing.subarray(0, 8)], [0, 0, 0, 0, 1, 2, 3, 0]);
  q.trySend("xy");
  assert.deepEqual(q.tryReceiveInto(buffer), { length: 2, priority: 0 });
  assert.equal(q.tryReceiveInto(buffer), undefined);
});

ipcTest(
  "mq: a string that fills messageSize exactly is sent; one byte more is not",
  (_t, scope) => {
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 2, messageSize: 4 });
    assert.equal(q.trySend("abé"), true); // 2 + 2 bytes
    assert.throws(() => q.trySend("abcde"), RangeError);
    assert.throws(() => q.trySend("€€"), /over 4 bytes/); // 6 bytes
    assert.throws(() => q.trySend(new Uint8Array(5)), /5 bytes, over the messageSize 4/);
    assert.equal(q.attributes().currentMessages, 1);
  },
);

ipcTest("mq: readOnly and writeOnly handles refuse the other direction", async (_t, scope) => {
  const name = queueName(scope);
  MessageQueue.open(name, { create: true, maxMessages: 2, messageSize: 8 }).close();
  using r = MessageQueue.open(name, { readOnly: true });
  using w = MessageQueue.open(name, { writeOnly: true });
  assert.throws(() => r.trySend("x"), (e: Error) => {
    assert.ok(e instanceof Deno.errors.BadResource);
    assert.match(e.message, /opened readOnly/);
    return true;
  });
  await assert.rejects(w.receive(), /opened writeOnly/);
  assert.throws(() => w.tryReceive(), Deno.errors.BadResource);
  assert.equal(w.trySend("x"), true);
  assert.equal(r.tryReceive()?.data.length, 1);
});

ipcTest("mq: OS errors carry errno codes and name the queue", (_t, scope) => {
  const name = queueName(scope);
  assert.throws(() => MessageQueue.open(name), (e: Error & { code?: string }) => {
    assert.ok(e instanceof Deno.errors.NotFound);
    assert.equal(e.code, "ENOENT");
    assert.equal(e.message, `No such file or directory (os error 2): mq_open "/${name}"`);
    return true;
  });
  MessageQueue.open(name, { create: true, maxMessages: 1, messageSize: 8 }).close();
  assert.throws(
    () => MessageQueue.open(name, { exclusive: true, maxMessages: 1, messageSize: 8 }),
    (e: Error & { code?: string }) => e instanceof Deno.errors.AlreadyExists && e.code === "EEXIST",
  );
  // create on an existing queue opens it and ignores the attributes
  using again = MessageQueue.open(name, { create: true, maxMessages: 2, messageSize: 4 });
  assert.equal(again.maxMessages, 1);
  MessageQueue.unlink(name);
  assert.throws(() => MessageQueue.unlink(name), Deno.errors.NotFound);
  // the open handle still works after unlink
  assert.equal(again.trySend("x"), true);
});

ipcTest("mq: over msg_max / msgsize_max is an OsError naming the limit", (_t, scope) => {
  const limits = MessageQueue.limits();
  assert.ok(limits.maxMessages >= 1 && limits.maxMessageSize >= 1 && limits.maxQueues >= 1);
  const name = queueName(scope);
  const privileged = (() => {
    // CAP_SYS_RESOURCE (bit 24) lifts msg_max and msgsize_max
    const line = Deno.readTextFileSync("/proc/self/status").split("\n")
      .find((l) => l.startsWith("CapEff:"))!;
    return (BigInt(`0x${line.split(/\s+/)[1]}`) & (1n << 24n)) !== 0n;
  })();
  if (privileged) return; // the limits do not apply to this process
  assert.throws(
    () => MessageQueue.open(name, { create: true, maxMessages: limits.maxMessages + 1 }),
    (e: Error) => {
      assert.ok(e instanceof OsError);
      assert.equal(e.code, "EINVAL");
      assert.match(e.message, /^Invalid argument \(os error 22\): mq_open "\/mq_[^"]+": /);
      assert.match(
        e.message,
        new RegExp(`maxMessages ${limits.maxMessages + 1} is over the system limit msg_max = `),
      );
      assert.match(e.message, /\/proc\/sys\/fs\/mqueue\/msg_max/);
      return true;
    },
  );
  assert.throws(
    () =>
      MessageQueue.open(name, {
        create: true,
        maxMessages: 1,
        messageSize: limits.maxMessageSize + 1,
      }),
    new RegExp(`messageSize ${limits.maxMessageSize + 1} is over the system limit msgsize_max`),
  );
});

ipcTest("mq: bad input is rejected before any syscall", async (_t, scope) => {
  const name = queueName(scope);
  const open = (n: unknown, o?: unknown) => () =>
    MessageQueue.open(n as string, o as Record<string, never>);
  assert.throws(open(42), TypeError);
  assert.throws(open(""), TypeError);
  assert.throws(open("/"), TypeError);
  assert.throws(open("a/b"), TypeError);
  assert.throws(open("a\0b"), TypeError);
  assert.throws(open("x".repeat(256)), RangeError);
  assert.throws(open(name, null), TypeError);
  assert.throws(open(name, { create: "yes" }), TypeError);
  assert.throws(open(name, { readOnly: true, writeOnly: true }), TypeError);
  assert.throws(open(name, { exclusive: true, create: false }), TypeError);
  assert.throws(open(name, { maxMessages: 4 }), /apply only with "create"/);
  assert.throws(open(name, { create: true, maxMessages: 0 }), RangeError);
  assert.throws(open(name, { create: true, maxMessages: 1.5 }), TypeError);
  assert.throws(open(name, { create: true, maxMessages: 65537 }), RangeError);
  assert.throws(open(name, { create: true, messageSize: "8" }), TypeError);
  assert.throws(open(name, { create: true, messageSize: 2 ** 24 + 1 }), RangeError);
  assert.throws(open(name, { create: true, mode: 0o10000 }), RangeError);
  // One rule with shm and serve: permission bits only, no setuid/setgid/sticky.
  assert.throws(
    open(name, { create: true, mode: 0o4755 }),
    { name: "RangeError", message: "Cannot open queue: mode 2541 is not in 0..0o777" },
  );
  assert.throws(open(name, { create: true, mode: 0o1777 }), RangeError);
  assert.throws(open(name, { allowOtherOwner: 1 }), TypeError);
  assert.throws(open(name, { spin: -1 }), RangeError);
  assert.throws(open(name, { syncWait: 0.5 }), TypeError);
  assert.throws(() => MessageQueue.unlink("a/b"), TypeError);
  // none of the above created the queue
  assert.throws(open(name), Deno.errors.NotFound);

  using q = MessageQueue.open(name, { create: true, maxMessages: 2, messageSize: 8 });
  assert.throws(() => q.trySend("x", { priority: -1 }), RangeError);
  assert.throws(() => q.trySend("x", { priority: 32768 }), /priority 32768 is not an integer/);
  assert.throws(() => q.trySend("x", { priority: 1.5 }), TypeError);
  assert.throws(() => q.trySend("x", { priority: "1" as unknown as number }), TypeError);
  assert.throws(() => q.trySend(42 as unknown as string), TypeError);
  assert.throws(() => q.trySend([1, 2] as unknown as Uint8Array), TypeError);
  assert.throws(() => q.trySend("x", null as unknown as object), TypeError);
  await assert.rejects(q.send("x", { signal: "no" as unknown as AbortSignal }), TypeError);
  await assert.rejects(q.send(new Uint8Array(9)), RangeError);
  await assert.rejects(q.receiveInto(new Uint8Array(7)), /buffer is 7 bytes, shorter/);
  await assert.rejects(q.receiveInto([] as unknown as Uint8Array), TypeError);
  assert.throws(() => q.tryReceiveInto(new Uint8Array(4)), RangeError);
  assert.equal(q.attributes().currentMessages, 0);

  q.close();
  assert.throws(() => q.trySend("x"), /Cannot send: queue "\/mq_[^"]+" is closed/);
  await assert.rejects(q.send("x"), Deno.errors.BadResource);
  await assert.rejects(q.receive(), Deno.errors.BadResource);
  assert.throws(() => q.tryReceive(), Deno.errors.BadResource);
  assert.throws(() => q.attributes(), Deno.errors.BadResource);
  const ended: unknown[] = [];
  for await (const m of q) ended.push(m);
  assert.deepEqual(ended, []);
});

ipcTest("mq: concurrent receives each get their own message's bytes", async (_t, scope) => {
  const name = queueName(scope);
  using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 8, spin: 0 });
  q.trySend("one", { priority: 2 });
  q.trySend("two", { priority: 1 });
  // both start before either settles; the shared receive buffer must not mix them up
  const [a, b] = await Promise.all([q.receive(), q.receive()]);
  const text = (m: { data: Uint8Array }) => new TextDecoder().decode(m.data);
  assert.deepEqual([text(a), a.priority, text(b), b.priority], ["one", 2, "two", 1]);
  // and two that wait are both served, by two sends from another handle
  using w = MessageQueue.open(name, { writeOnly: true });
  const waiting = Promise.all([q.receive(), q.receive()]);
  await new Promise((r) => setTimeout(r, 10));
  await w.send("three");
  await w.send("four");
  assert.deepEqual((await waiting).map(text).sort(), ["four", "three"]);
});

ipcTest("mq: unlinkOnClose removes the name on close, idempotently", (_t, scope) => {
  const name = queueName(scope);
  const q = MessageQueue.open(name, { create: true, unlinkOnClose: true, maxMessages: 1 });
  using reader = MessageQueue.open(name, { readOnly: true });
  q.close();
  q.close(); // a second close unlinks nothing more
  assert.throws(() => MessageQueue.open(name), Deno.errors.NotFound);
  // A handle still open keeps the queue itself.
  assert.equal(reader.attributes().maxMessages, 1);
  assert.throws(
    () => MessageQueue.open(name, { unlinkOnClose: 1 as unknown as boolean }),
    TypeError,
  );
});

ipcTest(
  "mq: unlinkOnClose leaves alone a new queue another process made under the name",
  async (_t, scope) => {
    const name = queueName(scope);
    const mine = MessageQueue.open(name, { create: true, unlinkOnClose: true, maxMessages: 1 });
    const code = `import { MessageQueue } from ${
      JSON.stringify(new URL("../../mq/mod.ts", import.meta.url).href)
    };
MessageQueue.unlink(${JSON.stringify(name)});
MessageQueue.open(${JSON.stringify(name)}, { create: true, maxMessages: 2 }).close();`;
    const out = await new Deno.Command(Deno.execPath(), { args: ["eval", code] }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    mine.close();
    using theirs = MessageQueue.open(name);
    assert.equal(theirs.maxMessages, 2);
  },
);

for (const mode of [0o200, 0o000]) {
  ipcTest(
    `mq: unlinkOnClose leaves alone a queue made under the name with mode 0${
      mode.toString(8)
    } (uid nobody)`,
    async (_t, scope) => {
      // As root every queue opens, so the case runs in a Deno process as uid 65534.
      const name = queueName(scope);
      const denoDir = await scope.tempDir();
      await Deno.chmod(denoDir, 0o777);
      const code = `import { MessageQueue } from ${
        JSON.stringify(new URL("../../mq/mod.ts", import.meta.url).href)
      };
const name = ${JSON.stringify(name)};
const mine = MessageQueue.open(name, { create: true, unlinkOnClose: true, maxMessages: 1 });
MessageQueue.unlink(name); // as another process of this user would, then a queue of its own:
MessageQueue.open(name, { create: true, mode: ${mode}, maxMessages: 2 }).close();
mine.close(); // cannot open that one to compare identities: must leave it
try {
  MessageQueue.open(name, { create: true, exclusive: true }).close();
  console.log("removed");
} catch (err) {
  console.log(err instanceof Deno.errors.AlreadyExists ? "kept" : String(err));
}
MessageQueue.unlink(name);`;
      const out = await new Deno.Command("setpriv", {
        args: ["--reuid=65534", "--regid=65534", "--clear-groups", Deno.execPath(), "eval", code],
        env: { DENO_DIR: denoDir, HOME: denoDir, NO_COLOR: "1" },
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      assert.equal(new TextDecoder().decode(out.stdout).trim(), "kept");
    },
  );
}
