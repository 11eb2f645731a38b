// Copyright 2026 the @ipc/linux authors. MIT license.
// The framed protocol over SOCK_SEQPACKET (serve/connect { transport: "native", type: "seqpacket" }).
import assert from "node:assert/strict";
import { connect, serve, UnixSocket } from "../../uds/mod.ts";
import { ipcTest, spawnPython } from "../_helpers/mod.ts";

const dec = (b: Uint8Array) => new TextDecoder().decode(b);

ipcTest("seqpacket protocol: a raw Python client gets one frame per packet", async (_t, scope) => {
  const path = `${await scope.tempDir()}/p.sock`;
  await using _server = await serve(
    { path, transport: "native", type: "seqpacket" },
    (req) => req.payload,
  );
  await using peer = spawnPython("seqpacket_client.py", [path]);
  assert.match(await peer.line(), /^accept 1 \d+$/);
  await peer.expect("responses ok");
  await peer.expect("done");
  assert.equal((await peer.status()).code, 0);
});

ipcTest(
  "seqpacket protocol: requests, large frames, descriptors, the frame limit",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/p.sock`;
    const [mine, theirs] = UnixSocket.pair();
    using _mine = mine;
    using _theirs = theirs;
    await using _server = await serve(
      { path, transport: "native", type: "seqpacket" },
      async (req) => {
        if (req.method !== "fd") return req.payload;
        using got = UnixSocket.fromFd(req.fds[0]!.take());
        await got.send(new Uint8Array([1]));
        return { payload: "with fd", fds: [theirs] };
      },
    );
    await using client = await connect({ path, transport: "native", type: "seqpacket" });
    assert.equal(dec(await client.request("echo", "hi")), "hi");
    const big = new Uint8Array(300_000).map((_, i) => i & 0xff);
    assert.deepEqual(await client.request("echo", big), big);
    const many = await Promise.all(
      Array.from({ length: 200 }, (_, i) => client.request("e", `${i}`)),
    );
    assert.deepEqual(many.map(dec), Array.from({ length: 200 }, (_, i) => `${i}`));
    // Descriptors (FDS) ride with their frame's packet, both ways.
    const [a, b] = UnixSocket.pair();
    using _b = b;
    const reply = await client.requestWithFds("fd", "x", { fds: [a] });
    a.close();
    assert.deepEqual((await b.receive())!.data, new Uint8Array([1]));
    using back = UnixSocket.fromFd(reply.fds[0]!.take());
    await back.send(new Uint8Array([9]));
    assert.deepEqual((await mine.receive())!.data, new Uint8Array([9]));
    // A frame that cannot be one packet is refused before it is sent.
    await assert.rejects(client.request("echo", new Uint8Array(64 << 20)), RangeError);
    assert.equal(dec(await client.request("echo", "still here")), "still here");
  },
);

ipcTest("seqpacket protocol: misuse is refused", async (_t, scope) => {
  const path = `${await scope.tempDir()}/p.sock`;
  await assert.rejects(serve({ path, type: "seqpacket" }, () => ""), /needs transport: "native"/);
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    serve({ path, transport: "native", type: "dgram" as any }, () => ""),
    TypeError,
  );
  await using _server = await serve({ path, transport: "native", type: "seqpacket" }, () => "");
  // A stream client cannot reach a seqpacket server (EPROTOTYPE).
  await assert.rejects(connect({ path, transport: "native" }));
});
