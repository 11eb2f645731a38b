// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { Channel, Semaphore, SharedMemory } from "../../shm/mod.ts";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { ipc, ipcAs, ipcOnTerminal, ipcWith } from "./_ipc.ts";

interface Row {
  kind: string;
  name: string;
  mode?: string;
  error?: string;
}

ipcTest("cli: ls --kind, --prefix and --all choose what is listed", async (_t, scope) => {
  const prefix = scope.name("cli_ls");
  const seg = `${prefix}_seg`;
  const sem = `${prefix}_sem`;
  const foreign = `${prefix}_foreign`;
  scope.defer(() => SharedMemory.unlink(seg));
  scope.defer(() => Semaphore.unlink(sem));
  scope.defer(() => Deno.remove(`/dev/shm/${foreign}`));
  using _seg = SharedMemory.create(seg, { size: 4096 });
  using _sem = Semaphore.open(sem, { create: true, value: 2 });
  // A file this library did not create: no owner record.
  Deno.writeFileSync(`/dev/shm/${foreign}`, new Uint8Array(16));

  const names = async (...args: string[]) => {
    const out = await ipc("ls", "--json", "--prefix", prefix, ...args);
    assert.equal(out.code, 0, out.stderr);
    return (JSON.parse(out.stdout) as Row[]).map((o) => `${o.kind}:${o.name}`).sort();
  };
  assert.deepEqual(await names(), [`sem:/${sem}`, `shm:/${seg}`]);
  assert.deepEqual(await names("--all"), [`sem:/${sem}`, `shm:/${foreign}`, `shm:/${seg}`]);
  assert.deepEqual(await names("--kind", "sem"), [`sem:/${sem}`]);
  assert.deepEqual(await names("--kind", "sem", "--kind", "shm"), [`sem:/${sem}`, `shm:/${seg}`]);
  assert.deepEqual(await names("--kind", "channel"), []);
  const bad = await ipc("ls", "--kind", "pipe");
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /--kind must be one of shm, channel, sem, mq, sysv-msg, sysv-shm, sysv-sem, got "pipe"/,
  );
});

ipcTest("cli: ls shows what it cannot read, with the reason, and exits 1", async (_t, scope) => {
  const name = scope.name("cli_noread", SharedMemory.unlink);
  using _seg = SharedMemory.create(name, { size: 4096 }); // mode 0600, owned by root
  // Only --allow-ffi: every fact is read through the library's FFI.
  const mine = await ipcWith(["--allow-ffi"], "ls", "--json", "--prefix", name);
  assert.equal(mine.code, 0, mine.stderr);
  assert.equal((JSON.parse(mine.stdout) as Row[])[0]!.mode, "0600");
  // Another user cannot open it: listed with the reason, not left out.
  const table = await ipcAs(12345, "ls", "--prefix", name);
  assert.equal(table.code, 1, table.stderr);
  assert.match(
    table.stdout,
    new RegExp(`shm\\s+/${name}\\s+4096\\s+0600\\s+root\\s+-\\s+unreadable: Permission denied`),
  );
  assert.match(table.stderr, /1 object could not be read fully/);
  const json = await ipcAs(12345, "ls", "--json", "--prefix", name);
  assert.equal(json.code, 1);
  const [row] = JSON.parse(json.stdout) as Row[];
  assert.equal(row!.name, `/${name}`);
  assert.match(row!.error!, /Permission denied \(os error 13\): open/);
});

ipcTest("cli: inspect shows who maps a segment and a semaphore's value", async (_t, scope) => {
  const seg = scope.name("cli_insp", SharedMemory.unlink);
  await using owner = spawnDeno("cli_owner.ts", [seg]);
  assert.equal(await owner.line(), "ready 4096");
  const sem = scope.name("cli_insp_sem", Semaphore.unlink);
  using s = Semaphore.open(sem, { create: true, value: 3 });
  s.tryWait();

  const out = await ipc("inspect", seg, "--json");
  assert.equal(out.code, 0, out.stderr);
  const [facts] = JSON.parse(out.stdout);
  assert.equal(facts.kind, "shm");
  assert.equal(facts.size, 4096);
  assert.equal(facts.mode, "0600");
  assert.equal(facts.owner, "root");
  assert.equal(facts.ownerPid, owner.pid);
  assert.deepEqual(facts.mappedBy.map((m: { pid: number }) => m.pid), [owner.pid]);

  const value = await ipc("inspect", `sem:${sem}`, "--json");
  assert.equal(value.code, 0, value.stderr);
  assert.equal(JSON.parse(value.stdout)[0].value, 2);
  const text = await ipc("inspect", `sem:${sem}`);
  assert.match(text.stdout, new RegExp(`^sem:/${sem}\\n`));
  assert.match(text.stdout, /\n {2}value {12}2\n/);
  assert.match(text.stdout, new RegExp(`\\n {2}mappedBy {9}${Deno.pid} \\(deno\\)\\n`));

  // Another user's semaphore is looked at, not refused: only its value is read.
  const foreign = scope.name("cli_insp_foreign", Semaphore.unlink);
  Semaphore.open(foreign, { create: true, value: 4 }).close();
  Deno.chownSync(`/dev/shm/sem.${foreign}`, 12345, 12345);
  const other = await ipc("inspect", `sem:${foreign}`, "--json");
  assert.equal(other.code, 0, other.stderr);
  const [theirs] = JSON.parse(other.stdout);
  assert.deepEqual([theirs.uid, theirs.value], [12345, 4]);

  const missing = await ipc("inspect", `${seg}_none`);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no IPC object named/);
  assert.equal((await ipc("inspect")).code, 2);
});

