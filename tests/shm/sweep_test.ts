// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import {
  Channel,
  type IpcObjectInfo,
  list,
  Semaphore,
  SharedMemory,
  sweep,
} from "../../shm/mod.ts";
import { ipcTest, spawnDeno, spawnPython } from "../_helpers/mod.ts";
import { removeDead } from "../../shm/_sweep_remove.ts";

ipcTest(
  "sweep: objects of a killed owner are listed as dead and removed; live ones stay",
  async (_t, scope) => {
    const prefix = scope.name("swp");
    for (const suffix of ["_shm", "_ch"]) {
      scope.defer(() => unlinkQuietly(() => SharedMemory.unlink(prefix + suffix)));
    }
    scope.defer(() => unlinkQuietly(() => Semaphore.unlink(`${prefix}_sem`)));
    await using owner = spawnDeno("shm_peer.ts", ["own", prefix]);
    assert.equal(await owner.line(), "ready");
    const live = list({ prefix });
    assert.deepEqual(live.map((o) => [o.kind, o.name, o.ownerPid, o.ownerAlive]), [
      ["channel", `/${prefix}_ch`, owner.pid, true],
      ["semaphore", `/${prefix}_sem`, owner.pid, true],
      ["shm", `/${prefix}_shm`, owner.pid, true],
    ]);
    assert.equal(live[0]!.size, 512 + 4096);
    assert.equal(live[2]!.size, 1000);
    assert.equal(live[1]!.path, `/dev/shm/sem.${prefix}_sem`);
    assert.deepEqual(sweep({ prefix }), []); // the owner lives

    owner.kill("SIGKILL");
    await owner.status();
    const dead = list({ prefix });
    assert.ok(dead.every((o) => o.ownerAlive === false));
    assert.deepEqual(sweep({ prefix, dryRun: true }).length, 3);
    assert.equal(list({ prefix }).length, 3); // a dry run removes nothing
    const removed = sweep({ prefix });
    assert.deepEqual(removed.map((o) => o.name).sort(), dead.map((o) => o.name).sort());
    assert.deepEqual(list({ prefix }), []);
    assert.throws(() => SharedMemory.open(`${prefix}_shm`), Deno.errors.NotFound);
    assert.throws(() => Semaphore.open(`${prefix}_sem`), Deno.errors.NotFound);
  },
);

ipcTest(
  "sweep: objects made by others (Python) are listed only with all, and never swept",
  async (_t, scope) => {
    const name = scope.name("psm_swp", SharedMemory.unlink);
    await using py = spawnPython("shm_python.py", ["create", name, "64"]);
    assert.equal(await py.line(), "ready");
    assert.deepEqual(list({ prefix: name }), []);
    const foreign = list({ prefix: name, all: true });
    assert.equal(foreign.length, 1);
    assert.equal(foreign[0]!.ownerPid, undefined);
    assert.equal(foreign[0]!.ownerAlive, undefined);
    assert.equal(foreign[0]!.size, 64);
    assert.deepEqual(sweep({ prefix: name }), []);
    await py.send("check");
    assert.match(await py.line(), /^bad/); // nobody wrote "from deno!": Python says so
    assert.equal(await py.line(), "unlinked");
  },
);

ipcTest("sweep: an unknown kind is a TypeError (queues are MessageQueue.list's)", () => {
  assert.throws(() => list({ kinds: ["queue" as "shm"] }), TypeError);
  assert.throws(() => list({ kinds: ["bogus" as "shm"] }), TypeError);
});

ipcTest("sweep: this process's own objects are listed as alive", (_t, scope) => {
  const name = scope.name("swp_self", Channel.unlink);
  using ch = Channel.create(name, { capacity: 4096 });
  const [info] = list({ prefix: name }) as [IpcObjectInfo];
  assert.deepEqual(
    [info.kind, info.name, info.ownerPid, info.ownerAlive],
    ["channel", ch.name, Deno.pid, true],
  );
});

