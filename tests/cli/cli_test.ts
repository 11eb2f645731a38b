// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { Semaphore, SharedMemory } from "../../shm/mod.ts";
import { isProcessAlive } from "../../signals/mod.ts";
import { buildC, ipcTest, spawnDeno, spawnProgram } from "../_helpers/mod.ts";

import { ipc } from "./_ipc.ts";

ipcTest("cli: help for every command, usage errors exit 2", async () => {
  const top = await ipc("--help");
  assert.equal(top.code, 0);
  for (const cmd of ["ls", "inspect", "rm", "sweep", "mq", "shm", "call", "signal"]) {
    assert.match(top.stdout, new RegExp(`\\n  ${cmd}\\b`));
    const help = await ipc(cmd, "--help");
    assert.equal(help.code, 0, cmd);
    assert.match(help.stdout, /^Usage:/, cmd);
    // Help reads in an 80-column terminal: no line (interpolated lists included) is wider.
    for (const line of help.stdout.split("\n")) assert.ok(line.length <= 80, `${cmd}: ${line}`);
  }
  // No command (or no subcommand): a usage error, with the help on stderr.
  for (const args of [[], ["mq"], ["shm"]]) {
    const none = await ipc(...args);
    assert.equal(none.code, 2, args.join(" "));
    assert.equal(none.stdout, "", args.join(" "));
    assert.match(none.stderr, /Usage:/, args.join(" "));
  }
  const unknown = await ipc("frob");
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frob"/);
  const bad = await ipc("signal", "abc", "SIGTERM");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /<pid> must be an integer/);
  const group = await ipc("signal", "0", "SIGTERM");
  assert.equal(group.code, 2);
  assert.match(group.stderr, /process group/);
  assert.match(group.stderr, /--group/); // the command's flag, not the library's option
  assert.doesNotMatch(group.stderr, /processGroup/);
});

ipcTest("cli: names of Object.prototype members are unknown commands and kinds", async () => {
  for (const name of ["toString", "constructor"]) {
    const unknown = await ipc(name);
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, new RegExp(`unknown command "${name}"`));
  }
  for (const kind of ["constructor", "toString", "valueOf"]) {
    const rm = await ipc("rm", `${kind}:/cli_nothing`);
    assert.equal(rm.code, 2, rm.stdout);
    assert.doesNotMatch(rm.stdout, /removed/);
    assert.match(
      rm.stderr,
      /expected shm:<name>, channel:<name>, sem:<name>, mq:<name>, msqid:<id>, shmid:<id> or semid:<id>/,
    );
  }
});

ipcTest("cli: an unknown or misspelt option is a usage error, not ignored", async (_t, scope) => {
  await using target = spawnProgram("sleep", ["30"]);
  // Arguments the library refuses (out of range) are usage errors too.
  const queue = scope.name("cli_prio", MessageQueue.unlink);
  const priority = await ipc("mq", "send", queue, "x", "--create", "--priority", "99999");
  assert.equal(priority.code, 2, priority.stderr);
  assert.match(priority.stderr, /priority/);
  // A value the signal command does not take: it must not send a bare SIGTERM instead.
  const signal = await ipc("signal", String(target.pid), "SIGTERM", "--value", "5");
  assert.equal(signal.code, 2, signal.stderr);
  assert.match(signal.stderr, /unknown option --value/);
  assert.equal(isProcessAlive(target.pid), true);
  // A misspelt --dry-run must not sweep for real.
  const sweep = await ipc("sweep", "--dryrun=1", "--prefix", "cli_none_");
  assert.equal(sweep.code, 2, sweep.stdout);
  assert.match(sweep.stderr, /unknown option --dryrun/);
  // A flag that takes no value, given one.
  const ls = await ipc("ls", "--json=no");
  assert.equal(ls.code, 2);
  assert.match(ls.stderr, /option --json takes no value/);
  // An inline value keeps everything after the first "=".
  const name = scope.name("cli_eq", MessageQueue.unlink);
  const send = await ipc("mq", "send", name, "hi", "--create", "--priority=3=4");
  assert.equal(send.code, 2, send.stderr);
  assert.match(send.stderr, /--priority must be an integer, got "3=4"/);
  target.kill("SIGKILL");
  await target.status();
});

