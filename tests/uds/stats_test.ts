// Copyright 2026 the @ipc/linux authors. MIT license.
/** server.stats and client.stats, counted while the other end runs in another process. */
import assert from "node:assert/strict";
import { connect, RemoteError, serve, UnixSocket } from "../../uds/mod.ts";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { ipc } from "../cli/_ipc.ts";

ipcTest(
  "stats: a server counts connections, requests, errors and payload bytes",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/stats.sock`;
    await using server = await serve({ path }, (req) => {
      if (req.method === "refuse") throw new RemoteError(4001, "no");
      return `${req.text()}!`;
    });
    assert.deepEqual(server.stats, {
      connections: 0,
      requests: 0,
      errors: 0,
      notifications: 0,
      bytesReceived: 0,
      bytesSent: 0,
    });
    assert.equal((await ipc("call", path, "echo", "abc")).code, 0);
    assert.equal((await ipc("call", path, "refuse", "xy")).code, 4);
    assert.deepEqual(server.stats, {
      connections: 2,
      requests: 2,
      errors: 1,
      notifications: 0,
      bytesReceived: 5,
      bytesSent: 4,
    });
  },
);

ipcTest(
  "stats: a client counts requests, errors, notifications, bytes and reconnects",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/stats.sock`;
    const first = spawnDeno("uds_server.ts", [path]);
    await first.expect("listening ");
    await using client = await connect({ path, reconnect: { initialDelay: 10, maxDelay: 20 } });
    await client.request("echo", "hello");
    await assert.rejects(client.request("app-error"), RemoteError);
    await client.request("notify-me", "2"); // "tick 0", "tick 1", then "done"
    await client.notify("log", "abc");
    assert.deepEqual(client.stats, {
      requests: 3,
      errors: 1,
      notifications: 2,
      reconnects: 0,
      bytesSent: 5 + 0 + 1 + 3,
      bytesReceived: 5 + 2 + 4,
    });
    first.kill("SIGKILL");
    await first.status();
    await first[Symbol.asyncDispose]();
    await using second = spawnDeno("uds_server.ts", [path]);
    await second.expect("listening ");
    await client.request("echo", "", { signal: AbortSignal.timeout(10_000) }); // waits for the reconnect
    assert.equal(client.stats.reconnects, 1);
    await client.close();
    await second.send("shutdown");
    await second.expect("finished");
  },
);

ipcTest(
  "stats: a client on the native transport (FDS negotiated) counts every request",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/stats.sock`;
    const [a, b] = UnixSocket.pair();
    using _a = a;
    using _b = b;
    await using server = spawnDeno("spin_server.ts", [path]); // native, echoes
    await server.expect("ready");
    await using client = await connect({ path, transport: "native" });
    await client.request("echo", "ab");
    await client.request("echo", "cde", { fds: [a] });
    await client.requestWithFds("echo", "f");
    assert.equal(client.stats.requests, 3);
    assert.equal(client.stats.bytesSent, 6);
    assert.equal(client.stats.bytesReceived, 6);
  },
);
