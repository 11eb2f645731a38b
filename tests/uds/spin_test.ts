// Copyright 2026 the @ipc/linux authors. MIT license.
// The native transport's spin option, between two processes.
import assert from "node:assert/strict";
import { connect, serve, UnixSocket } from "../../uds/mod.ts";
import { ipcTest, type Peer, spawnDeno } from "../_helpers/mod.ts";
import { pendingWaits } from "../../_ffi/poller.ts";

const dec = (b: Uint8Array) => new TextDecoder().decode(b);
async function spinServer(path: string): Promise<Peer> {
  const peer = spawnDeno("spin_server.ts", [path]);
  await peer.expect("ready");
  return peer;
}

ipcTest(
  "spin: request/response between processes, slow replies, many in flight, a peer that dies",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    const path = `${dir}/spin.sock`;
    await using server = await spinServer(path);
    await using client = await connect({ path, transport: "native", spin: 100 });
    for (let i = 0; i < 500; i++) assert.equal(dec(await client.request("echo", `${i}`)), `${i}`);
    // A reply later than the spin budget arrives through the poll loop.
    assert.equal(dec(await client.request("slow", "late")), "late");
    const many = await Promise.all(
      Array.from({ length: 100 }, (_, i) => client.request("e", `${i}`)),
    );
    assert.deepEqual(many.map(dec), Array.from({ length: 100 }, (_, i) => `${i}`));
    // The server dies while a request waits: the request fails, nothing stays parked.
    const pending = client.request("slow", "never");
    server.kill("SIGKILL");
    await assert.rejects(pending);
    await server.status();
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest("spin: options are checked; descriptors still pass", async (_t, scope) => {
  const path = `${await scope.tempDir()}/s.sock`;
  await assert.rejects(serve({ path, spin: 10 }, () => ""), /spin needs transport: "native"/);
  await assert.rejects(serve({ path, transport: "native", spin: -1 }, () => ""), RangeError);
  await assert.rejects(connect({ path, transport: "native", spin: 1.5 }), TypeError);
  const [a, b] = UnixSocket.pair();
  using _a = a;
  using _b = b;
  await using _server = await serve({ path, transport: "native", spin: 20 }, async (req) => {
    using s = UnixSocket.fromFd(req.fds[0]!.take());
    await s.send(new Uint8Array([5]));
    return "sent";
  });
  await using client = await connect({ path, transport: "native", spin: 20 });
  assert.equal(dec(await client.request("fd", "x", { fds: [a] })), "sent");
  assert.deepEqual((await b.receive())!.data, new Uint8Array([5]));
});
