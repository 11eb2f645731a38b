// Copyright 2026 the @ipc/linux authors. MIT license.
// Each side's maxFrameSize is respected by the other (PROTOCOL.md §1: a side
// MUST NOT send a frame larger than its peer accepts), against a server in
// another process: a frame that does not fit is refused locally, and the
// connection and the requests in flight on it live on.
import assert from "node:assert/strict";
import { ipcTest } from "../_helpers/mod.ts";
import { connect, ErrorCode, type NotificationEvent, RemoteError } from "../../uds/mod.ts";
import { serverPeer } from "./_server_peer.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

ipcTest(
  "uds limits: a notification over the server's maxFrameSize is a RangeError, not a lost connection",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await serverPeer(path, "--max-frame", "4096");
    await using client = await connect({ path });
    const inflight = client.request("sleep", "200").then(text, (err) => err);
    // 10 + 1 + 3 + 4083 = 4097 bytes: one over the limit.
    await assert.rejects(client.notify("big", new Uint8Array(4083)), RangeError);
    assert.equal(await inflight, "slept");
    await client.notify("big", new Uint8Array(4082)); // exactly 4096 bytes
    assert.equal(text(await client.request("echo", "alive")), "alive");
    assert.equal(client.state, "ready");
  },
);

ipcTest(
  "uds limits: a broadcast over a client's maxFrameSize skips that client, which lives on",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using server = await serverPeer(path);
    await using client = await connect({ path, maxFrameSize: 1024 });
    const got: number[] = [];
    client.addEventListener(
      "notification",
      (e) => got.push((e as NotificationEvent).payload.length),
    );
    const inflight = client.request("sleep", "200").then(text, (err) => err);
    await client.request("echo", "sync");
    await server.send(`broadcast big ${"x".repeat(2000)}`);
    await server.expect("broadcasted");
    await server.send(`broadcast small ${"y".repeat(100)}`);
    await server.expect("broadcasted");
    assert.equal(await inflight, "slept");
    assert.deepEqual(got, [100]);
    assert.equal(client.state, "ready");
  },
);

ipcTest(
  "uds limits: a handler error message over the client's maxFrameSize arrives cut to fit",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await serverPeer(path);
    await using client = await connect({ path, maxFrameSize: 1024 });
    const inflight = client.request("sleep", "200").then(text, (err) => err);
    // The handler throws `boom: ${payload}`: 2207 bytes of message; 1012 fit,
    // and the cut falls inside a 3-byte character.
    const payload = "x".repeat(1001) + "€".repeat(400);
    await assert.rejects(client.request("throw", payload), (err) => {
      assert.ok(err instanceof RemoteError, `got ${err}`);
      assert.equal(err.code, ErrorCode.HANDLER_ERROR);
      const bytes = new TextEncoder().encode(err.message).length;
      assert.ok(bytes <= 1024 - 12 && bytes > 1000, `${bytes} bytes of message`);
      assert.ok(`boom: ${payload}`.startsWith(err.message));
      return true;
    });
    assert.equal(await inflight, "slept");
    assert.equal(client.state, "ready");
  },
);
