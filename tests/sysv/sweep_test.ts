// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  IPC_PRIVATE,
  sweepSysvObjects,
  SysvMessageQueue,
  SysvSharedMemory,
} from "../../sysv/mod.ts";
import { buildC, run } from "../_helpers/mod.ts";
import { randomKey, sysvTest, track } from "../_helpers/sysv.ts";

const CLI = fileURLToPath(new URL("../../cli/mod.ts", import.meta.url));

sysvTest(
  "sysv sweep: only segments and empty queues whose recorded processes died",
  async (_t, scope) => {
    const exe = await buildC("sysv_c_peer.c");
    // a segment a C process made, attached, detached and left: abandoned
    const made = await run(exe, ["shm-create", String(randomKey()), "4096"]);
    assert.equal(made.code, 0, made.stderr);
    const orphan = track(scope, "shm", Number(made.stdout.trim()));
    // a segment this (live) process made: kept
    using mine = SysvSharedMemory.open(IPC_PRIVATE, { size: 64 });
    track(scope, "shm", mine.id);
    mine.close();
    // a queue a C process sent to: kept while it holds the message ...
    using q = SysvMessageQueue.open(IPC_PRIVATE);
    track(scope, "msg", q.id);
    assert.equal((await run(exe, ["msg-send", String(q.id), "1"])).code, 0);
    // ... an empty queue whose sender lives (this process): kept
    using live = SysvMessageQueue.open(IPC_PRIVATE);
    track(scope, "msg", live.id);
    live.trySend(1, "x");
    live.tryReceive();

    const ids = (list: Array<{ kind: string; id: number }>) =>
      list.map((o) => `${o.kind}:${o.id}`).filter((k) =>
        [`shm:${orphan}`, `shm:${mine.id}`, `msg:${q.id}`, `msg:${live.id}`].includes(k)
      );
    assert.deepEqual(ids(sweepSysvObjects({ dryRun: true })), [`shm:${orphan}`]);
    // once a C process has received the message, the queue is empty and both pids are gone
    assert.equal((await run(exe, ["msg-recv", String(q.id), "1", "0"])).code, 0);
    const dry = await run(Deno.execPath(), [
      "run",
      "-A",
      CLI,
      "sweep",
      "--sysv",
      "--dry-run",
      "--prefix",
      "none_",
    ]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`would remove shmid:${orphan} \\(no attachment`));
    assert.match(dry.stdout, new RegExp(`would remove msqid:${q.id} \\(empty; last sender \\d+`));
    assert.deepEqual(ids(sweepSysvObjects()).sort(), [`msg:${q.id}`, `shm:${orphan}`].sort());
    assert.throws(() => q.stat());
    assert.equal(live.stat().messages, 0);
    assert.throws(() => sweepSysvObjects({ dryRun: 1 as unknown as boolean }), TypeError);
  },
);
