// Copyright 2026 the @ipc/linux authors. MIT license.
// The client's handshake against hand-written servers in another process:
// what arrives with the ACCEPT, and closing while a reconnection handshakes.
import assert from "node:assert/strict";
import { ipcTest } from "../_helpers/mod.ts";
import { connect, ConnectionClosedError } from "../../uds/mod.ts";
import { rawServer, serverPeer } from "./_server_peer.ts";

ipcTest(
  "uds client: a frame over 256 bytes in the same read as the ACCEPT is accepted",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await rawServer("accept-notify", path);
    // The server's limit of 256 bytes ends with the ACCEPT, even when the
    // server's next frame (here a 1000-byte NOTIFY) arrives in the same read.
    // (The NOTIFY is dispatched before connect() resolves: nobody listens yet.)
    const client = await connect({ path });
    assert.equal(client.state, "ready");
    await client.close();
    assert.equal(client.state, "closed");
  },
);

ipcTest(
  "uds client: close() during a reconnection's handshake does not wait out the backoff",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    const first = await serverPeer(path);
    scope.defer(() => first[Symbol.asyncDispose]());
    // After the failed attempt, the next one would wait 2 * initialDelay.
    const initialDelay = 1500;
    const client = await connect({ path, reconnect: { initialDelay, maxDelay: 60_000 } });
    first.kill("SIGKILL");
    await first.status();
    await Deno.remove(path); // the stale socket file
    await using mute = await rawServer("mute", path);
    await mute.expect("accepted"); // the client's attempt, now waiting for an ACCEPT
    assert.equal(client.state, "reconnecting");
    const start = performance.now();
    await client.close();
    const elapsed = performance.now() - start;
    assert.equal(client.state, "closed");
    assert.ok(elapsed < initialDelay, `close() took ${elapsed.toFixed(0)} ms`);
  },
);

ipcTest(
  "uds client: an ACCEPT of a version the client did not offer fails connect()",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using server = await rawServer("accept-v9", path);
    await assert.rejects(connect({ path }), /version 9, outside the offered 1\.\.1/);
    // The client told the server why before closing.
    assert.equal(await server.line(), 'then ["error"]');
  },
);

ipcTest(
  "uds client: an ERROR(0) in the same read as the ACCEPT fails connect() instead of leaving a dead client ready",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using server = await rawServer("accept-error", path);
    await assert.rejects(connect({ path }), (err) => {
      assert.ok(err instanceof ConnectionClosedError, String(err));
      assert.match(err.message, /not allowed/);
      return true;
    });
    await server.expect("failed 1");
  },
);

ipcTest(
  "uds client: a reconnection answered with ACCEPT and ERROR(0) together is retried, not taken as ready",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    const first = await serverPeer(path);
    scope.defer(() => first[Symbol.asyncDispose]());
    const client = await connect({ path, reconnect: { initialDelay: 10, maxDelay: 50 } });
    first.kill("SIGKILL");
    await first.status();
    await Deno.remove(path); // the stale socket file
    await using server = await rawServer("accept-error", path);
    await server.expect("failed 2", 5000); // a second attempt after the dead first one
    assert.equal(client.state, "reconnecting");
    await client.close();
    assert.equal(client.state, "closed");
  },
);

ipcTest(
  "uds client: a GOODBYE in the same read as the ACCEPT leaves the client closing, not ready",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await rawServer("accept-goodbye", path);
    const client = await connect({ path });
    assert.notEqual(client.state, "ready");
    await assert.rejects(client.request("x"), /the client is (closing|closed)/);
    await client.close();
    assert.equal(client.state, "closed");
  },
);
