// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * System V message queues, shared memory and semaphore sets on Node.js
 * (koffi) and Bun (bun:ffi) from the built npm package, against Deno.
 */
import assert from "node:assert/strict";
import {
  IPC_PRIVATE,
  SysvMessageQueue,
  SysvSemaphoreSet,
  SysvSharedMemory,
} from "../../sysv/mod.ts";
import { spawnRuntime } from "../_helpers/npm.ts";
import { sysvTest, track } from "../_helpers/sysv.ts";

for (const runtime of ["bun", "node"] as const) {
  sysvTest(
    `npm/${runtime} ↔ deno: System V queue, segment and semaphore set`,
    async (_t, scope) => {
      using q = SysvMessageQueue.open(IPC_PRIVATE);
      track(scope, "msg", q.id);
      using seg = SysvSharedMemory.open(IPC_PRIVATE, { size: 64 });
      track(scope, "shm", seg.id);
      using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1 });
      track(scope, "sem", set.id);
      seg.write(new TextEncoder().encode("deno!"));

      await using peer = await spawnRuntime(runtime, "npm_sysv.mjs", [
        "all",
        String(q.id),
        String(seg.id),
        String(set.id),
      ]);
      assert.equal(await peer.line(), "waiting");
      await q.send(1, "skip me");
      await q.send(2, "hello");
      assert.equal(await peer.line(), "got 2 hello");
      const reply = await q.receive({ type: 5, signal: AbortSignal.timeout(20_000) });
      assert.equal(new TextDecoder().decode(reply.data), `reply from ${runtime}`);
      assert.equal(await peer.line(), "shm deno!");
      assert.equal(await peer.line(), "stale true");
      assert.equal(seg.stat().attachments, 1); // the peer detached: only this process is left
      assert.equal(await peer.line(), "timeout true");
      assert.equal(await peer.line(), "timers 1"); // the brief kernel waits work there too
      assert.equal(new TextDecoder().decode(seg.read(0, 6)), "npm-ok");
      assert.equal(await peer.line(), "locking");
      await set.operate([{ delta: 1 }]);
      assert.equal(await peer.line(), "locked");
      assert.equal((await peer.status()).code, 0);
      assert.equal(set.getValue(0), 1); // the peer exited holding it: SEM_UNDO gave it back
      assert.equal(q.tryReceive()?.type, 1);
    },
  );
}
