// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The npm package on Node.js and Bun: built by scripts/build_npm.ts, packed,
 * installed with npm like a user would, and exchanging data with Deno
 * processes through the same kernel objects.
 */
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { SharedMemory } from "../../shm/mod.ts";
import { buildC, ipcTest, spawnDeno, spawnProgram } from "../_helpers/mod.ts";
import { npmProject, runRuntime, spawnRuntime } from "../_helpers/npm.ts";

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

for (const runtime of ["node", "bun"] as const) {
  ipcTest(
    `npm/${runtime}: import needs nothing native; OS errors are the library's classes`,
    async () => {
      const out = await runRuntime(runtime, "npm_basics.mjs");
      assert.equal(out.code, 0, out.stderr);
      const r = JSON.parse(out.stdout);
      assert.equal(r.imported, true);
      assert.equal(r.name, "NotFound");
      assert.equal(r.notFound, true);
      assert.equal(r.code, "ENOENT");
      assert.match(
        r.message,
        /^No such file or directory \(os error 2\): mq_open "\/npm_missing_\d+"$/,
      );
    },
  );
}

ipcTest(
  "npm/node: without koffi, import works and first use says what to install",
  async (_t, scope) => {
    const project = await npmProject();
    const dir = await scope.tempDir();
    // The package alone, without its koffi dependency.
    await Deno.mkdir(`${dir}/node_modules/@ipc`, { recursive: true });
    await Deno.symlink(`${project}node_modules/@ipc/linux`, `${dir}/node_modules/@ipc/linux`);
    await Deno.writeTextFile(`${dir}/package.json`, '{"type":"module"}');
    await Deno.copyFile(
      new URL("../fixtures/npm_basics.mjs", import.meta.url),
      `${dir}/basics.mjs`,
    );
    const out = await new Deno.Command("node", {
      args: ["--preserve-symlinks", `${dir}/basics.mjs`],
      cwd: dir,
    }).output();
    const r = JSON.parse(decode(out.stdout));
    assert.equal(r.imported, true);
    assert.match(r.message, /^Cannot load koffi: @ipc\/linux needs the koffi package on Node\.js/);
  },
);

ipcTest("npm/node ↔ deno: mq messages with priorities, both directions", async (_t, scope) => {
  const name = scope.name("npm_mq", MessageQueue.unlink);
  // Node sends, Deno receives in priority order with exact bytes.
  const sent = await runRuntime("node", "npm_mq.mjs", ["send", name]);
  assert.equal(sent.stdout.trim(), "sent", sent.stderr);
  {
    using q = MessageQueue.open(name, { readOnly: true });
    const got = [q.tryReceive(), q.tryReceive(), q.tryReceive()];
    assert.deepEqual(got.map((m) => m?.priority), [9, 5, 1]);
    assert.deepEqual([...got[0]!.data], [0, 255, 7]);
    assert.equal(decode(got[1]!.data), "mid");
    assert.equal(decode(got[2]!.data), "low");
    assert.equal(q.tryReceive(), undefined);
  }
  // Deno sends, Node receives.
  {
    using q = MessageQueue.open(name, { writeOnly: true });
    await q.send("a", { priority: 2 });
    await q.send("b", { priority: 30000 });
  }
  const recv = await runRuntime("node", "npm_mq.mjs", ["recv", name, "2"]);
  assert.equal(recv.code, 0, recv.stderr);
  const lines = recv.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines, [{ data: [98], priority: 30000 }, { data: [97], priority: 2 }]);
});

ipcTest("npm/bun → node: shared memory written by Bun is read by Node", async (_t, scope) => {
  const name = scope.name("npm_shm", SharedMemory.unlink);
  await using writer = await spawnRuntime("bun", "npm_shm.mjs", ["write", name, "hello from bun"]);
  assert.equal(await writer.line(), "written 4096");
  const read = await runRuntime("node", "npm_shm.mjs", ["read", name]);
  assert.equal(read.code, 0, read.stderr);
  assert.deepEqual(JSON.parse(read.stdout), { size: 4096, text: "hello from bun" });
  // Deno sees the same bytes.
  using shm = SharedMemory.open(name, { readOnly: true });
  assert.equal(decode(shm.read(0, 14)), "hello from bun");
  await writer.closeStdin();
  assert.equal((await writer.status()).code, 0);
});

for (const runtime of ["node", "bun"] as const) {
  ipcTest(`npm/${runtime}: signals sent reach a Deno listener and a C sigwaitinfo`, async () => {
    await using target = spawnDeno("npm_signal_target.ts");
    assert.equal(await target.line(), "ready");
    const sent = await runRuntime(runtime, "npm_signals.mjs", [
      "send",
      String(target.pid),
      "SIGUSR2",
    ]);
    assert.equal(sent.stdout.trim(), "sent", sent.stderr);
    assert.equal(await target.line(), "got SIGUSR2");
    assert.equal((await target.status()).code, 0);

    const exe = await buildC("npm_sigwait.c");
    await using c = spawnProgram(exe);
    assert.equal(await c.line(), "ready");
    const queued = await runRuntime(runtime, "npm_signals.mjs", [
      "send",
      String(c.pid),
      "SIGRTMIN+1",
      "42",
    ]);
    assert.equal(queued.stdout.trim(), "sent", queued.stderr);
    const [offset, value, pid = 0, code] = (await c.line()).split(" ").map(Number);
    assert.deepEqual([offset, value, code], [1, 42, -1]); // SI_QUEUE
    assert.ok(pid > 0);
  });
}
