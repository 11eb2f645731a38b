// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Views of shared memory kept past close(): on every runtime using them must
 * not crash the process nor touch the shared object. (Deno and Bun detach
 * them; Node.js before 21 cannot, and gets private zero pages instead.)
 */
import assert from "node:assert/strict";
import { Channel, SharedMemory } from "../../shm/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";
import { runRuntime } from "../_helpers/npm.ts";

for (const runtime of ["node", "bun"] as const) {
  ipcTest(
    `npm/${runtime}: a view used after close reads nothing shared and does not crash`,
    async (_t, scope) => {
      const name = scope.name("npm_stale", SharedMemory.unlink);
      using shm = SharedMemory.create(name, { size: 4096 });
      shm.bytes[0] = 7;
      using ch = Channel.create(`${name}_ch`, { capacity: 4096, unlinkOnClose: true });
      assert.ok(ch.trySend(new Uint8Array([5])));
      const out = await runRuntime(runtime, "npm_stale_view.mjs", [name]);
      assert.equal(out.code, 0, `exit ${out.code}: ${out.stderr}`);
      const r = JSON.parse(out.stdout);
      assert.equal(r.before, 7);
      assert.equal(r.first, 5);
      // Detached (undefined) or a private page: never the shared byte.
      assert.ok(r.after === null || r.after === 9, `after: ${r.after}`);
      assert.ok(r.stale === null || r.stale === 0, `stale: ${r.stale}`);
      assert.equal(shm.bytes[0], 7, "the stale write reached the shared object");
    },
  );
}
