// Copyright 2026 the @ipc/linux authors. MIT license.
// UnixSocket and UnixListener: socket files, abstract names, limits, cancellation, misuse.
import assert from "node:assert/strict";
import { libc } from "../../_ffi/libc.ts";
import { pendingWaits } from "../../_ffi/poller.ts";
import { connect, ReceivedFd, serve, UnixListener, UnixSocket } from "../../uds/mod.ts";
import { assertNoNewFds, ipcTest, openFds, runDeno } from "../_helpers/mod.ts";
import { dups, pipe, readToEnd } from "./_fd_exchange.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

ipcTest(
  "UnixListener: a socket file with mode 0o600, removed on close; peer credentials",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/a.sock`;
    const listener = await UnixListener.listen(path);
    const info = await Deno.lstat(path);
    assert.ok(info.isSocket);
    assert.equal(info.mode! & 0o777, 0o600);
    {
      using client = await UnixSocket.connect(path);
      using server = await listener.accept();
      assert.deepEqual(server.peer(), { pid: Deno.pid, uid: libc().getuid(), gid: Deno.gid() });
      await client.send(enc("hello"));
      assert.equal(dec((await server.receive())!.data), "hello");
      client.closeWrite();
      assert.equal(await server.receive(), null);
    }
    await listener.close();
    await listener.close(); // idempotent
    await assert.rejects(Deno.lstat(path), Deno.errors.NotFound);
  },
);

ipcTest(
  "UnixListener: a live path is refused, a stale socket file replaced, another file kept",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    const path = `${dir}/b.sock`;
    {
      await using live = await UnixListener.listen(path);
      await assert.rejects(UnixListener.listen(path), Deno.errors.AlreadyExists);
      // serve() refuses a path a UnixListener holds, and the reverse.
      await assert.rejects(serve({ path }, () => "x"), Deno.errors.AlreadyExists);
      assert.equal(live.path, path);
    }
    // A stale socket file: bound, then its listener gone without removing it.
    const stale = await UnixListener.listen(path);
    libc().close(stale.take());
    assert.ok((await Deno.lstat(path)).isSocket);
    await using again = await UnixListener.listen(path);
    using c = await UnixSocket.connect(path);
    using s = await again.accept();
    await c.send(enc("x"));
    assert.equal(dec((await s.receive())!.data), "x");
    // Not a socket: never replaced.
    const plain = `${dir}/plain`;
    await Deno.writeTextFile(plain, "keep");
    await assert.rejects(UnixListener.listen(plain), Deno.errors.AlreadyExists);
    assert.equal(await Deno.readTextFile(plain), "keep");
  },
);

ipcTest("UnixSocket: abstract names, and connect errors", async (_t, scope) => {
  const name = `\0ipct-us-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  {
    await using listener = await UnixListener.listen(name);
    await assert.rejects(UnixListener.listen(name), Deno.errors.AlreadyExists);
    using c = await UnixSocket.connect(name);
    using s = await listener.accept();
    assert.equal(s.peer().pid, Deno.pid);
    await s.send(enc("abstract"));
    assert.equal(dec((await c.receive())!.data), "abstract");
  }
  await assert.rejects(UnixSocket.connect(name), Deno.errors.ConnectionRefused);
  const dir = await scope.tempDir();
  await assert.rejects(UnixSocket.connect(`${dir}/none.sock`), Deno.errors.NotFound);
  await assert.rejects(UnixSocket.connect(""), TypeError);
  await assert.rejects(UnixSocket.connect(`/${"x".repeat(120)}`), RangeError);
  await assert.rejects(UnixSocket.connect(name, { type: "dgram" as "stream" }), TypeError);
});

ipcTest("UnixSocket: bad arguments fail before any syscall", async () => {
  const [a, b] = UnixSocket.pair();
  using _a = a;
  using _b = b;
  await assert.rejects(a.send("text" as unknown as Uint8Array), TypeError);
  await assert.rejects(a.send(enc("x"), { fds: [-1] }), TypeError);
  await assert.rejects(a.send(enc("x"), { fds: [1.5] }), TypeError);
  await assert.rejects(a.send(enc("x"), { fds: "3" as unknown as number[] }), TypeError);
  await assert.rejects(a.send(enc(""), { fds: [a] }), RangeError);
  await assert.rejects(a.send(enc("x"), { fds: Array(254).fill(a.fd) }), RangeError);
  await assert.rejects(b.receive({ maxFds: 254 }), RangeError);
  await assert.rejects(b.receive({ maxBytes: 0 }), RangeError);
  assert.throws(() => new ReceivedFd(-1), TypeError);
  // Nothing was written by the failed sends.
  await a.send(enc("ok"));
  assert.equal(dec((await b.receive())!.data), "ok");
});

