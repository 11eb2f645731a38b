// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * @ipc/linux/uds from the built npm package on Node.js and Bun, talking to
 * Deno processes over a Unix socket path and over TCP, in both directions.
 */
import assert from "node:assert/strict";
import { connect, RemoteError } from "../../uds/mod.ts";
import { ipcTest, type Peer, spawnDeno } from "../_helpers/mod.ts";
import { runRuntime, spawnRuntime } from "../_helpers/npm.ts";

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/** The address argument for a fixture, and where the server really listens. */
async function listening(
  peer: Peer,
): Promise<{ arg: string; where: { path: string } | { port: number } }> {
  const line = await peer.expect("listening ");
  const addr = JSON.parse(line.slice("listening ".length));
  return addr.transport === "unix"
    ? { arg: addr.path, where: { path: addr.path } }
    : { arg: `tcp:${addr.port}`, where: { port: addr.port } };
}

for (const runtime of ["node", "bun"] as const) {
  for (const transport of ["unix", "tcp"] as const) {
    ipcTest(`npm/${runtime} client → deno server over ${transport}`, async (_t, scope) => {
      const address = transport === "unix" ? `${await scope.tempDir()}/d.sock` : "tcp:0";
      await using server = spawnDeno("uds_server.ts", [address]);
      const { arg } = await listening(server);
      const out = await runRuntime(runtime, "npm_uds_client.mjs", ["calls", arg]);
      assert.equal(out.code, 0, out.stderr);
      const r = JSON.parse(out.stdout);
      assert.equal(r.runtime, runtime);
      assert.equal(r.hello, `hello from ${runtime} ${r.pid}`);
      assert.deepEqual(r.bytes, [0, 255, 7, 128]);
      assert.equal(r.big, true);
      assert.equal(r.parallel, true);
      assert.equal(r.serverPid, server.pid);
      assert.deepEqual(r.remote, { isRemoteError: true, code: 4001, message: "quota exceeded" });
      assert.equal(r.state, "closed");
      assert.equal(await server.line(), `notified note from ${runtime}`);
      await server.send("shutdown");
      assert.equal(await server.line(), "finished");
      assert.equal((await server.status()).code, 0);
    });

    ipcTest(`npm/deno client → ${runtime} server over ${transport}`, async (_t, scope) => {
      const address = transport === "unix" ? `${await scope.tempDir()}/n.sock` : "tcp:0";
      const args = transport === "unix" ? [address, "--peer"] : [address];
      await using server = await spawnRuntime(runtime, "npm_uds_server.mjs", args);
      const { where } = await listening(server);
      {
        await using client = await connect(where);
        assert.equal(decode(await client.request("echo", "hello from deno")), "hello from deno");
        const big = new Uint8Array(1 << 20).map((_, i) => i % 251);
        assert.deepEqual(await client.request("echo", big), big);
        const replies = await Promise.all(
          Array.from({ length: 100 }, (_, i) => client.request("echo", `r${i}`).then(decode)),
        );
        assert.deepEqual(replies, Array.from({ length: 100 }, (_, i) => `r${i}`));
        const who = JSON.parse(decode(await client.request("whoami")));
        assert.deepEqual(who, { runtime, pid: server.pid });
        await assert.rejects(
          client.request("app-error"),
          (err) =>
            err instanceof RemoteError && err.code === 4001 && err.message === "quota exceeded",
        );
        // Peer credentials (SO_PEERCRED) on Unix sockets; none over TCP.
        const peer = JSON.parse(decode(await client.request("peer")));
        if (transport === "unix") {
          assert.deepEqual(peer, { pid: Deno.pid, uid: Deno.uid(), gid: Deno.gid() });
        } else {
          assert.equal(peer, null);
        }
        await client.notify("note", "from deno");
        assert.equal(await server.line(), "notified note from deno");
      }
      await server.send("shutdown");
      assert.equal(await server.line(), "finished");
      assert.equal((await server.status()).code, 0);
      if (transport === "unix") {
        // The server removed its socket file on shutdown.
        await assert.rejects(Deno.lstat(address), Deno.errors.NotFound);
      }
    });
  }
}

ipcTest("npm/node client → bun server and bun client → node server", async (_t, scope) => {
  const dir = await scope.tempDir();
  for (const [server, client] of [["bun", "node"], ["node", "bun"]] as const) {
    await using peer = await spawnRuntime(server, "npm_uds_server.mjs", [`${dir}/${server}.sock`]);
    const { arg } = await listening(peer);
    const out = await runRuntime(client, "npm_uds_client.mjs", ["calls", arg]);
    assert.equal(out.code, 0, out.stderr);
    const r = JSON.parse(out.stdout);
    assert.equal(r.hello, `hello from ${client} ${r.pid}`);
    assert.deepEqual(r.bytes, [0, 255, 7, 128]);
    assert.equal(r.big, true);
    assert.equal(r.parallel, true);
    assert.equal(r.serverPid, peer.pid);
    assert.deepEqual(r.remote, { isRemoteError: true, code: 4001, message: "quota exceeded" });
    assert.equal(await peer.line(), `notified note from ${client}`);
    await peer.send("shutdown");
    assert.equal(await peer.line(), "finished");
  }
});