ipcTest("cli: extra arguments are a usage error; signal names are read in any case", async () => {
  await using target = spawnProgram("sleep", ["30"]);
  // An extra word must not be dropped silently (here: a forgotten --group or a typo).
  for (
    const args of [
      ["signal", String(target.pid), "TERM", "5", "extra"],
      ["ls", "foo"],
      ["sweep", "now"],
      ["shm", "cat", "a", "b"],
      ["mq", "stat", "a", "b"],
    ]
  ) {
    const out = await ipc(...args);
    assert.equal(out.code, 2, `${args.join(" ")}: ${out.stderr}`);
    assert.match(out.stderr, /unexpected argument/, args.join(" "));
  }
  assert.equal(isProcessAlive(target.pid), true);
  // kill(1) style: "term", "sigterm" and "SIGTERM" name the same signal.
  const sent = await ipc("signal", String(target.pid), "term");
  assert.equal(sent.code, 0, sent.stderr);
  assert.equal((await target.status()).signal, "SIGTERM");
});

ipcTest("cli: a --timeout outside 0 … 2^31-1 ms is a usage error", async (_t, scope) => {
  const name = scope.name("cli_timeout", MessageQueue.unlink);
  using _q = MessageQueue.open(name, { create: true });
  for (const ms of ["-5", "2147483648", "99999999999999999999"]) {
    const recv = await ipc("mq", "recv", name, `--timeout=${ms}`);
    assert.equal(recv.code, 2, `${ms}: ${recv.stderr}`);
    assert.match(recv.stderr, /--timeout must be/);
    const call = await ipc("call", "/nonexistent/cli.sock", "echo", `--timeout=${ms}`);
    assert.equal(call.code, 2, `${ms}: ${call.stderr}`);
  }
  // A negative value after a space reads as an option (parseArgs): said so, exit 2.
  const spaced = await ipc("mq", "recv", name, "--timeout", "-5");
  assert.equal(spaced.code, 2, spaced.stderr);
  assert.match(spaced.stderr, /option --timeout needs a value \(a negative one as --timeout=-N\)/);
});

ipcTest("cli: mq send/stat/recv between the CLI process and this one", async (_t, scope) => {
  const name = scope.name("cli_mq", MessageQueue.unlink);
  assert.equal((await ipc("mq", "send", name, "first", "--create", "--priority", "2")).code, 0);
  assert.equal((await ipc("mq", "send", name, "urgent", "--priority", "9")).code, 0);
  const stat = await ipc("mq", "stat", name, "--json");
  assert.equal(stat.code, 0, stat.stderr);
  assert.equal(JSON.parse(stat.stdout).currentMessages, 2);
  const text = await ipc("mq", "stat", name);
  assert.equal(text.stdout, `/${name}: 2 of 10 messages waiting, at most 8192 bytes each\n`);
  {
    using q = MessageQueue.open(name);
    const m = q.tryReceive()!;
    assert.equal(new TextDecoder().decode(m.data), "urgent");
    assert.equal(m.priority, 9);
    q.trySend("from deno", { priority: 1 });
  }
  {
    using q = MessageQueue.open(name);
    q.trySend(new Uint8Array([0xff, 0x00]), { priority: 0 });
  }
  const recv = await ipc("mq", "recv", name, "--count", "2");
  assert.equal(recv.code, 0, recv.stderr);
  assert.deepEqual(recv.stdout.trim().split("\n"), ["2 first", "1 from deno"]);
  // --json: one object per line, text when UTF-8, base64 otherwise.
  const json = await ipc("mq", "recv", name, "--json");
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), { priority: 0, base64: "/wA=" });
  assert.equal((await ipc("mq", "recv", name, "--json", "--raw")).code, 2);
  const timeout = await ipc("mq", "recv", name, "--timeout", "100");
  assert.equal(timeout.code, 3);
  const missing = await ipc("mq", "stat", `${name}_missing`);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such file or directory \(os error 2\): mq_open/);
});

