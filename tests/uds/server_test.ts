// Copyright 2026 the @ipc/linux authors. MIT license.
// The server in this process; clients in other processes.
import assert from "node:assert/strict";
import { ipcTest, run, spawnDeno } from "../_helpers/mod.ts";
import { connect, ErrorCode, RemoteError, serve, type ServerConnection } from "../../uds/mod.ts";
import { serverPeer } from "./_server_peer.ts";

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;

function loadClients(address: string, processes: number, clients: number, requests: number) {
  return Promise.all(Array.from({ length: processes }, async () => {
    const out = await run(Deno.execPath(), [
      "run",
      "-A",
      FIXTURES + "uds_client.ts",
      "load",
      address,
      String(clients),
      String(requests),
    ]);
    assert.equal(out.code, 0, out.stderr);
    return JSON.parse(out.stdout) as { ok: number; bad: number };
  }));
}

ipcTest(
  "uds server: 200 concurrent clients x 500 requests, every reply matched",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/load.sock`;
    let handled = 0;
    let peak = 0;
    await using server = await serve({ path }, (req) => {
      handled++;
      peak = Math.max(peak, server.connections.size);
      return req.payload;
    });
    const results = await loadClients(path, 4, 50, 500);
    assert.deepEqual(results, Array(4).fill({ ok: 25_000, bad: 0 }));
    assert.equal(handled, 100_000);
    assert.ok(peak > 100, `only ${peak} clients were connected at once`);
  },
);

ipcTest("uds server: the same load over TCP", async () => {
  const peers: string[] = [];
  await using server = await serve({
    port: 0,
    onConnection: (c) => peers.push(JSON.stringify(c.remoteAddr)),
  }, (req) => req.payload);
  const port = server.addr.transport === "tcp" ? server.addr.port : 0;
  const results = await loadClients(`tcp:${port}`, 2, 10, 200);
  assert.deepEqual(results, Array(2).fill({ ok: 2000, bad: 0 }));
  assert.equal(peers.length, 20);
  assert.ok(peers.every((p) => p.includes('"transport":"tcp","hostname":"127.0.0.1"')), peers[0]);
});

ipcTest(
  "uds server: a peer killed mid-frame leaves the server serving others",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/kill.sock`;
    await using server = await serve({ path }, (req) => req.payload);
    await using victim = spawnDeno("uds_client.ts", ["midframe", path]);
    await victim.expect("partial");
    assert.equal(server.connections.size, 1);
    const [dead] = server.connections;
    victim.kill("SIGKILL");
    await victim.status();
    await using client = await connect({ path });
    assert.equal(new TextDecoder().decode(await client.request("echo", "alive")), "alive");
    // The dead connection is gone (its half frame freed with it).
    await dead!.finished;
    assert.equal(server.connections.size, 1);
  },
);

ipcTest(
  "uds server: shutdown drains requests in flight from another process",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/drain.sock`;
    let started = 0;
    const allStarted = Promise.withResolvers<void>();
    let release!: () => void;
    const gate = new Promise<void>((r) => release = r);
    const server = await serve({ path }, async (req) => {
      if (++started === 4 * 16) allStarted.resolve();
      await gate;
      return req.payload;
    });
    const clients = loadClients(path, 1, 4, 16);
    await allStarted.promise;
    const done = server.shutdown();
    release();
    await done;
    await server.finished;
    assert.deepEqual(await clients, [{ ok: 64, bad: 0 }]);
    await assert.rejects(Deno.lstat(path), Deno.errors.NotFound);
  },
);

ipcTest("uds server: handler signal fires when the client disconnects", async (_t, scope) => {
  const path = `${await scope.tempDir()}/abort.sock`;
  let aborted: unknown;
  const seen = Promise.withResolvers<ServerConnection>();
  await using _server = await serve({ path }, (_req, ctx) =>
    new Promise((resolve) => {
      seen.resolve(ctx.connection);
      ctx.signal.addEventListener("abort", () => {
        aborted = ctx.signal.reason;
        resolve("late");
      });
    }));
  await using peer = spawnDeno("uds_client.ts", ["load", path, "1", "1"]);
  const connection = await seen.promise;
  peer.kill("SIGKILL");
  await peer.status();
  await connection.finished;
  assert.equal((aborted as Error).name, "ConnectionClosedError");
});

ipcTest(
  "uds server: a live socket is refused, a stale one replaced, the mode set",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/owned.sock`;
    const other = await serverPeer(path);
    await assert.rejects(serve({ path }, () => {}), Deno.errors.AlreadyExists);
    other.kill("SIGKILL");
    await other.status();
    await other[Symbol.asyncDispose]();
    assert.ok((await Deno.lstat(path)).isSocket); // stale file left by the killed server
    {
      await using server = await serve({ path, mode: 0o660 }, () => "new");
      assert.equal((await Deno.lstat(path)).mode! & 0o777, 0o660);
      await using client = await connect({ path });
      assert.equal(new TextDecoder().decode(await client.request("who")), "new");
      assert.deepEqual(server.addr, { transport: "unix", path });
    }
    await assert.rejects(Deno.lstat(path), Deno.errors.NotFound);
    // The default mode is 0o600 whatever the umask.
    const file = `${path}.default`;
    {
      await using _server = await serve({ path: file }, () => {});
      assert.equal((await Deno.lstat(file)).mode! & 0o777, 0o600);
    }
    // A regular file is never replaced.
    await Deno.writeTextFile(file, "data");
    await assert.rejects(serve({ path: file }, () => {}), Deno.errors.AlreadyExists);
    assert.equal(await Deno.readTextFile(file), "data");
  },
);

