// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Waits share Node's libuv thread pool (4 threads) with fs, dns and zlib:
 * however many threads of a process wait (worker threads each have their
 * own copy of the library), none of those waits may hold a pool thread for
 * good, or the process's file reads stop.
 */
import assert from "node:assert/strict";
import { ipcTest } from "../_helpers/mod.ts";
import { runRuntime } from "../_helpers/npm.ts";

for (const runtime of ["node", "bun"] as const) {
  ipcTest(
    `npm/${runtime}: mq waits in 4 worker threads leave the thread pool to fs, and still receive`,
    async () => {
      const out = await runRuntime(runtime, "npm_workers.mjs", ["4"]);
      assert.equal(out.code, 0, out.stderr);
      const { read, received } = JSON.parse(out.stdout);
      assert.notEqual(read, -1, "the file read never finished");
      assert.ok(read < 1000, `the file read took ${read} ms`);
      assert.equal(received, 4);
    },
  );
}
