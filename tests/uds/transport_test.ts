// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { connect, serve } from "../../uds/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";
import { serverPeer } from "./_server_peer.ts";

ipcTest(
  "uds transport: a path with a lone surrogate is refused before any syscall",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    for (const lone of ["\uD800", "\uDC00", "a\uDBFFb"]) {
      const path = `${dir}/s${lone}.sock`;
      await assert.rejects(serve({ path }, () => ""), (err: Error) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.match(err.message, /Cannot serve: path .* lone surrogate/);
        return true;
      });
      await assert.rejects(connect({ path }), (err: Error) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.match(err.message, /Cannot connect: path .* lone surrogate/);
        return true;
      });
    }
    // Nothing was bound: not even the U+FFFD-mangled name.
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  },
);

ipcTest("uds transport: a well-formed non-ASCII path still works", async (_t, scope) => {
  const path = `${await scope.tempDir()}/é\u{1F600}.sock`;
  await using _server = await serverPeer(path);
  await using client = await connect({ path });
  assert.equal(new TextDecoder().decode(await client.request("echo", "ok")), "ok");
});

ipcTest("uds transport: connecting to a missing socket names the path", async (_t, scope) => {
  const path = `${await scope.tempDir()}/missing.sock`;
  await assert.rejects(connect({ path }), (err: Error & { code?: string }) => {
    assert.ok(err instanceof Deno.errors.NotFound, String(err));
    assert.equal(err.code, "ENOENT");
    assert.equal(
      err.message,
      `No such file or directory (os error 2): connect ${JSON.stringify(path)}`,
    );
    return true;
  });
});

ipcTest("uds transport: a refused TCP connection names the address", async () => {
  // Find a free port, then close it: nobody listens there.
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  await assert.rejects(connect({ port }), (err: Error & { code?: string }) => {
    assert.ok(err instanceof Deno.errors.ConnectionRefused, String(err));
    assert.equal(err.code, "ECONNREFUSED");
    assert.match(err.message, new RegExp(`: connect "127\\.0\\.0\\.1:${port}"$`));
    return true;
  });
});
