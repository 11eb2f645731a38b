// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { Channel, list } from "../../shm/mod.ts";
import { ipcTest, run } from "../_helpers/mod.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

async function example(file: string): Promise<string> {
  return (await exampleRun(file)).stdout;
}

/** Run an example; its pid is in the names it creates (`example_<what>_<pid>…`). */
async function exampleRun(file: string): Promise<{ stdout: string; pid: number }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", EXAMPLES + file],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = await child.output();
  const text = new TextDecoder();
  assert.equal(out.code, 0, text.decode(out.stderr));
  return { stdout: text.decode(out.stdout), pid: child.pid };
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

ipcTest("example shm_sweep: the crashed worker's channel is found and swept", async (_t, scope) => {
  // A dead example_* object, as an earlier interrupted run leaves behind: not ours to judge.
  const stale = scope.name("example_crash_stale", Channel.unlink);
  const made = await run(Deno.execPath(), [
    "eval",
    `import { Channel } from "${new URL("../../shm/mod.ts", import.meta.url)}";
     Channel.create("${stale}", { capacity: 4096 }); // never closed: the process just ends`,
  ]);
  assert.equal(made.code, 0, made.stderr);
  const { stdout: out, pid } = await exampleRun("shm_sweep.ts");
  const name = `/example_crash_${pid}_jobs`;
  assert.match(out, new RegExp(`left behind: channel ${name}, owner \\d+ alive: false`));
  assert.match(out, new RegExp(`swept: channel ${name}`));
  assert.match(out, /remaining: 0/);
  // Only the names this run made: another run's leftovers are not this test's business.
  assert.deepEqual(list({ prefix: `example_crash_${pid}_` }), []);
  assert.equal(list({ prefix: stale })[0]?.ownerAlive, false, "the stale object is left alone");
});