ipcTest("npm/node: misuse of a client rejects clearly", async (_t, scope) => {
  const address = `${await scope.tempDir()}/m.sock`;
  await using server = spawnDeno("uds_server.ts", [address]);
  await listening(server);
  const out = await runRuntime("node", "npm_uds_client.mjs", ["misuse", address]);
  assert.equal(out.code, 0, out.stderr);
  const r = JSON.parse(out.stdout);
  assert.equal(r.before, "still open");
  assert.equal(r.after.threw, true);
  assert.equal(r.after.closedError, true);
  assert.match(r.after.message, /closed/i);
  assert.equal(r.badPort.rangeError, true);
  assert.match(r.badPort.message, /port 70000/);
  assert.equal(r.bothGiven.typeError, true);
  assert.deepEqual(
    { notFound: r.missing.notFound, code: r.missing.code },
    { notFound: true, code: "ENOENT" },
  );
  assert.match(r.missing.message, /^No such file or directory \(os error 2\): connect "/);
  await server.send("shutdown");
  assert.equal(await server.line(), "finished");
});

ipcTest("npm/node: a server refuses a path a live Deno server owns", async (_t, scope) => {
  const address = `${await scope.tempDir()}/busy.sock`;
  await using deno = spawnDeno("uds_server.ts", [address]);
  await listening(deno);
  await using node = await spawnRuntime("node", "npm_uds_server.mjs", [address]);
  const status = await node.status();
  assert.notEqual(status.code, 0);
  assert.match(node.stderr, /AlreadyExists: Address in use: a server is listening on/);
  // The Deno server still answers on its socket.
  await using client = await connect({ path: address });
  assert.equal(decode(await client.request("echo", "alive")), "alive");
  await deno.send("shutdown");
  assert.equal(await deno.line(), "finished");
});

for (const runtime of ["node", "bun"] as const) {
  ipcTest(
    `npm/${runtime}: serve() fails clearly, with the library's error classes`,
    async (_t, scope) => {
      const dir = await scope.tempDir();
      const out = await runRuntime(runtime, "npm_uds_serve_errors.mjs", [dir]);
      assert.equal(out.code, 0, out.stderr);
      const r = JSON.parse(out.stdout);
      assert.equal(r.missingDir.kind, "NotFound");
      assert.equal(r.missingDir.code, "ENOENT");
      assert.match(r.missingDir.message, /^No such file or directory \(os error 2\): mkdir "/);
      assert.equal(r.regularFile.kind, "AlreadyExists");
      assert.match(r.regularFile.message, /not a socket/);
      assert.equal(r.longPath.kind, "RangeError");
      assert.match(r.longPath.message, /longer than sun_path allows/);
      assert.equal(r.noHandler.kind, "TypeError");
      assert.equal(r.badMode.kind, "RangeError");
      // Nothing was left behind but the plain file.
      const left = [];
      for await (const e of Deno.readDir(dir)) left.push(e.name);
      assert.deepEqual(left, ["plain"]);
    },
  );
}

ipcTest(
  "npm/node: a server out of descriptors (accept fails with EMFILE) keeps running and serves once it has them again",
  async (_t, scope) => {
    const address = `${await scope.tempDir()}/emfile.sock`;
    await using server = await spawnRuntime("node", "npm_uds_server.mjs", [address]);
    await listening(server);
    const limit = async (nofile: number) => {
      const out = await new Deno.Command("prlimit", {
        args: ["--pid", String(server.pid), `--nofile=${nofile}:`],
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    };
    // No descriptor left: every accept fails, and Node reports each failure
    // as an "error" event on the listening server.
    await limit([...Deno.readDirSync(`/proc/${server.pid}/fd`)].length);
    for (let i = 0; i < 5; i++) {
      try {
        (await Deno.connect({ transport: "unix", path: address })).close();
      } catch (err) {
        // Once its backlog is full the socket refuses connections.
        assert.ok(err instanceof Deno.errors.ConnectionRefused, String(err));
      }
    }
    await new Promise((r) => setTimeout(r, 200));
    await limit(1024);
    await using client = await connect({ path: address });
    assert.equal(decode(await client.request("echo", "still here")), "still here");
    await client.close();
    await server.send("shutdown");
    assert.equal(await server.line(), "finished");
    assert.equal((await server.status()).code, 0);
  },
);
