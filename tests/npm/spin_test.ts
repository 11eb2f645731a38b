// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The spinning native transport through the npm package on Node.js and Bun
 * (tests/fixtures/npm_spin.mjs), against a spinning Deno server in this
 * process: requests one at a time, many in flight, a frame that arrives in
 * parts, no descriptor leaked.
 */
import assert from "node:assert/strict";
import { serve } from "../../uds/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";
import { spawnRuntime } from "../_helpers/npm.ts";

for (const runtime of ["node", "bun"] as const) {
  ipcTest(
    `npm/${runtime}: a spinning native client against a spinning Deno server`,
    async (_t, scope) => {
      const path = `${await scope.tempDir()}/spin.sock`;
      await using _server = await serve(
        { path, transport: "native", spin: 200 },
        (req) => req.payload,
      );
      await using peer = await spawnRuntime(runtime, "npm_spin.mjs", [path]);
      assert.equal(
        await peer.line(60_000),
        `result:${JSON.stringify({ runtime, sequential: 300, many: true, big: true })}`,
      );
      assert.equal(await peer.line(), "fds:same");
      assert.equal((await peer.status()).code, 0, peer.stderr);
    },
  );
}
