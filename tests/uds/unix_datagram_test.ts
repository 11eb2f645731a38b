// Copyright 2026 the @ipc/linux authors. MIT license.
// UnixDatagram: socket files, abstract names, addresses, connected sockets, pairs, limits, descriptors.
import assert from "node:assert/strict";
import { libc } from "../../_ffi/libc.ts";
import { socketLib } from "../../_ffi/socket.ts";

const F_DUPFD_CLOEXEC = 1030;
import { UnixDatagram, UnixSocket } from "../../uds/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

ipcTest(
  "UnixDatagram: a socket file with mode 0o600 whatever the umask, removed on close",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    const old = Deno.umask(0);
    let a: UnixDatagram;
    try {
      a = await UnixDatagram.bind(`${dir}/a.sock`);
    } finally {
      Deno.umask(old);
    }
    const info = await Deno.lstat(`${dir}/a.sock`);
    assert.ok(info.isSocket);
    assert.equal(info.mode! & 0o777, 0o600);
    await using b = await UnixDatagram.bind(`${dir}/b.sock`, { mode: 0o660 });
    assert.equal((await Deno.lstat(`${dir}/b.sock`)).mode! & 0o777, 0o660);
    await a.sendTo(b.path!, enc("one"));
    await a.sendTo(b.path!, enc("two"));
    await a.sendTo(b.path!, new Uint8Array(0)); // an empty datagram is a message
    const one = await b.receiveFrom();
    assert.equal(dec(one.data), "one");
    assert.equal(one.from, `${dir}/a.sock`); // the sender's real path: it can be answered
    assert.equal(dec((await b.receive()).data), "two");
    assert.equal((await b.receive()).data.length, 0);
    await b.sendTo(one.from, enc("reply"));
    assert.equal(dec((await a.receive()).data), "reply");
    await a.close();
    await a.close(); // idempotent
    await assert.rejects(Deno.lstat(`${dir}/a.sock`), Deno.errors.NotFound);
    await assert.rejects(a.receive(), Deno.errors.BadResource);
  },
);

ipcTest(
  "UnixDatagram: a live socket is refused, a stale file replaced, another file kept",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    const path = `${dir}/d.sock`;
    {
      await using _live = await UnixDatagram.bind(path);
      await assert.rejects(UnixDatagram.bind(path), Deno.errors.AlreadyExists);
    }
    // Stale: the socket is closed but its file is left behind (as after kill -9).
    const stale = await UnixDatagram.bind(path);
    libc().close(stale.fd);
    assert.ok((await Deno.lstat(path)).isSocket);
    await using again = await UnixDatagram.bind(path);
    await using sender = UnixDatagram.unbound();
    await sender.sendTo(path, enc("x"));
    const got = await again.receiveFrom();
    assert.equal(dec(got.data), "x");
    assert.equal(got.from, ""); // an unbound sender
    // Not a socket: never replaced.
    await Deno.writeTextFile(`${dir}/plain`, "keep");
    await assert.rejects(UnixDatagram.bind(`${dir}/plain`), Deno.errors.AlreadyExists);
    assert.equal(await Deno.readTextFile(`${dir}/plain`), "keep");
    // Closing a socket whose file was replaced meanwhile leaves the newcomer's file.
    const first = await UnixDatagram.bind(`${dir}/e.sock`);
    await Deno.remove(`${dir}/e.sock`);
    await using second = await UnixDatagram.bind(`${dir}/e.sock`);
    await first.close();
    assert.ok((await Deno.lstat(`${dir}/e.sock`)).isSocket);
    assert.equal(second.closed, false);
  },
);

