// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * SOCK_SEQPACKET and SOCK_DGRAM between this Deno process and Python's
 * `socket` module and C (recvmsg/sendmsg), both directions: boundaries
 * kept (two messages sent back to back arrive as two), a 100 kB message
 * whole, a descriptor with a message, and the peer's own messages then its
 * close. The peer listens in one seqpacket case and connects in the other.
 */
import assert from "node:assert/strict";
import { libc } from "../../_ffi/libc.ts";
import { UnixDatagram, UnixListener, UnixSocket } from "../../uds/mod.ts";
import { buildC, ipcTest, type Peer, spawnProgram, spawnPython } from "../_helpers/mod.ts";
import { pipe, readToEnd } from "./_fd_exchange.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const BIG = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);

type Send = (data: Uint8Array, fds?: number[]) => Promise<void>;
type Receive = () => Promise<Uint8Array | null>;

/** The steps both peers follow (see tests/fixtures/message_peer.py). */
async function talk(send: Send, receive: Receive): Promise<void> {
  await send(enc("one"));
  await send(enc("two"));
  assert.equal(dec((await receive())!), "echo:one");
  assert.equal(dec((await receive())!), "echo:two");
  await send(BIG);
  const echoed = (await receive())!;
  assert.equal(dec(echoed.subarray(0, 5)), "echo:");
  assert.deepEqual(echoed.subarray(5), BIG);
  const [r, w] = pipe();
  try {
    await send(enc("fd"), [w]);
    libc().close(w);
    assert.equal(dec((await receive())!), "echo:fd");
    assert.equal(readToEnd(r), "fd-ok");
  } finally {
    libc().close(r);
  }
  await send(enc("end"));
  for (const m of ["p1", "p2", "p3"]) assert.equal(dec((await receive())!), m);
}

async function overSeqpacket(sock: UnixSocket, peer: Peer): Promise<void> {
  const signal = AbortSignal.timeout(20_000);
  await talk(
    (data, fds) => sock.send(data, { fds, signal }),
    async () => (await sock.receive({ signal }))?.data ?? null,
  );
  assert.equal(await sock.receive({ signal }), null); // the peer closed
  await peer.expect("done");
  assert.equal((await peer.status()).code, 0);
}

async function overDatagrams(dir: string, peer: Peer): Promise<void> {
  await peer.expect("ready");
  await using me = await UnixDatagram.bind(`${dir}/me.sock`);
  const signal = AbortSignal.timeout(20_000);
  await talk(
    (data, fds) => me.sendTo(`${dir}/peer.sock`, data, { fds, signal }),
    async () => {
      const got = await me.receiveFrom({ signal });
      assert.equal(got.from, `${dir}/peer.sock`);
      return got.data;
    },
  );
  await peer.expect("done");
  assert.equal((await peer.status()).code, 0);
}

const peers: Array<[string, (args: string[]) => Promise<Peer>]> = [
  ["Python", (args) => Promise.resolve(spawnPython("message_peer.py", args))],
  ["C", async (args) => spawnProgram(await buildC("message_peer.c"), args)],
];

for (const [name, start] of peers) {
  ipcTest(`seqpacket with ${name}: Deno listens, ${name} connects`, async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using listener = await UnixListener.listen(path, { type: "seqpacket" });
    await using peer = await start(["seqpacket", "connect", path]);
    using sock = await listener.accept({ signal: AbortSignal.timeout(20_000) });
    await overSeqpacket(sock, peer);
  });

  ipcTest(`seqpacket with ${name}: ${name} listens, Deno connects`, async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using peer = await start(["seqpacket", "listen", path]);
    await peer.expect("ready");
    using sock = await UnixSocket.connect(path, { type: "seqpacket" });
    await overSeqpacket(sock, peer);
  });

  ipcTest(`datagrams with ${name}: sendTo and receiveFrom both ways`, async (_t, scope) => {
    const dir = await scope.tempDir();
    await using peer = await start(["dgram", `${dir}/peer.sock`]);
    await overDatagrams(dir, peer);
  });
}
