// Copyright 2026 the @ipc/linux authors. MIT license.
// The native socket layer against hostile peers (tests/fixtures/hostile_peer.py
// and raw sockets): whatever a peer sends, no descriptor piles up or leaks, a
// clear error is raised, and other connections go on.
import assert from "node:assert/strict";
import { connect, serve } from "../../uds/mod.ts";
import { ipcTest, openFds, spawnPython } from "../_helpers/mod.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

ipcTest(
  "hostile: descriptors no frame claims do not pile up on a native framed connection",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/flood.sock`;
    await using _server = await serve(
      { path, transport: "native" },
      (req) => req.payload,
    );
    const before = openFds().size;
    // 20 one-byte writes of a frame head, each with 253 descriptors (5060 in all).
    await using peer = spawnPython("hostile_peer.py", [path, "fd-flood", "20"]);
    assert.deepEqual(JSON.parse(await peer.line()), { accepted: true });
    const sent = JSON.parse(await peer.line()).sent;
    assert.ok(sent >= 2, `sent ${sent}`);
    // At most a partial frame's and the next frame's descriptors are held.
    assert.ok(openFds().size - before <= 2 * 253 + 2, `${openFds().size - before} fds held`);
    // The server dropped the connection instead of holding the descriptors.
    assert.deepEqual(JSON.parse(await peer.line()), { reply: 0 });
    assert.equal((await peer.status()).code, 0, peer.stderr);
    // Other clients are served as before.
    await using client = await connect({ path, transport: "native" });
    assert.equal(dec(await client.request("echo", enc("still here"))), "still here");
  },
);
