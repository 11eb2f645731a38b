// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The `ipc` command line from the packed npm package: its `bin` on Node.js,
 * `bun …/cli/bin.js` on Bun, working on objects this Deno process made.
 */
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { SharedMemory } from "../../shm/mod.ts";
import { ipcTest, run, type RunResult, spawnDeno, spawnProgram } from "../_helpers/mod.ts";
import { bunPath, npmProject } from "../_helpers/npm.ts";

async function ipc(runtime: "node" | "bun", ...args: string[]): Promise<RunResult> {
  const dir = await npmProject();
  // Node: the executable npm linked for `bin.ipc`, run by its shebang.
  if (runtime === "node") return run(`${dir}node_modules/.bin/ipc`, args, { cwd: dir });
  return run(await bunPath(), [`${dir}node_modules/@ipc/linux/cli/bin.js`, ...args], { cwd: dir });
}

for (const runtime of ["node", "bun"] as const) {
  ipcTest(`npm/${runtime}: ipc ls, inspect, mq and rm work as on Deno`, async (_t, scope) => {
    const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
    const version = await ipc(runtime, "--version");
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, `${config.version}\n`);

    const seg = scope.name(`npm_cli_${runtime}`, SharedMemory.unlink);
    using shm = SharedMemory.create(seg, { size: 8192 });
    const ls = await ipc(runtime, "ls", "--json", "--prefix", seg);
    assert.equal(ls.code, 0, ls.stderr);
    const [row] = JSON.parse(ls.stdout);
    assert.deepEqual([row.kind, row.name, row.size, row.mode, row.ownerPid], [
      "shm",
      `/${seg}`,
      8192,
      "0600",
      Deno.pid,
    ]);
    const table = await ipc(runtime, "ls", "--prefix", seg);
    assert.match(table.stdout, new RegExp(`^KIND .*\\nshm\\s+/${seg}\\s+8192\\s+0600`));

    const inspect = await ipc(runtime, "inspect", `shm:${seg}`, "--json");
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.deepEqual(JSON.parse(inspect.stdout)[0].mappedBy.map((m: { pid: number }) => m.pid), [
      Deno.pid,
    ]);

    const queue = scope.name(`npm_cli_mq_${runtime}`, MessageQueue.unlink);
    const send = await ipc(runtime, "mq", "send", queue, "héllo", "--create", "--priority", "4");
    assert.equal(send.code, 0, send.stderr);
    const recv = await ipc(runtime, "mq", "recv", queue, "--json");
    assert.equal(recv.code, 0, recv.stderr);
    assert.deepEqual(JSON.parse(recv.stdout), { priority: 4, text: "héllo" });
    const timeout = await ipc(runtime, "mq", "recv", queue, "--timeout", "50");
    assert.equal(timeout.code, 3, timeout.stderr);

    const usage = await ipc(runtime, "ls", "--nope");
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^ipc ls: unknown option --nope\nUsage:/);

    const rm = await ipc(runtime, "rm", `mq:${queue}`);
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal(rm.stdout, `removed mq:${queue}\n`);
    assert.equal(shm.size, 8192);
  });
}

for (const runtime of ["node", "bun"] as const) {
  ipcTest(
    `npm/${runtime}: ipc shm cat, sweep, signal and call work as on Deno`,
    async (_t, scope) => {
      const seg = scope.name(`npm_cli_cat_${runtime}`, SharedMemory.unlink);
      using shm = SharedMemory.create(seg, { size: 4096 });
      shm.bytes.set(new TextEncoder().encode("bytes from deno"));
      const cat = await ipc(runtime, "shm", "cat", seg, "--length", "15");
      assert.equal(cat.code, 0, cat.stderr);
      assert.equal(cat.stdout, "bytes from deno");

      const sweep = await ipc(runtime, "sweep", "--dry-run", "--json", "--prefix", seg);
      assert.equal(sweep.code, 0, sweep.stderr);
      assert.deepEqual(JSON.parse(sweep.stdout), []); // its owner (this process) is alive

      await using target = spawnProgram("sleep", ["30"]);
      const signal = await ipc(runtime, "signal", String(target.pid), "term");
      assert.equal(signal.code, 0, signal.stderr);
      assert.equal((await target.status()).signal, "SIGTERM");

      const path = `${await scope.tempDir()}/cli.sock`;
      await using server = spawnDeno("uds_server.ts", [path]);
      await server.expect("listening ");
      const echo = await ipc(runtime, "call", path, "echo", "héllo");
      assert.equal(echo.code, 0, echo.stderr);
      assert.equal(echo.stdout, "héllo\n");
      const failed = await ipc(runtime, "call", path, "app-error");
      assert.equal(failed.code, 4, failed.stderr);
      await server.send("shutdown");
      assert.equal(await server.expect("finished"), "finished");
    },
  );
}

ipcTest("npm/node: cli/mod.js run directly is the command line too", async () => {
  const dir = await npmProject();
  const out = await run("node", [`${dir}node_modules/@ipc/linux/cli/mod.js`, "ls", "--kind", "x"], {
    cwd: dir,
  });
  assert.equal(out.code, 2, out.stdout);
  assert.match(out.stderr, /--kind must be one of/);
});
