// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import {
  IPC_PRIVATE,
  listSysvObjects,
  removeSysvObject,
  SysvMessageQueue,
  SysvSemaphoreSet,
  SysvSharedMemory,
} from "../../sysv/mod.ts";
import { randomKey, sysvTest, track } from "../_helpers/sysv.ts";

sysvTest("sysv list: /proc/sysvipc agrees with stat() for every kind", (_t, scope) => {
  const key = randomKey();
  using q = SysvMessageQueue.open(key, { exclusive: true, mode: 0o604 });
  track(scope, "msg", q.id);
  q.trySend(3, "12345");
  using seg = SysvSharedMemory.open(IPC_PRIVATE, { size: 3000, mode: 0o640 });
  track(scope, "shm", seg.id);
  using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 5 });
  track(scope, "sem", set.id);
  const all = listSysvObjects();
  const msg = all.find((o) => o.kind === "msg" && o.id === q.id)!;
  assert.deepEqual(
    [msg.key, msg.mode, msg.uid, msg.size, msg.count, msg.pid, msg.pidAlive, msg.lastPid],
    [key, 0o604, q.stat().uid, 5, 1, Deno.pid, true, undefined],
  );
  const shm = all.find((o) => o.kind === "shm" && o.id === seg.id)!;
  assert.deepEqual(
    [shm.key, shm.mode, shm.size, shm.count, shm.pid, shm.lastPid],
    [0, 0o640, 3000, 1, Deno.pid, Deno.pid],
  );
  const sem = all.find((o) => o.kind === "sem" && o.id === set.id)!;
  assert.deepEqual([sem.size, sem.count, sem.pid], [5, 5, undefined]);
  assert.deepEqual(listSysvObjects(["sem"]).map((o) => o.kind).filter((k) => k !== "sem"), []);
  assert.throws(() => listSysvObjects(["queue" as "msg"]), TypeError);
});

sysvTest("sysv list: removeSysvObject by id, with errors for what is not there", (_t, scope) => {
  const q = SysvMessageQueue.open(IPC_PRIVATE);
  track(scope, "msg", q.id);
  q.close();
  removeSysvObject("msg", q.id);
  assert.throws(
    () => removeSysvObject("msg", q.id),
    (e: Error & { code?: string }) => e.code === "EINVAL",
  );
  assert.throws(() => removeSysvObject("pipe" as "msg", 1), TypeError);
  assert.throws(() => removeSysvObject("shm", -1), RangeError);
});
