// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { demo } from "../../examples/_demo/sysv.ts";
import { run } from "../_helpers/mod.ts";
import { sysvTest } from "../_helpers/sysv.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

sysvTest("sysv example: sysv_workers.ts tallies jobs from two worker processes", async () => {
  const result = await run(Deno.execPath(), [
    "run",
    "--allow-ffi",
    "--allow-write",
    "--allow-run",
    `${EXAMPLES}sysv_workers.ts`,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.stdout.trim().split("\n"), [
    "a worker reported its share",
    "a worker reported its share",
    "workers exited with codes 0, 0",
    "tally in shared memory: 21 (expected 21)",
    "lock value at the end: 1",
    "removed the queue, the segment and the semaphore set",
  ]);
});

sysvTest("sysv demo: rows describe a real exchange with a child process", async () => {
  const rows = await demo();
  assert.deepEqual(rows.map((r) => r.mechanism), ["sysv", "sysv", "sysv"]);
  assert.equal(rows[0]!.result, "3 messages in the kernel");
  assert.equal(rows[1]!.result, 'one(1), two(2); "three" still queued');
  assert.equal(rows[2]!.result, "lock value 0 while held, 1 after: the kernel released it");
});
