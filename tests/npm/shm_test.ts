// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * shm waits (Channel, Semaphore) on Bun (no off-thread FFI: waits nap on
 * timers) and on Node.js (koffi async calls on libuv's pool), against a Deno
 * peer, from the built npm package.
 */
import assert from "node:assert/strict";
import { Channel, Semaphore, SharedMemory } from "../../shm/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";
import { runRuntime, spawnRuntime } from "../_helpers/npm.ts";
import { checkMessage, makeMessage } from "../fixtures/shm_messages.ts";

const COUNT = 2000;

for (const runtime of ["bun", "node"] as const) {
  ipcTest(`npm/deno → ${runtime}: Channel messages, the receiver waiting`, async (_t, scope) => {
    const name = scope.name("npm_ch", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    await using peer = await spawnRuntime(runtime, "npm_shm_channel.mjs", [
      "consume",
      name,
      String(COUNT),
    ]);
    // A timer fired while the peer's receive was pending: the wait does not
    // hold the event loop.
    assert.equal(await peer.line(), "waiting");
    let bytes = 0;
    for (let i = 0; i < COUNT; i++) {
      const msg = makeMessage(i);
      bytes += msg.length;
      await ch.send(msg); // the 4 KiB ring fills: Deno waits for room as well
    }
    assert.equal(await peer.line(), `ok ${COUNT} ${bytes} true`);
    assert.equal((await peer.status()).code, 0);
  });

  ipcTest(`npm/${runtime} → deno: Channel messages, the sender waiting`, async (_t, scope) => {
    const name = scope.name("npm_ch", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    await using peer = await spawnRuntime(runtime, "npm_shm_channel.mjs", [
      "produce",
      name,
      String(COUNT),
    ]);
    assert.equal(await peer.line(), "ready");
    // Let the peer fill the ring and wait for room before reading anything.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const buf = new Uint8Array(ch.maxMessageSize);
    for (let i = 0; i < COUNT; i++) {
      const n = await ch.receiveInto(buf);
      checkMessage(buf.subarray(0, n), i);
    }
    await assert.rejects(ch.receive(), Deno.errors.BrokenPipe); // the peer ended the stream
    assert.equal(await peer.line(), "sent true");
    assert.equal((await peer.status()).code, 0);
  });
}

for (const runtime of ["bun", "node"] as const) {
  ipcTest(
    `npm/${runtime}: spinning trySend and tryReceiveInto through full 4 KiB rings, both ways`,
    async (_t, scope) => {
      const name = scope.name("npm_ch_spin", Channel.unlink);
      using ch = Channel.create(name, { capacity: 4096 });
      using back = Channel.create(`${name}_back`, { capacity: 4096 });
      scope.defer(() => Channel.unlink(`${name}_back`));
      await using peer = await spawnRuntime(runtime, "npm_shm_channel.mjs", [
        "spin",
        name,
        String(COUNT),
      ]);
      assert.equal(await peer.line(), "ready");
      // Take all (the peer's spins find the ring full), then send all back
      // (its spins find the other ring empty, then full of echoes).
      const buf = new Uint8Array(ch.maxMessageSize);
      const got: Uint8Array[] = [];
      for (let i = 0; i < COUNT; i++) {
        const n = await ch.receiveInto(buf);
        checkMessage(buf.subarray(0, n), i);
        got.push(buf.slice(0, n));
      }
      await assert.rejects(ch.receive(), Deno.errors.BrokenPipe);
      for (const msg of got) if (!back.trySend(msg)) await back.send(msg);
      assert.equal(await peer.line(), `spun ${COUNT}`);
      assert.equal((await peer.status()).code, 0);
    },
  );

  ipcTest(`npm/deno → ${runtime}: Semaphore posts wake a waiter`, async (_t, scope) => {
    const name = scope.name("npm_sem", Semaphore.unlink);
    using sem = Semaphore.open(name, { create: true, exclusive: true, value: 0 });
    await using peer = await spawnRuntime(runtime, "npm_shm_semaphore.mjs", ["wait", name, "3"]);
    assert.equal(await peer.line(), "waiting");
    for (let i = 0; i < 3; i++) sem.post();
    assert.equal(await peer.line(), "took 3 true");
    assert.equal((await peer.status()).code, 0);
    assert.equal(sem.value, 1); // the peer posted one back
  });
}

for (const runtime of ["bun", "node"] as const) {
  ipcTest(
    `npm/${runtime}: a squatted semaphore or another uid's shared memory is refused, not a crash`,
    async (_t, scope) => {
      const attempt = async (kind: string, name: string) => {
        const r = await runRuntime(runtime, "npm_trust.mjs", [kind, name]);
        assert.equal(r.code, 0, `the ${runtime} opener died (exit code ${r.code}): ${r.stderr}`);
        return JSON.parse(r.stdout.trim());
      };
      const sem = scope.name("npm_trust_sem", Semaphore.unlink);
      Deno.writeFileSync(`/dev/shm/sem.${sem}`, new Uint8Array(0)); // an empty file put there first
      const refused = await attempt("create-semaphore", sem);
      assert.equal(refused.error, "InvalidData", JSON.stringify(refused));
      assert.match(refused.message, /semaphore "\/npm_trust_sem_.*size 0/);
      if (Deno.uid() !== 0) return; // chown needs root
      const shm = scope.name("npm_trust_shm", SharedMemory.unlink);
      using mine = SharedMemory.create(shm, { size: 8, mode: 0o666 });
      mine.write(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
      Deno.chownSync(`/dev/shm/${shm}`, 12345, 12345);
      const other = await attempt("shm", shm);
      assert.equal(other.error, "PermissionDenied", JSON.stringify(other));
      assert.match(other.message, /owned by uid 12345/);
      // Trusted on purpose: read() copies through pread (another uid could shrink it).
      assert.deepEqual(await attempt("shm-trusted", shm), { ok: true, size: 8, sum: 36 });
    },
  );
}
