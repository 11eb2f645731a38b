// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Empty messages: a seqpacket `UnixSocket` refuses to send one (its peer
 * could not tell it from the end of the stream), a stream socket sends no
 * byte, and an empty packet from a foreign peer (Python) reads as `null`.
 */
import assert from "node:assert/strict";
import { UnixListener, UnixSocket } from "../../uds/mod.ts";
import { ipcTest, Peer } from "../_helpers/mod.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

ipcTest("UnixSocket: an empty seqpacket message is refused before any syscall", async () => {
  const [a, b] = UnixSocket.pair({ type: "seqpacket" });
  using _a = a;
  using _b = b;
  await assert.rejects(a.send(new Uint8Array(0)), (err: Error) => {
    assert.ok(err instanceof RangeError);
    assert.match(err.message, /empty message on a seqpacket socket/);
    assert.match(err.message, /end of the stream/);
    return true;
  });
  // Refused before the kernel: with the peer gone, a send that reached it
  // would fail with BrokenPipe instead.
  const [c, d] = UnixSocket.pair({ type: "seqpacket" });
  d.close();
  await assert.rejects(c.send(new Uint8Array(0)), RangeError);
  await assert.rejects(c.send(enc("x")), Deno.errors.BrokenPipe);
  c.close();
  // Nothing was sent: the next message is the first the peer reads.
  await a.send(enc("after"));
  assert.equal(dec((await b.receive())!.data), "after");
});

ipcTest(
  "UnixSocket: an empty stream send writes no byte, and still sees a closed peer",
  async () => {
    const [a, b] = UnixSocket.pair();
    await a.send(new Uint8Array(0));
    await a.send(enc("x"));
    assert.equal(dec((await b.receive())!.data), "x");
    b.close();
    await assert.rejects(a.send(new Uint8Array(0)), Deno.errors.BrokenPipe);
    a.close();
  },
);

const PYTHON_EMPTY = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.send(b"one")
s.send(b"")
s.send(b"two")
print("sent", flush=True)
sys.stdin.readline()
s.close()
`;

ipcTest(
  "UnixSocket: an empty packet from Python's seqpacket socket reads as null (end of stream)",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/empty.sock`;
    await using listener = await UnixListener.listen(path, { type: "seqpacket" });
    await using peer = new Peer("python3", ["-u", "-c", PYTHON_EMPTY, path]);
    using server = await listener.accept();
    await peer.expect("sent");
    assert.equal(dec((await server.receive())!.data), "one");
    // The kernel reports the empty packet exactly like the end of the stream.
    assert.equal(await server.receive(), null);
    // The peer had not closed: its next message is still there.
    assert.equal(dec((await server.receive())!.data), "two");
    await peer.send("close");
    assert.equal(await server.receive(), null);
    assert.equal((await peer.status()).code, 0, peer.stderr);
  },
);
