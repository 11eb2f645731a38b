// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { SysvMessageQueue, SysvSemaphoreSet, SysvSharedMemory } from "../../sysv/mod.ts";
import { buildC, type Peer, spawnProgram } from "../_helpers/mod.ts";
import { pythonSysvIpc, randomKey, spawnSysvPython, sysvTest, track } from "../_helpers/sysv.ts";
import type { Scope } from "../_helpers/scope.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const noPython = !pythonSysvIpc();
const signal = () => AbortSignal.timeout(20_000);

/** A peer for one object: Python names it by key, C by id. */
type Spawn = (args: [string, string, ...string[]]) => Peer;

async function cPeer(): Promise<Spawn> {
  const exe = await buildC("sysv_c_peer.c");
  return (args) => spawnProgram(exe, args);
}
const pyPeer: Spawn = (args) => spawnSysvPython(args);

async function lines(peer: Peer, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await peer.line());
  return out;
}

async function queues(scope: Scope, spawn: Spawn, byKey: boolean, prefix: string) {
  const key = randomKey();
  using q = SysvMessageQueue.open(key, { exclusive: true });
  track(scope, "msg", q.id);
  const name = String(byKey ? key : q.id);
  // peer → Deno: 6 messages of types 1, 2, 3, 1, 2, 3; Deno picks by type
  {
    await using peer = spawn(["msg-send", name, "6"]);
    assert.equal(await peer.line(), "sent 6");
  }
  assert.equal(text((await q.receive({ type: 3, signal: signal() })).data), `${prefix}:2`);
  assert.equal(text((await q.receive({ type: -2, signal: signal() })).data), `${prefix}:0`);
  assert.equal(text((await q.receive({ type: -2, signal: signal() })).data), `${prefix}:3`);
  const rest = [];
  for (let i = 0; i < 3; i++) rest.push(await q.receive({ signal: signal() }));
  assert.deepEqual(rest.map((m) => [m.type, text(m.data)]), [
    [2, `${prefix}:1`],
    [2, `${prefix}:4`],
    [3, `${prefix}:5`],
  ]);
  // Deno → peer: the peer blocks in msgrcv for type 7 while Deno sends others first
  await using peer = spawn(["msg-recv", name, "2", "7"]);
  await q.send(1, "not for the peer");
  await q.send(7, "to the peer: héllo");
  await q.send(7, "second");
  assert.deepEqual(await lines(peer, 2), ["7 to the peer: héllo", "7 second"]);
  assert.equal((await peer.status()).code, 0);
  assert.equal(q.stat().messages, 1);
}

async function segments(scope: Scope, spawn: Spawn, byKey: boolean) {
  const key = randomKey();
  using seg = SysvSharedMemory.open(key, { exclusive: true, size: 4096 });
  track(scope, "shm", seg.id);
  const name = String(byKey ? key : seg.id);
  {
    await using peer = spawn(["shm-write", name, "from the peer"]);
    assert.equal(await peer.line(), "written");
  }
  assert.equal(text(seg.read(0, 13)), "from the peer");
  seg.write(new TextEncoder().encode("from deno\0"));
  await using peer = spawn(["shm-read", name, "9"]);
  assert.equal(await peer.line(), "from deno");
}

async function semaphores(scope: Scope, spawn: Spawn, byKey: boolean, args: string[]) {
  const key = randomKey();
  using set = SysvSemaphoreSet.open(key, { exclusive: true, count: 1 });
  track(scope, "sem", set.id);
  const name = String(byKey ? key : set.id);
  // Deno → peer: the peer blocks taking 1; Deno's post wakes it
  {
    await using peer = spawn(["sem-op", name, ...args, "-1"]);
    await new Promise((r) => setTimeout(r, 50));
    await set.operate([{ delta: 1 }]);
    assert.equal(await peer.line(), "done 0");
  }
  // peer → Deno: Deno waits for 2; the peer posts 2
  const waiting = set.operate([{ delta: -2 }], { signal: signal() });
  {
    await using peer = spawn(["sem-op", name, ...args, "2"]);
    assert.match(await peer.line(), /^done [02]$/);
  }
  await waiting;
  // the peer holds with undo and is killed: the kernel gives it back
  set.setValue(0, 1);
  await using holder = spawn(["sem-hold", name]);
  assert.equal(await holder.line(), "held");
  assert.equal(set.getValue(0), 0);
  holder.process.kill("SIGKILL");
  await holder.status();
  assert.equal(set.getValue(0), 1);
}

sysvTest("sysv interop C: message queues both ways", async (_t, scope) => {
  await queues(scope, await cPeer(), false, "c");
});

sysvTest("sysv interop C: shared memory both ways", async (_t, scope) => {
  await segments(scope, await cPeer(), false);
});

sysvTest("sysv interop C: semaphores both ways, and undo on kill", async (_t, scope) => {
  await semaphores(scope, await cPeer(), false, ["0"]);
});

sysvTest("sysv interop Python sysv_ipc: message queues both ways", async (_t, scope) => {
  await queues(scope, pyPeer, true, "py");
}, { ignore: noPython });

sysvTest("sysv interop Python sysv_ipc: shared memory both ways", async (_t, scope) => {
  await segments(scope, pyPeer, true);
}, { ignore: noPython });

sysvTest(
  "sysv interop Python sysv_ipc: semaphores both ways, and undo on kill",
  async (_t, scope) => {
    await semaphores(scope, pyPeer, true, []);
  },
  { ignore: noPython },
);

sysvTest("sysv interop Python sysv_ipc: objects Python creates open here", async (_t, scope) => {
  for (const kind of ["msg", "shm", "sem"] as const) {
    const key = randomKey();
    await using peer = spawnSysvPython(["create", kind, String(key)]);
    const id = track(scope, kind, Number(await peer.line()));
    using handle = kind === "msg"
      ? SysvMessageQueue.open(key)
      : kind === "shm"
      ? SysvSharedMemory.open(key)
      : SysvSemaphoreSet.open(key);
    assert.equal(handle.id, id);
    assert.equal(handle.stat().mode, 0o600);
    assert.equal(handle.created, false);
  }
}, { ignore: noPython });