ipcTest("UnixDatagram: abstract names, connected sockets, pairs, errors", async () => {
  const name = `\0ipct-dgram-${Deno.pid}`;
  await using server = await UnixDatagram.bind(name);
  await assert.rejects(UnixDatagram.bind(name), Deno.errors.AlreadyExists);
  await using client = await UnixDatagram.bind(`${name}-client`);
  client.connect(name);
  await client.send(enc("connected"));
  const got = await server.receiveFrom();
  assert.equal(got.from, `${name}-client`);
  assert.equal(dec(got.data), "connected");
  // A connected socket only receives from its peer.
  await using other = UnixDatagram.unbound();
  await assert.rejects(other.sendTo(`${name}-client`, enc("no")), Deno.errors.PermissionDenied);
  const [a, b] = UnixDatagram.pair();
  await using _a = a;
  await using _b = b;
  await a.send(enc("paired"));
  assert.equal(dec((await b.receive()).data), "paired");
  await assert.rejects(
    other.sendTo(`\0ipct-nobody-${Deno.pid}`, enc("x")),
    Deno.errors.ConnectionRefused,
  );
  assert.throws(() => other.connect(`\0ipct-nobody-${Deno.pid}`), Deno.errors.ConnectionRefused);
  await assert.rejects(other.receive({ maxBytes: 0 }), RangeError);
  await assert.rejects(other.receive({ spin: -1 }), RangeError);
  await assert.rejects(other.sendTo("", enc("x")), TypeError);
  await assert.rejects(UnixDatagram.bind("x".repeat(200)), RangeError);
});

ipcTest(
  "UnixDatagram: a datagram longer than maxBytes is an error and dropped, never truncated",
  async () => {
    const [a, b] = UnixDatagram.pair();
    await using _a = a;
    await using _b = b;
    await a.send(new Uint8Array(100).fill(7));
    await a.send(enc("next"));
    const err = await b.receive({ maxBytes: 10 }).catch((e) => e);
    assert.ok(err instanceof Deno.errors.InvalidData);
    assert.match(err.message, /100 bytes, more than maxBytes \(10\)/);
    assert.equal((err as unknown as { data: Uint8Array }).data.length, 10);
    assert.equal(dec((await b.receive({ maxBytes: 10 })).data), "next");
    // Messages larger than the scratch area (256 KiB) go through a buffer of their own.
    const [c, d] = UnixSocket.pair({ type: "seqpacket" });
    using _c = c;
    using _d = d;
    const big = new Uint8Array(200_000).map((_, i) => i & 0xff);
    await c.send(big);
    assert.deepEqual((await d.receive({ maxBytes: 1 << 20 }))!.data, big);
    await c.send(big);
    await assert.rejects(d.receive({ maxBytes: 65536 }), /200000 bytes/);
  },
);

ipcTest("UnixDatagram: descriptors travel with datagrams; fromFd checks the type", async () => {
  const [a, b] = UnixDatagram.pair();
  await using _a = a;
  await using _b = b;
  const [p, q] = UnixSocket.pair();
  using _q = q;
  await a.send(enc("fd"), { fds: [p] });
  p.close();
  const got = await b.receive();
  using passed = UnixSocket.fromFd(got.fds[0]!.take());
  await q.send(enc("through"));
  assert.equal(dec((await passed.receive())!.data), "through");
  // Too many: dropped, the ones that arrived closed.
  const [x, y] = UnixSocket.pair();
  using _x = x;
  using _y = y;
  await a.send(enc("many"), { fds: [x, y] });
  await assert.rejects(b.receive({ maxFds: 1 }), /MSG_CTRUNC/);
  // fromFd: a datagram socket is adopted, a stream socket is not.
  await using adopted = UnixDatagram.fromFd(socketLib().fcntl(b.fd, F_DUPFD_CLOEXEC, 0));
  assert.equal(adopted.path, undefined);
  assert.throws(() => UnixDatagram.fromFd(x.fd), /stream socket, not datagram/);
  assert.throws(() => UnixDatagram.fromFd(0), Deno.errors.InvalidData);
});

ipcTest("UnixSocket: maxFds is exact although CMSG_SPACE(4) has room for two", async () => {
  for (const type of ["stream", "seqpacket"] as const) {
    const [a, b] = UnixSocket.pair({ type });
    using _a = a;
    using _b = b;
    await a.send(enc("two"), { fds: [a, b] });
    await assert.rejects(b.receive({ maxFds: 1 }), /more descriptors than maxFds \(1\)/);
  }
});
