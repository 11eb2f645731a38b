// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Descriptor passing with the npm package on Node.js (koffi) and Bun
 * (bun:ffi): the exchange of tests/uds/_fd_exchange.ts against
 * tests/fixtures/npm_fd_peer.mjs, installed like a user installs it.
 */
import assert from "node:assert/strict";
import { SharedMemory } from "../../shm/mod.ts";
import { UnixListener } from "../../uds/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";
import { runRuntime, spawnRuntime } from "../_helpers/npm.ts";
import { exchange, fdServer } from "../uds/_fd_exchange.ts";

for (const runtime of ["node", "bun"] as const) {
  ipcTest(`npm/${runtime}: UnixSocket passes descriptors to and from Deno`, async (_t, scope) => {
    const path = `${await scope.tempDir()}/fd.sock`;
    await using listener = await UnixListener.listen(path);
    await using peer = await spawnRuntime(runtime, "npm_fd_peer.mjs", [path, runtime]);
    await exchange(listener, peer, runtime);
  });
}

for (const runtime of ["node", "bun"] as const) {
  ipcTest(
    `npm/${runtime}: the framed protocol's FDS feature against a Deno server`,
    async (_t, scope) => {
      using shm = SharedMemory.anonymous(64);
      const path = `${await scope.tempDir()}/fds.sock`;
      await using _server = await fdServer(path, shm);
      const out = await runRuntime(runtime, "npm_fds_protocol.mjs", [path]);
      assert.equal(out.code, 0, out.stderr);
      assert.deepEqual(JSON.parse(out.stdout), {
        read: `from-${runtime}`.padEnd(11, "."),
        reply: "memfd",
        content: "from-deno",
        counted: "253",
      });
    },
  );
}
