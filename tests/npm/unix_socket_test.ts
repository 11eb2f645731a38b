// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Descriptor passing with the npm package on Node.js (koffi) and Bun
 * (bun:ffi): the exchange of tests/uds/_fd_exchange.ts against
 * tests/fixtures/npm_fd_peer.mjs, installed like a user installs it.
 */
import { UnixListener } from "../../uds/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";
import { spawnRuntime } from "../_helpers/npm.ts";
import { exchange } from "../uds/_fd_exchange.ts";

for (const runtime of ["node", "bun"] as const) {
  ipcTest(`npm/${runtime}: UnixSocket passes descriptors to and from Deno`, async (_t, scope) => {
    const path = `${await scope.tempDir()}/fd.sock`;
    await using listener = await UnixListener.listen(path);
    await using peer = await spawnRuntime(runtime, "npm_fd_peer.mjs", [path, runtime]);
    await exchange(listener, peer, runtime);
  });
}