ipcTest(
  "sweep: a FIFO in /dev/shm is skipped by list({ all: true }) instead of blocking it forever",
  async (_t, scope) => {
    const name = scope.name("swp_fifo", (n) => Deno.remove(`/dev/shm/${n}`));
    const fifo = await new Deno.Command("mkfifo", { args: [`/dev/shm/${name}`] }).output();
    assert.equal(fifo.code, 0);
    using shm = SharedMemory.create(`${name}_shm`, { size: 8, unlinkOnClose: true });
    // In a child process: opening a FIFO with no writer would block its only thread.
    const code = `import { list } from ${
      JSON.stringify(new URL("../../shm/mod.ts", import.meta.url).href)
    };
console.log(JSON.stringify(list({ all: true, prefix: ${
      JSON.stringify(name)
    } }).map((o) => o.name)));`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      signal: AbortSignal.timeout(10_000),
    }).output();
    assert.equal(out.code, 0, `list() did not return: ${new TextDecoder().decode(out.stderr)}`);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), [shm.name]);
  },
);

function unlinkQuietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // swept already
  }
}

ipcTest(
  "sweep: a dead owner's object replaced under its name after the listing (another sweeper removed it, a live process made it again) is not removed",
  async (_t, scope) => {
    const prefix = scope.name("swp_race");
    for (const suffix of ["_shm", "_ch"]) {
      scope.defer(() => unlinkQuietly(() => SharedMemory.unlink(prefix + suffix)));
    }
    scope.defer(() => unlinkQuietly(() => Semaphore.unlink(`${prefix}_sem`)));
    await using owner = spawnDeno("shm_peer.ts", ["own", prefix]);
    assert.equal(await owner.line(), "ready");
    owner.kill("SIGKILL");
    await owner.status();
    const stale = list({ prefix }); // what this sweep saw: three dead objects
    assert.equal(stale.filter((o) => o.ownerAlive === false).length, 3);
    // Another process sweeps them first and makes them again (this process, alive).
    assert.equal(sweep({ prefix }).length, 3);
    using shm = SharedMemory.create(`${prefix}_shm`, { size: 10 });
    using ch = Channel.create(`${prefix}_ch`, { capacity: 4096 });
    using sem = Semaphore.open(`${prefix}_sem`, { create: true, exclusive: true });
    // This sweep goes on with what it listed: nothing of it is still there to remove.
    assert.deepEqual(removeDead(stale, false), []);
    assert.deepEqual(
      list({ prefix }).map((o) => [o.name, o.ownerPid, o.ownerAlive]),
      [`/${prefix}_ch`, `/${prefix}_sem`, `/${prefix}_shm`].map((n) => [n, Deno.pid, true]),
    );
    shm.write(new Uint8Array([1]));
    assert.equal(ch.trySend("x"), true);
    sem.post();
    assert.equal(removeDead(stale, true).length, 3); // a dry run only reports
  },
);

ipcTest(
  "list: a symbolic link in /dev/shm is never opened nor listed (it could point at a device or pass off another file as a channel)",
  async (_t, scope) => {
    const prefix = scope.name("swp_link");
    const dir = await Deno.makeTempDir();
    scope.defer(() => Deno.remove(dir, { recursive: true }));
    // A file elsewhere that looks like a channel, and a FIFO whose writer waits for a reader.
    Channel.create(`${prefix}_real`, { capacity: 4096 }).close();
    Deno.copyFileSync(`/dev/shm/${prefix}_real`, `${dir}/fake`);
    SharedMemory.unlink(`${prefix}_real`);
    const links = [`/dev/shm/${prefix}_ch`, `/dev/shm/${prefix}_fifo`];
    for (const link of links) scope.defer(() => Deno.remove(link).catch(() => {}));
    Deno.symlinkSync(`${dir}/fake`, links[0]!);
    const fifo = `${dir}/fifo`;
    assert.equal((await new Deno.Command("mkfifo", { args: [fifo] }).output()).code, 0);
    Deno.symlinkSync(fifo, links[1]!);
    const opener = new Deno.Command("python3", {
      args: [
        "-c",
        `import os; os.open(${JSON.stringify(fifo)}, os.O_WRONLY); print("opened", flush=True)`,
      ],
      stdout: "piped",
    }).spawn();
    let listed;
    try {
      await new Promise((r) => setTimeout(r, 200)); // the writer blocks in open()
      listed = list({ prefix, all: true });
      assert.deepEqual(sweep({ prefix }), []);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      try {
        opener.kill("SIGKILL");
      } catch {
        // it exited: its open() returned
      }
    }
    const out = new TextDecoder().decode((await opener.output()).stdout);
    assert.equal(out, "", "list() opened the FIFO behind the link");
    assert.deepEqual(listed, []);
    assert.ok(Deno.lstatSync(links[0]!).isSymlink); // left alone
  },
);
