// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { demo } from "../../examples/_demo/mq.ts";
import { MessageQueue } from "../../mq/mod.ts";
import { ipcTest, Peer, run } from "../_helpers/mod.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

ipcTest("mq example: mq_jobs.ts runs a prioritised job queue with a worker process", async () => {
  const result = await run(Deno.execPath(), ["run", "-A", `${EXAMPLES}mq_jobs.ts`]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split("\n");
  assert.equal(lines[0], "queued 3 jobs and a stop");
  assert.match(lines[1]!, /^done: PAGE THE ON-CALL ENGINEER \(priority 9, worker pid \d+\)$/);
  assert.match(lines[2]!, /^done: RESIZE PHOTO \(priority 1, /);
  assert.match(lines[3]!, /^done: SEND NEWSLETTER \(priority 1, /);
  assert.equal(lines[4], "worker exited with code 0");
});

ipcTest("mq demo: rows describe a real exchange with a child process", async () => {
  const rows = await demo();
  assert.deepEqual(rows.map((r) => r.mechanism), ["mq", "mq"]);
  assert.equal(rows[0]!.result, "3 waiting in the kernel");
  assert.equal(rows[1]!.what, "child process (exit 0) received them");
  assert.equal(rows[1]!.result, "in order: urgent(20), normal(5), low(1)");
});

ipcTest(
  "mq example: when a queue name is taken, mq_jobs.ts fails and leaves no queue of its own",
  async (_t, scope) => {
    // sh waits for a line, then execs Deno: the example runs with sh's pid, known in advance.
    await using peer = new Peer("sh", [
      "-c",
      'read _ && exec "$0" run -A "$1"',
      Deno.execPath(),
      `${EXAMPLES}mq_jobs.ts`,
    ]);
    const taken = `/example_results_${peer.pid}`;
    MessageQueue.open(taken, { exclusive: true, maxMessages: 1, messageSize: 8 }).close();
    scope.defer(() => MessageQueue.unlink(taken));
    await peer.send("go");
    const status = await peer.status();
    assert.equal(status.code, 1, peer.stderr);
    assert.match(
      peer.stderr,
      /AlreadyExists: File exists \(os error 17\): mq_open "\/example_results_/,
    );
    assert.throws(
      () => MessageQueue.open(`/example_jobs_${peer.pid}`),
      Deno.errors.NotFound,
      "the jobs queue it created before the failure is gone",
    );
  },
);
