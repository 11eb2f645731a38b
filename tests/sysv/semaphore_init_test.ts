// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A semaphore set's initialization against openers that race with it: the
 * creator marks the set initialized with a semop that changes no value
 * (sem_otime), and an opener that passed `create` but found the set waits a
 * bounded time for that mark (Stevens, UNP vol. 2).
 */
import assert from "node:assert/strict";
import { IPC_PRIVATE, SysvSemaphoreSet } from "../../sysv/mod.ts";
import { INIT_WAIT_MS } from "../../sysv/_semaphore_io.ts";
import { buildC, Peer, spawnDeno, spawnProgram } from "../_helpers/mod.ts";
import {
  pythonSysvIpc,
  randomKey,
  SYSTEM_PYTHON,
  sysvPythonEnv,
  sysvTest,
  track,
} from "../_helpers/sysv.ts";

const noPython = !pythonSysvIpc();

sysvTest(
  "sysv sem: a set created under a key is marked initialized, values unchanged",
  (_t, scope) => {
    for (const value of [0, 3, 32767]) { // wait-for-zero, +1 -1, and -1 +1 at SEMVMX
      using set = SysvSemaphoreSet.open(randomKey(), { create: true, count: 2, value });
      track(scope, "sem", set.id);
      assert.equal(set.created, true);
      assert.notEqual(set.stat().lastOperation, null, `value ${value}`);
      assert.deepEqual(set.getAll(), [value, value]);
      set.remove();
    }
    // No one can open an IPC_PRIVATE set by key: nothing to mark.
    using own = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1, value: 2 });
    track(scope, "sem", own.id);
    assert.equal(own.stat().lastOperation, null);
  },
);

sysvTest(
  "sysv sem: an opener with create waits for a creator stopped between semget and SETALL (C)",
  async (_t, scope) => {
    const key = randomKey();
    await using creator = spawnProgram(await buildC("sem_init_peer.c"), [
      String(key),
      "3",
      "7",
      "stall",
    ]);
    const id = Number((await creator.expect("created")).split(" ")[1]);
    track(scope, "sem", id);
    // Another process opens while the set is still all zeros; only once it
    // has started does the creator go on (SETALL, then its marking semop).
    await using opener = spawnDeno("sem_opener.ts", [String(key), "3"]);
    await opener.expect("opening");
    await creator.send("go");
    await creator.expect("ready");
    const got = JSON.parse(await opener.line());
    assert.equal(got.created, false);
    assert.deepEqual(got.values, [7, 7, 7]); // not the zeros it was created with
    assert.equal(got.lastOperation, true);
    assert.ok(got.ms < INIT_WAIT_MS + 400, `open took ${got.ms} ms`);
    assert.equal((await opener.status()).code, 0, opener.stderr);
  },
);

/** A creator that sets the values and never calls semop: C, or Python's sysv_ipc. */
async function neverMarked(kind: "c" | "python", key: number): Promise<Peer> {
  if (kind === "c") {
    return spawnProgram(await buildC("sem_init_peer.c"), [String(key), "1", "5", "never"]);
  }
  return new Peer(SYSTEM_PYTHON, [
    "-u",
    "-c",
    `import sys, sysv_ipc
s = sysv_ipc.Semaphore(int(sys.argv[1]), sysv_ipc.IPC_CREX, initial_value=5)
print("created", s.id)
print("ready", s.o_time)
sys.stdin.read()`,
    String(key),
  ], { env: sysvPythonEnv() });
}

for (const kind of ["c", "python"] as const) {
  sysvTest(
    `sysv sem: a set ${
      kind === "c" ? "C" : "Python's sysv_ipc"
    } never semop'd is opened after the bound`,
    async (_t, scope) => {
      const key = randomKey();
      await using creator = await neverMarked(kind, key);
      track(scope, "sem", Number((await creator.expect("created")).split(" ")[1]));
      await creator.expect("ready");
      // Without create: no wait.
      let start = performance.now();
      using plain = SysvSemaphoreSet.open(key);
      assert.ok(performance.now() - start < INIT_WAIT_MS / 2);
      assert.deepEqual(plain.getAll(), [5]);
      // With create: sem_otime stays 0, so it waits the bound, then goes on.
      start = performance.now();
      using set = SysvSemaphoreSet.open(key, { create: true, count: 1 });
      const ms = performance.now() - start;
      assert.equal(set.created, false);
      assert.ok(ms >= INIT_WAIT_MS - 1 && ms < INIT_WAIT_MS + 900, `open took ${ms} ms`);
      assert.deepEqual(set.getAll(), [5]);
      assert.equal(set.stat().lastOperation, null);
      if (kind === "python") return;
      // Once the set is more than 2 s old, nobody can still be initializing it.
      await new Promise((resolve) => setTimeout(resolve, 3100));
      start = performance.now();
      using late = SysvSemaphoreSet.open(key, { create: true, count: 1 });
      assert.ok(performance.now() - start < INIT_WAIT_MS / 2);
      assert.deepEqual(late.getAll(), [5]);
    },
    { ignore: kind === "python" && noPython },
  );
}
