// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Every readiness wait of a Node.js or Bun process shares one epoll
 * instance: a wait that starts while another is parked is served at once, an
 * aborted wait leaves the others waiting, and once nobody waits nothing
 * keeps the process alive.
 */
import assert from "node:assert/strict";
import { UnixListener } from "../../uds/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";
import { spawnRuntime } from "../_helpers/npm.ts";

const enc = new TextEncoder();

for (const runtime of ["node", "bun"] as const) {
  ipcTest(
    `npm/${runtime}: waits on two sockets: one served while the other waits, abort, natural exit`,
    async (_t, scope) => {
      const path = `${await scope.tempDir()}/waits.sock`;
      await using listener = await UnixListener.listen(path);
      await using peer = await spawnRuntime(runtime, "npm_waits.mjs", [path]);
      // The backlog is served in order: "a" connects first.
      using a = await listener.accept();
      using b = await listener.accept();
      assert.equal(await peer.line(), "connected");
      assert.equal(await peer.line(), "waiting");
      await b.send(enc.encode("to-b"));
      assert.equal(await peer.line(), "b:to-b a:stop");
      await a.send(enc.encode("to-a"));
      assert.equal(await peer.line(), "a:to-a");
      assert.equal((await peer.status()).code, 0, peer.stderr);
    },
  );
}
