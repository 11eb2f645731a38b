// Copyright 2026 the @ipc/linux authors. MIT license.
// ServerConnection: one client connection as the server sees it, with the
// clients in other processes.
import assert from "node:assert/strict";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { connect, ConnectionClosedError, serve, type ServerConnection } from "../../uds/mod.ts";

ipcTest(
  "ServerConnection: id, state, remoteAddr, inFlight, and close() ending it (finished)",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/conn.sock`;
    const connections: ServerConnection[] = [];
    const handling = Promise.withResolvers<ServerConnection>();
    const release = Promise.withResolvers<void>();
    await using server = await serve(
      { path, onConnection: (c) => connections.push(c) },
      async (req, ctx) => {
        handling.resolve(ctx.connection);
        await release.promise;
        return req.payload;
      },
    );
    await using a = spawnDeno("uds_client.ts", ["hold", path]);
    await a.expect("connected");
    await using b = spawnDeno("uds_client.ts", ["hold", path]);
    await b.expect("connected");
    assert.equal(connections.length, 2);
    const [first, second] = connections as [ServerConnection, ServerConnection];
    assert.notEqual(first.id, second.id);
    assert.equal(first.state, "ready");
    assert.equal(first.closed, false);
    assert.deepEqual(first.remoteAddr, { transport: "unix", path: "" });
    assert.equal(first.inFlight, 0);
    // A request being handled counts until it is answered.
    await using client = await connect({ path });
    const reply = client.request("echo", "x");
    const third = await handling.promise;
    assert.equal(third.inFlight, 1);
    release.resolve();
    await reply;
    assert.equal(third.inFlight, 0);
    // close() ends one connection at once; the others keep being served.
    first.close();
    await first.finished;
    assert.equal(first.closed, true);
    assert.equal(first.state, "closed");
    assert.deepEqual(new Set(server.connections), new Set([second, third]));
    // A client that dies ends its connection too.
    b.kill("SIGKILL");
    await b.status();
    await second.finished;
    assert.deepEqual([...server.connections], [third]);
  },
);

ipcTest(
  "ServerConnection: peer reports the client process's pid, uid and gid (peerCredentials)",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/cred.sock`;
    const peers: Array<{ pid: number; uid: number; gid: number } | undefined> = [];
    await using server = await serve(
      { path, peerCredentials: true },
      (req, ctx) => (peers.push(ctx.connection.peer), req.payload),
    );
    assert.equal((await Deno.lstat(path)).mode! & 0o777, 0o600);
    await using peer = spawnDeno("uds_client.ts", ["load", path, "2", "20"]);
    assert.equal(await peer.line(), JSON.stringify({ ok: 40, bad: 0 }));
    assert.equal((await peer.status()).code, 0);
    assert.equal(peers.length, 40);
    for (const p of peers) {
      assert.deepEqual(p, { pid: peer.pid, uid: Deno.uid(), gid: Deno.gid() });
    }
    // The node:net transport also speaks to the Python reference client and to TCP.
    await using tcp = await serve({ port: 0, peerCredentials: true }, (req) => req.payload);
    const port = tcp.addr.transport === "tcp" ? tcp.addr.port : 0;
    await using client = await connect({ port });
    assert.equal(new TextDecoder().decode(await client.request("echo", "tcp")), "tcp");
    assert.equal([...tcp.connections][0]!.peer, undefined);
    await server.shutdown();
    await assert.rejects(Deno.lstat(path), Deno.errors.NotFound);
  },
);

ipcTest(
  "ServerConnection: notify after the server said GOODBYE rejects with ConnectionClosedError",
  async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => arrived = resolve);
    let notified: unknown = "not called";
    const server = await serve({ port: 0 }, async (req, ctx) => {
      arrived();
      // No event tells a handler its connection said GOODBYE: look, with a deadline.
      const deadline = Date.now() + 10_000;
      while (ctx.connection.state !== "closing") {
        assert.ok(Date.now() < deadline, "the connection never started closing");
        await new Promise((r) => setTimeout(r, 5));
      }
      notified = await ctx.connection.notify("late", "x").then(() => "resolved", (err) => err);
      return req.payload;
    });
    const port = server.addr.transport === "tcp" ? server.addr.port : 0;
    await using peer = spawnDeno("uds_client.ts", ["load", `tcp:${port}`, "1", "1"]);
    await requestArrived;
    await server.shutdown(); // the request in flight is still answered
    assert.equal(await peer.line(), JSON.stringify({ ok: 1, bad: 0 }));
    assert.ok(notified instanceof ConnectionClosedError, `got ${notified}`);
  },
);