ipcTest(
  "cli: inspect reads a channel's roles, fill level, end and record size, and a queue's messages",
  async (_t, scope) => {
    const name = scope.name("cli_insp_ch", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    ch.trySend(new Uint8Array(100));
    ch.trySend(new Uint8Array(20));
    const facts = async () => {
      const out = await ipc("inspect", `channel:${name}`, "--json");
      assert.equal(out.code, 0, out.stderr);
      return JSON.parse(out.stdout)[0];
    };
    const before = await facts();
    assert.equal(before.kind, "channel");
    assert.equal(before.capacity, 4096);
    assert.equal(before.usedBytes, 104 + 24);
    assert.equal(before.fill, 128 / 4096);
    assert.equal(before.ended, false);
    assert.equal(before.recordSize, 0);
    assert.deepEqual(before.producer, { pid: Deno.pid, held: true, alive: true });
    assert.deepEqual(before.consumer, { pid: 0, held: false, alive: false });
    ch.end();
    assert.equal((await facts()).ended, true);

    const records = scope.name("cli_insp_rec", Channel.unlink);
    using rec = Channel.create(records, { capacity: 4096, recordSize: 64 });
    rec.trySendRecords(new Uint8Array(128));
    const out = await ipc("inspect", `channel:${records}`, "--json");
    assert.equal(out.code, 0, out.stderr);
    const [recordFacts] = JSON.parse(out.stdout);
    assert.deepEqual([recordFacts.recordSize, recordFacts.usedBytes], [64, 128]);

    const queue = scope.name("cli_insp_mq", MessageQueue.unlink);
    using q = MessageQueue.open(queue, { create: true, maxMessages: 5, messageSize: 64 });
    q.trySend("one");
    q.trySend("two");
    const mq = await ipc("inspect", queue, "--json");
    assert.equal(mq.code, 0, mq.stderr);
    const [attrs] = JSON.parse(mq.stdout);
    assert.deepEqual(
      [attrs.kind, attrs.maxMessages, attrs.messageSize, attrs.currentMessages],
      ["mq", 5, 64, 2],
    );
  },
);

ipcTest("cli: colours only on a terminal, and not with NO_COLOR", async (_t, scope) => {
  const name = scope.name("cli_colour", SharedMemory.unlink);
  using _seg = SharedMemory.create(name, { size: 4096 });
  const coloured = await ipcOnTerminal(undefined, "ls", "--prefix", name);
  assert.ok(coloured.includes("\x1b[1mKIND"), coloured);
  const plain = await ipcOnTerminal("1", "ls", "--prefix", name);
  assert.ok(!plain.includes("\x1b["), plain);
  assert.match(plain, /KIND/);
  const piped = await ipc("ls", "--prefix", name);
  assert.ok(!piped.stdout.includes("\x1b["));
});

ipcTest("cli: --version is deno.json's; a usage error shows the short usage only", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const version = await ipc("--version");
  assert.equal(version.code, 0);
  assert.equal(version.stdout, `${config.version}\n`);
  const usage = await ipc("ls", "--frob");
  assert.equal(usage.code, 2);
  assert.equal(
    usage.stderr,
    'ipc ls: unknown option --frob\nUsage:\n  ipc ls [--kind K]... [--prefix P] [--all] [--json]\nRun "ipc ls --help" for more.\n',
  );
  const none = await ipc();
  assert.equal(none.code, 2);
  assert.doesNotMatch(none.stderr, /Commands:/);
  assert.match(none.stderr, /Usage: ipc <command>/);
});
