// Copyright 2026 the @ipc/linux authors. MIT license.
// The server's socket file: who may own a path, and when a live server is refused.
import assert from "node:assert/strict";
import { ipcTest, runDeno, spawnProgram } from "../_helpers/mod.ts";
import { serve, type Server } from "../../uds/mod.ts";
import { serverPeer } from "./_server_peer.ts";

/**
 * Starts two servers on `path` at once; returns the one serving, how many
 * requests it handled, and the other's failure.
 */
async function race(path: string) {
  const handled = [0, 0];
  const results = await Promise.allSettled([0, 1].map((i) =>
    serve({ path }, (req) => {
      handled[i]!++;
      return req.payload;
    })
  ));
  const served = results.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
  if (served.length !== 1) { for (const s of served) await s.shutdown(); }
  assert.equal(served.length, 1, "both servers claimed the path: one of them is unreachable");
  const index = results.findIndex((r) => r.status === "fulfilled");
  const failure = (results[1 - index] as PromiseRejectedResult).reason;
  return { winner: served[0] as Server, handled: () => handled[index], failure };
}

ipcTest(
  "uds server: of two servers starting at once on one path, one serves and the other gets AlreadyExists",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    // A fresh path, then a stale socket file left by a killed server.
    const fresh = `${dir}/fresh.sock`;
    const stale = `${dir}/stale.sock`;
    const killed = await serverPeer(stale);
    killed.kill("SIGKILL");
    await killed[Symbol.asyncDispose]();
    assert.ok((await Deno.lstat(stale)).isSocket);
    for (const path of [fresh, stale]) {
      const { winner, handled, failure } = await race(path);
      assert.ok(failure instanceof Deno.errors.AlreadyExists, `got ${failure}`);
      // A client in another process reaches the server that won.
      const out = await runDeno("uds_client.ts", ["load", path, "1", "3"]);
      assert.equal(out.stdout.trim(), JSON.stringify({ ok: 3, bad: 0 }), out.stderr);
      assert.equal(handled(), 3);
      await winner.shutdown();
      await assert.rejects(Deno.lstat(path), Deno.errors.NotFound);
      // No temporary directory is left behind by the server that lost.
      const left = [...Deno.readDirSync(dir)].map((e) => e.name);
      assert.deepEqual(left.filter((name) => name.startsWith(".")), []);
    }
  },
);

ipcTest(
  "uds server: an abstract socket a live server owns is refused with AlreadyExists",
  async () => {
    const path = `\0ipc-test-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
    for (const peerCredentials of [false, true]) {
      await using server = await serve({ path, peerCredentials }, () => "owner");
      await assert.rejects(serve({ path, peerCredentials }, () => {}), Deno.errors.AlreadyExists);
      assert.equal(server.closed, false);
    }
  },
);

// A server that stopped accepting: its listen backlog is full (Python, backlog 0).
const HUNG_SERVER = `
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(0)
held = []
while True:
    c = socket.socket(socket.AF_UNIX); c.setblocking(False)
    try: c.connect(sys.argv[1]); held.append(c)
    except BlockingIOError: break
print("full", flush=True)
time.sleep(60)
`;

ipcTest(
  "uds server: a live server whose backlog is full is refused with AlreadyExists, its file kept",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/hung.sock`;
    await using hung = spawnProgram("python3", ["-u", "-c", HUNG_SERVER, path]);
    await hung.expect("full");
    for (const peerCredentials of [false, true]) {
      await assert.rejects(serve({ path, peerCredentials }, () => {}), Deno.errors.AlreadyExists);
      assert.ok((await Deno.lstat(path)).isSocket);
    }
  },
);

ipcTest("uds server: a bad shutdown timeout is reported as a shutdown error", async () => {
  await using server = await serve({ port: 0 }, () => {});
  assert.throws(
    () => server.shutdown({ timeout: -1 }),
    /^RangeError: Cannot shut down: timeout -1/,
  );
  assert.equal(server.closed, false);
});

ipcTest(
  "uds server: a relative path's socket file is removed at shutdown after a chdir",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    const cwd = Deno.cwd();
    Deno.chdir(dir);
    let server;
    try {
      server = await serve({ path: "rel.sock" }, () => "");
    } finally {
      Deno.chdir(cwd);
    }
    assert.deepEqual(server.addr, { transport: "unix", path: "rel.sock" });
    await server.shutdown();
    await assert.rejects(Deno.lstat(`${dir}/rel.sock`), Deno.errors.NotFound);
  },
);