ipcTest("uds server: bad options throw before any syscall", async () => {
  await assert.rejects(serve({ path: "/tmp/" + "y".repeat(103) }, () => {}), RangeError);
  await assert.rejects(serve({ path: "/tmp/x.sock" }, "no" as never), TypeError);
  await assert.rejects(serve({ path: "/tmp/x.sock", mode: 0o1777 }, () => {}), RangeError);
  await assert.rejects(serve({ path: "/tmp/x.sock", maxConnections: 0 }, () => {}), RangeError);
  await assert.rejects(serve({ path: "a\0b" }, () => {}), TypeError);
});

ipcTest(
  "uds server: maxConnections refuses the next client with SERVER_BUSY",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/busy.sock`;
    await using server = await serve({ path, maxConnections: 1 }, () => "ok");
    await using holder = spawnDeno("uds_client.ts", ["hold", path]);
    await holder.expect("connected");
    await assert.rejects(connect({ path }), (err) => {
      assert.ok(err instanceof RemoteError);
      assert.equal(err.code, ErrorCode.SERVER_BUSY);
      return true;
    });
    assert.equal(server.connections.size, 1);
  },
);

ipcTest("uds server: abstract sockets work and leave no file", async () => {
  const path = `\0ipc-test-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  await using server = await serve({ path }, (req) => req.payload);
  await using client = await connect({ path });
  assert.equal((await client.request("echo", new Uint8Array(3))).length, 3);
  assert.deepEqual([...server.connections][0]!.remoteAddr, { transport: "unix", path: "" });
});

ipcTest("uds server: 1 MiB payloads round-trip intact", async (_t, scope) => {
  const path = `${await scope.tempDir()}/big.sock`;
  await using _server = await serverPeer(path);
  await using client = await connect({ path });
  const big = crypto.getRandomValues(new Uint8Array(65536));
  const payload = new Uint8Array(1 << 20);
  for (let i = 0; i < 16; i++) payload.set(big, i * 65536);
  const replies = await Promise.all([1, 2, 3].map(() => client.request("echo", payload)));
  for (const r of replies) assert.deepEqual(r, payload);
});

ipcTest("uds server: aborting the serve signal shuts the server down", async (_t, scope) => {
  const path = `${await scope.tempDir()}/sig.sock`;
  const ac = new AbortController();
  const server = await serve({ path, signal: ac.signal }, (req) => req.payload);
  await using peer = spawnDeno("uds_client.ts", ["load", path, "1", "10"]);
  assert.equal(await peer.line(), JSON.stringify({ ok: 10, bad: 0 }));
  ac.abort();
  await server.finished;
  assert.equal(server.closed, true);
  await assert.rejects(Deno.lstat(path), Deno.errors.NotFound);
  await assert.rejects(serve({ path, signal: AbortSignal.abort() }, () => {}), DOMException);
});

ipcTest(
  "uds server: a serve signal aborted while the socket is being bound still shuts it down",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/sig.sock`;
    const ac = new AbortController();
    const serving = serve({ path, signal: ac.signal }, (req) => req.payload);
    ac.abort(); // serve() is binding the socket now
    const server = await serving;
    scope.defer(() => server.shutdown());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      server.finished.then(() => "finished"),
      new Promise((r) => timer = setTimeout(() => r("still serving after 5 s"), 5000)),
    ]);
    clearTimeout(timer);
    assert.equal(outcome, "finished");
    assert.equal(server.closed, true);
    await assert.rejects(Deno.lstat(path), Deno.errors.NotFound);
    // Nobody is served there any more.
    await using peer = spawnDeno("uds_client.ts", ["load", path, "1", "1"]);
    assert.notEqual((await peer.status()).code, 0);
  },
);

ipcTest(
  "uds server: over TCP a reply written right after a notification is not held back (no Nagle delay)",
  async (t) => {
    // Nagle's algorithm holds a small write while an earlier one is not
    // acknowledged, and the client delays its ACK (~40 ms on Linux).
    for (const peerCredentials of [false, true]) {
      await t.step(peerCredentials ? "node:net transport" : "Deno transport", async () => {
        await using server = await serve({ port: 0, peerCredentials }, async (_req, ctx) => {
          await ctx.connection.notify("progress", "50%");
          return "done";
        });
        const port = server.addr.transport === "tcp" ? server.addr.port : 0;
        await using client = await connect({ port });
        const times: number[] = [];
        for (let i = 0; i < 21; i++) {
          const start = performance.now();
          await client.request("work");
          times.push(performance.now() - start);
        }
        const median = times.sort((a, b) => a - b)[10]!;
        assert.ok(median < 20, `median round trip ${median.toFixed(1)} ms`);
      });
    }
  },
);