ipcTest(
  "UnixSocket: every wait takes an AbortSignal, and close rejects pending waits",
  async () => {
    const [a, b] = UnixSocket.pair();
    const reason = new Error("stop");
    const controller = new AbortController();
    const pending = b.receive({ signal: controller.signal });
    controller.abort(reason);
    await assert.rejects(pending, (err) => err === reason);
    await assert.rejects(b.receive({ signal: AbortSignal.abort(reason) }), (err) => err === reason);
    const closing = b.receive();
    b.close();
    await assert.rejects(closing, Deno.errors.BadResource);
    await assert.rejects(b.receive(), Deno.errors.BadResource);
    assert.throws(() => b.fd, Deno.errors.BadResource);
    // A send that waits for room (the peer never reads) is cancelled too.
    const [c, d] = UnixSocket.pair();
    const big = new Uint8Array(4 << 20);
    const stuck = c.send(big, { signal: AbortSignal.timeout(200) });
    await assert.rejects(stuck, (err: Error) => err.name === "TimeoutError");
    const name = `\0ipct-acc-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
    {
      await using listener = await UnixListener.listen(name);
      await assert.rejects(
        listener.accept({ signal: AbortSignal.abort(reason) }),
        (err) => err === reason,
      );
      const accepting = listener.accept();
      await listener.close();
      await assert.rejects(accepting, Deno.errors.BadResource);
    }
    for (const s of [a, c, d]) s.close();
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "UnixSocket: seqpacket keeps boundaries; a longer message than maxBytes is an error",
  async () => {
    const [a, b] = UnixSocket.pair({ type: "seqpacket" });
    using _a = a;
    using _b = b;
    await a.send(enc("one"));
    await a.send(enc("two"));
    assert.equal(dec((await b.receive())!.data), "one");
    assert.equal(dec((await b.receive())!.data), "two");
    const [r, w] = pipe();
    await a.send(enc("too long"), { fds: [w] });
    libc().close(w);
    const before = openFds();
    await assert.rejects(b.receive({ maxBytes: 3 }), (err: Error & { data?: Uint8Array }) => {
      assert.ok(err instanceof Deno.errors.InvalidData);
      assert.match(err.message, /MSG_TRUNC/);
      assert.equal(dec(err.data!), "too");
      return true;
    });
    assertNoNewFds(before);
    assert.equal(readToEnd(r), ""); // the write end went with the message
    libc().close(r);
  },
);

ipcTest("UnixSocket: received descriptors close themselves unless taken", async () => {
  const [a, b] = UnixSocket.pair();
  using _a = a;
  using _b = b;
  const [r, w] = pipe();
  const before = openFds();
  await a.send(enc("p"), { fds: [w, w, r] });
  {
    const m = (await b.receive())!;
    assert.equal(m.fds.length, 3);
    using kept = m.fds[0]!;
    const fd = kept.take();
    assert.throws(() => kept.fd, Deno.errors.BadResource);
    assert.throws(() => kept.take(), Deno.errors.BadResource);
    m.fds[1]!.close();
    m.fds[2]![Symbol.dispose]();
    assert.equal(libc().write(fd, enc("!"), 1n), 1n);
    libc().close(fd);
  }
  assertNoNewFds(before);
  libc().close(w);
  assert.equal(readToEnd(r), "!");
  libc().close(r);
});

ipcTest("UnixSocket: fromFd and UnixListener.fromFd check what they adopt", async () => {
  const [r, w] = pipe();
  assert.throws(() => UnixSocket.fromFd(r), Deno.errors.InvalidData);
  assert.throws(() => UnixListener.fromFd(w), Deno.errors.InvalidData);
  const [a, b] = UnixSocket.pair();
  assert.throws(() => UnixListener.fromFd(a.fd), Deno.errors.InvalidData);
  using moved = UnixSocket.fromFd(a.take());
  await moved.send(enc("moved"));
  assert.equal(dec((await b.receive())!.data), "moved");
  b.close();
  const name = `\0ipct-from-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const listener = await UnixListener.listen(name);
  assert.throws(() => UnixSocket.fromFd(listener.fd), Deno.errors.InvalidData);
  await using adopted = UnixListener.fromFd(listener.take());
  assert.equal(adopted.path, undefined);
  using c = await UnixSocket.connect(name);
  using s = await adopted.accept();
  await c.send(enc("handed"));
  assert.equal(dec((await s.receive())!.data), "handed");
  for (const fd of [r, w]) libc().close(fd);
});

ipcTest("UnixSocket: a large message with descriptors arrives whole", async () => {
  const [a, b] = UnixSocket.pair();
  using _a = a;
  using _b = b;
  const data = new Uint8Array(300_000).map((_, i) => i % 251);
  const fds = dups(1, 3);
  const sending = a.send(data, { fds });
  const got: number[] = [];
  let received = 0;
  while (got.length < data.length) {
    const m = (await b.receive())!;
    received += m.fds.length;
    for (const fd of m.fds) fd.close();
    got.push(...m.data);
  }
  await sending;
  for (const fd of fds) libc().close(fd);
  assert.equal(received, 3);
  assert.deepEqual(new Uint8Array(got), data);
});

ipcTest(
  'serve/connect { transport: "native" }: the framed protocol over UnixSocket, with default-transport peers',
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/native.sock`;
    let peerPid = 0;
    {
      await using _server = await serve(
        { path, transport: "native", peerCredentials: true },
        (req, ctx) => {
          peerPid = ctx.connection.peer?.pid ?? -1;
          return req.payload;
        },
      );
      assert.equal((await Deno.lstat(path)).mode! & 0o777, 0o600);
      // Another process with the default transport (Deno.connect).
      const out = await runDeno("uds_client.ts", ["load", path, "2", "20"]);
      assert.equal(out.stdout.trim(), JSON.stringify({ ok: 40, bad: 0 }), out.stderr);
      // This process with the native one.
      await using client = await connect({ path, transport: "native" });
      assert.equal(dec(await client.request("echo", "native")), "native");
      assert.equal(peerPid, Deno.pid);
      await assert.rejects(connect({ port: 1, transport: "native" }), TypeError);
      await assert.rejects(connect({ path, transport: "x" as "native" }), TypeError);
    }
    await assert.rejects(Deno.lstat(path), Deno.errors.NotFound);
  },
);
