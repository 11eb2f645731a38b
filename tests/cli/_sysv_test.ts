// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  IPC_PRIVATE,
  SysvMessageQueue,
  SysvSemaphoreSet,
  SysvSharedMemory,
} from "../../sysv/mod.ts";
import { run } from "../_helpers/mod.ts";
import { randomKey, sysvTest, track } from "../_helpers/sysv.ts";

const CLI = fileURLToPath(new URL("../../cli/mod.ts", import.meta.url));

function ipc(...args: string[]) {
  return run(Deno.execPath(), ["run", "-A", CLI, ...args]);
}

sysvTest("cli: ls lists System V objects and rm removes them by id", async (_t, scope) => {
  const key = randomKey();
  using q = SysvMessageQueue.open(key, { exclusive: true, mode: 0o640 });
  track(scope, "msg", q.id);
  q.trySend(1, "four");
  using seg = SysvSharedMemory.open(IPC_PRIVATE, { size: 1000 });
  track(scope, "shm", seg.id);
  using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 3 });
  track(scope, "sem", set.id);

  const json = await ipc("ls", "--json");
  assert.equal(json.code, 0, json.stderr);
  const list = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
  const find = (name: string) => list.find((o) => o.name === name);
  assert.deepEqual(
    [find(`msqid:${q.id}`)?.type, find(`msqid:${q.id}`)?.size, find(`msqid:${q.id}`)?.key],
    ["sysv-msg", 4, key],
  );
  assert.equal(find(`msqid:${q.id}`)?.pid, Deno.pid);
  assert.equal(find(`shmid:${seg.id}`)?.count, 1); // attached once, here
  assert.equal(find(`semid:${set.id}`)?.size, 3);

  const table = await ipc("ls");
  const hex = (key >>> 0).toString(16).padStart(8, "0");
  assert.match(
    table.stdout,
    new RegExp(`sysv-msg\\s+msqid:${q.id} \\(key 0x${hex}\\)\\s+4\\s+0640`),
  );
  assert.match(table.stdout, new RegExp(`sysv-shm\\s+shmid:${seg.id} \\(private\\)\\s+1000`));

  const rm = await ipc("rm", `msqid:${q.id}`, `shmid:${seg.id}`, `semid:${set.id}`);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(rm.stdout.trim().split("\n").length, 3);
  assert.throws(() => q.stat());
  assert.equal(seg.stat().removed, true); // still attached here until closed
  const again = await ipc("rm", `semid:${set.id}`);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /semctl/);
  assert.equal((await ipc("rm", "msqid:abc")).code, 1);
  assert.equal((await ipc("rm", "msqid:")).code, 2);
});