ipcTest(
  "cli: ls lists segments and semaphores; shm cat dumps bytes; rm unlinks",
  async (_t, scope) => {
    const shmName = scope.name("cli_shm", SharedMemory.unlink);
    const semName = scope.name("cli_sem", Semaphore.unlink);
    using seg = SharedMemory.create(shmName, { size: 64 });
    seg.bytes.set(new TextEncoder().encode("shared bytes"));
    using sem = Semaphore.open(semName, { create: true, value: 1 });
    const ls = await ipc("ls", "--json");
    assert.equal(ls.code, 0, ls.stderr);
    const list = JSON.parse(ls.stdout) as Array<{ kind: string; name: string; mode: string }>;
    assert.ok(list.some((o) => o.kind === "shm" && o.name === `/${shmName}` && o.mode === "0600"));
    assert.ok(list.some((o) => o.kind === "sem" && o.name === `/${semName}`));
    const table = await ipc("ls");
    assert.match(table.stdout, new RegExp(`shm\\s+/${shmName}`));
    const cat = await ipc("shm", "cat", shmName, "--length", "12");
    assert.equal(cat.code, 0, cat.stderr);
    assert.equal(cat.stdout, "shared bytes");
    const rm = await ipc("rm", `shm:${shmName}`, `sem:${semName}`);
    assert.equal(rm.code, 0, rm.stderr);
    assert.throws(() => SharedMemory.open(shmName), Deno.errors.NotFound);
    const again = await ipc("rm", `shm:${shmName}`);
    assert.equal(again.code, 1);
    assert.equal((await ipc("rm", "nokind")).code, 2);
    assert.ok(!sem.closed);
  },
);

ipcTest("cli: signal with a value reaches a C sigwaitinfo peer", async () => {
  const exe = await buildC("npm_sigwait.c");
  await using peer = spawnProgram(exe);
  assert.equal(await peer.line(), "ready");
  const sent = await ipc("signal", String(peer.pid), "SIGRTMIN+1", "77");
  assert.equal(sent.code, 0, sent.stderr);
  const [offset, value, , code] = (await peer.line()).split(" ").map(Number);
  assert.deepEqual([offset, value, code], [1, 77, -1]);
});

ipcTest(
  "cli: ls shows a dead owner's segment; sweep removes it and nothing else",
  async (_t, scope) => {
    const orphan = scope.name("cli_orphan", SharedMemory.unlink);
    const mine = scope.name("cli_alive", SharedMemory.unlink);
    {
      await using owner = spawnDeno("cli_owner.ts", [orphan]);
      assert.equal(await owner.line(), "ready 4096");
      owner.kill("SIGKILL");
      await owner.status();
    }
    using alive = SharedMemory.create(mine, { size: 4096 });
    const ls = await ipc("ls");
    assert.match(
      ls.stdout,
      new RegExp(`shm\\s+/${orphan}\\s+4096\\s+0600\\s+\\S+\\s+\\d+ \\(dead\\)`),
    );
    assert.match(
      ls.stdout,
      new RegExp(`shm\\s+/${mine}\\s+4096\\s+0600\\s+\\S+\\s+${Deno.pid}\\b`),
    );
    const dry = await ipc("sweep", "--dry-run", "--prefix", "cli_");
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`would remove shm /${orphan} \\(owner pid \\d+\\)`));
    SharedMemory.open(orphan).close(); // still there after a dry run
    const swept = await ipc("sweep", "--prefix", "cli_");
    assert.match(swept.stdout, new RegExp(`removed shm /${orphan}`));
    assert.doesNotMatch(swept.stdout, new RegExp(mine));
    assert.throws(() => SharedMemory.open(orphan), Deno.errors.NotFound);
    assert.equal(alive.size, 4096);
  },
);

ipcTest("cli: call a server in another process over a Unix socket and TCP", async (_t, scope) => {
  const path = `${await scope.tempDir()}/cli.sock`;
  for (const where of [path, "tcp:0"]) {
    await using server = spawnDeno("uds_server.ts", [where]);
    const addr = JSON.parse((await server.expect("listening ")).slice("listening ".length));
    const target = addr.transport === "unix" ? addr.path : `127.0.0.1:${addr.port}`;
    const echo = await ipc("call", target, "echo", "héllo");
    assert.equal(echo.code, 0, echo.stderr);
    assert.equal(echo.stdout, "héllo\n");
    const failed = await ipc("call", target, "app-error");
    assert.equal(failed.code, 4);
    assert.match(failed.stderr, /APPLICATION \(4001\): quota exceeded/);
    const slow = await ipc("call", target, "sleep", "5000", "--timeout", "200");
    assert.equal(slow.code, 3, slow.stderr);
    await server.send("shutdown");
    assert.equal(await server.expect("finished"), "finished");
  }
  const refused = await ipc("call", `${path}.missing`, "echo");
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /ipc call: /);
});
