// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Ctrl-C in the middle of an example: the program exits 130 and leaves no
 * name behind (queue, shared memory, semaphore, socket file), and no worker
 * process of it keeps running. Only the example's own process gets SIGINT,
 * which is harder than a terminal's Ctrl-C (that one stops its workers too).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { MessageQueue } from "../../mq/mod.ts";
import { ipcTest, Peer } from "../_helpers/mod.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

function start(file: string): Peer {
  return new Peer(Deno.execPath(), ["run", "-A", EXAMPLES + file], { env: { NO_COLOR: "1" } });
}

/** The names in /dev/shm that include `_<pid>` (the examples' naming). */
function shmNames(pid: number): string[] {
  return [...Deno.readDirSync("/dev/shm")].map((e) => e.name)
    .filter((n) => n.includes(`_${pid}`)).sort();
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The direct children of `pid` (read before it exits; orphans are then reparented). */
function childrenOf(pid: number): number[] {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`);
    return text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Whether `pid` runs (a zombie counts as gone). */
function running(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** SIGINT the example, expect exit 130, and wait for every worker it had to end. */
async function interrupt(peer: Peer): Promise<void> {
  const workers = childrenOf(peer.pid);
  peer.kill("SIGINT");
  const status = await peer.status();
  try {
    await until(() => !workers.some(running), "the example's workers to end", 10_000);
  } finally {
    for (const pid of workers.filter(running)) Deno.kill(pid, "SIGKILL");
  }
  // Exited by itself with 130, not killed by the signal's default action (also "code 130").
  assert.deepEqual([status.code, status.signal], [130, null], peer.stderr);
}

function queueExists(name: string): boolean {
  try {
    MessageQueue.open(name).close();
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

ipcTest("examples: Ctrl-C in mq_jobs.ts removes both queues", async () => {
  await using peer = start("mq_jobs.ts");
  await peer.expect("queued 3 jobs and a stop");
  await interrupt(peer);
  assert.equal(queueExists(`/example_jobs_${peer.pid}`), false);
  assert.equal(queueExists(`/example_results_${peer.pid}`), false);
});

for (const file of ["uds_echo.ts", "uds_service.ts", "uds_notifications.ts"]) {
  ipcTest(`examples: Ctrl-C in ${file} removes the socket file and its directory`, async () => {
    await using peer = start(file);
    const path = (await peer.expect("server listening on ")).split(" on ")[1]!;
    assert.ok(Deno.statSync(path).isSocket);
    await interrupt(peer);
    const dir = path.slice(0, path.lastIndexOf("/"));
    assert.throws(() => Deno.statSync(dir), Deno.errors.NotFound);
  });
}

for (
  const file of ["shm_channel.ts", "shm_python.ts", "shm_semaphore.ts", "shm_shared_memory.ts"]
) {
  ipcTest(`examples: Ctrl-C in ${file} unlinks what it created in /dev/shm`, async () => {
    await using peer = start(file);
    await until(() => shmNames(peer.pid).length > 0, "the example's objects");
    await interrupt(peer);
    assert.deepEqual(shmNames(peer.pid), []);
  });
}
