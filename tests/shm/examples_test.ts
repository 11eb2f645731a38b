// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { list } from "../../shm/mod.ts";
import { ipcTest, run } from "../_helpers/mod.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

async function example(file: string): Promise<string> {
  const result = await run(Deno.execPath(), ["run", "-A", EXAMPLES + file]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

ipcTest("example shm_channel: 100,000 records arrive in order", async () => {
  assert.match(await example("shm_channel.ts"), /^received 100000 records in order$/m);
});

ipcTest("example shm_shared_memory: the reader sums the bytes and cannot write", async () => {
  const out = await example("shm_shared_memory.ts");
  assert.match(out, /reader: 1000 bytes, sum 3000/);
  assert.match(out, /reader: write refused: PermissionDenied/);
});

ipcTest("example shm_python: Python reads Deno's greeting and answers", async () => {
  const out = await example("shm_python.ts");
  assert.match(out, /python: read 'hello from deno' from 128 bytes/);
  assert.match(out, /deno: read "hello from python" back/);
});

ipcTest("example shm_semaphore: three processes count exactly under the lock", async () => {
  assert.match(await example("shm_semaphore.ts"), /counter = 3000 \(expected 3000\), lock value 1/);
});

ipcTest("example shm_sweep: the crashed worker's channel is found and swept", async () => {
  const out = await example("shm_sweep.ts");
  assert.match(out, /left behind: channel \/example_crash_\d+_jobs, owner \d+ alive: false/);
  assert.match(out, /swept: channel \/example_crash_\d+_jobs/);
  assert.match(out, /remaining: 0/);
  assert.deepEqual(list({ prefix: "example_" }).filter((o) => !o.ownerAlive), []);
});
