// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The brief kernel waits of sysv/_wait.ts between real processes: a queue's
 * blocking msgrcv/msgsnd ended by a per-thread timer's SIGRTMAX
 * (_ffi/interrupt.ts). Nothing is lost or taken twice when waits are aborted
 * while a C peer sends or receives, the timer is deleted on close, and the
 * signal never reaches another system call.
 */
import assert from "node:assert/strict";
import { IPC_PRIVATE, SysvMessageQueue } from "../../sysv/mod.ts";
import { libc } from "../../_ffi/mod.ts";
import { buildC, spawnProgram } from "../_helpers/mod.ts";
import {
  pythonSysvIpc,
  randomKey,
  SYSTEM_PYTHON,
  sysvPythonEnv,
  sysvTest,
  track,
} from "../_helpers/sysv.ts";
import type { Scope } from "../_helpers/scope.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const SIGRTMAX = 64;
const FIXTURE = new URL("../fixtures/sysv_child.ts", import.meta.url).pathname;

/** This process's POSIX timers that send SIGRTMAX (from /proc/self/timers). */
function rtmaxTimers(): number {
  return Deno.readTextFileSync("/proc/self/timers").split("\n")
    .filter((line) => line.startsWith(`signal: ${SIGRTMAX}/`)).length;
}

/** A signal mask field of /proc/self/status, as a bigint. */
function statusMask(field: string): bigint {
  const line = Deno.readTextFileSync("/proc/thread-self/status").split("\n")
    .find((l) => l.startsWith(`${field}:`))!;
  return BigInt(`0x${line.split(/\s+/)[1]}`);
}
const bit = 1n << BigInt(SIGRTMAX - 1);

function privateQueue(scope: Scope, options = {}): SysvMessageQueue {
  const q = SysvMessageQueue.open(IPC_PRIVATE, options);
  track(scope, "msg", q.id);
  scope.defer(() => q.close());
  return q;
}

sysvTest("sysv wait: one kernel timer per waiting handle, deleted on close", async (_t, scope) => {
  const before = rtmaxTimers();
  const q = privateQueue(scope, { spin: 0 });
  assert.equal(rtmaxTimers(), before, "no timer before the first wait");
  await assert.rejects(q.receive({ signal: AbortSignal.timeout(30) }), { name: "TimeoutError" });
  assert.equal(rtmaxTimers(), before + 1);
  assert.ok((statusMask("SigCgt") & bit) !== 0n, "SIGRTMAX has the no-op handler");
  const waiting = q.receive();
  q.close();
  await assert.rejects(waiting, Deno.errors.BadResource);
  assert.equal(rtmaxTimers(), before, "close deleted the timer");
  // syncWait 0: never a kernel wait, never a timer
  const none = privateQueue(scope, { spin: 0, syncWait: 0 });
  await assert.rejects(none.receive({ signal: AbortSignal.timeout(20) }), { name: "TimeoutError" });
  assert.equal(rtmaxTimers(), before);
});

sysvTest("sysv wait: the timer's signal never reaches another system call", async (_t, scope) => {
  const q = privateQueue(scope, { spin: 0, syncWait: 50 });
  const lib = libc();
  for (let i = 0; i < 30; i++) {
    // brief waits that time out (the timer fires), then a sleeping poll(2):
    // a signal left pending would end it early with EINTR
    await assert.rejects(q.receive({ signal: AbortSignal.timeout(3) }), { name: "TimeoutError" });
    assert.equal(statusMask("SigPnd") & bit, 0n, "nothing pending after a wait");
    const start = performance.now();
    assert.equal(lib.poll(null, 0n, 2), 0);
    assert.ok(performance.now() - start >= 1.5, "poll slept its whole timeout");
  }
});

/** A Python sysv_ipc peer that sends `n` messages "p:<i>" to the queue of a key, pausing between them. */
const PACED_SENDER = `
import sys, time, random, sysv_ipc
q = sysv_ipc.MessageQueue(int(sys.argv[1]))
n = int(sys.argv[2])
for i in range(n):
    q.send(("p:%d" % i).encode(), True, 1)
    time.sleep(random.random() * 0.0004)
print("sent %d" % n, flush=True)
`;

sysvTest(
  "sysv wait: receives aborted while a Python peer sends lose and repeat nothing",
  async (_t, scope) => {
    const key = randomKey();
    const q = SysvMessageQueue.open(key, { exclusive: true, spin: 0 });
    track(scope, "msg", q.id);
    scope.defer(() => q.close());
    const n = 800;
    await using peer = spawnProgram(SYSTEM_PYTHON, ["-c", PACED_SENDER, String(key), String(n)], {
      env: sysvPythonEnv(),
    });
    const got: string[] = [];
    let aborted = 0;
    const deadline = performance.now() + 60_000;
    while (got.length < n) {
      assert.ok(performance.now() < deadline, `only ${got.length} of ${n} messages came`);
      // aborted after one event-loop turn: often mid-wait, between two kernel waits
      const controller = new AbortController();
      setImmediate(() => controller.abort(new Error("stop")));
      try {
        got.push(text((await q.receive({ signal: controller.signal })).data));
      } catch (err) {
        if ((err as Error).message !== "stop") throw err;
        aborted++;
      }
    }
    assert.equal(await peer.line(), `sent ${n}`);
    assert.deepEqual(got, Array.from({ length: n }, (_, i) => `p:${i}`));
    assert.equal(q.stat().messages, 0);
    assert.ok(aborted > 0, "some waits were aborted");
  },
  { ignore: !pythonSysvIpc() },
);

/** A Python sysv_ipc peer that receives `n` messages from the queue of a key, pausing between them. */
const PACED_RECEIVER = `
import sys, time, random, sysv_ipc
q = sysv_ipc.MessageQueue(int(sys.argv[1]))
for i in range(int(sys.argv[2])):
    time.sleep(random.random() * 0.0004)
    data, _ = q.receive(True, 0)
    print(data.decode(), flush=True)
`;

sysvTest(
  "sysv wait: sends aborted while a Python peer receives are sent once or not at all",
  async (_t, scope) => {
    const key = randomKey();
    // room for 4 messages of 16 B: the sender waits for the slow receiver
    const q = SysvMessageQueue.open(key, { exclusive: true, maxBytes: 64, spin: 0 });
    track(scope, "msg", q.id);
    scope.defer(() => q.close());
    const n = 400;
    await using peer = spawnProgram(SYSTEM_PYTHON, ["-c", PACED_RECEIVER, String(key), String(n)], {
      env: sysvPythonEnv(),
    });
    const sent: string[] = [];
    let aborted = 0;
    let i = 0;
    while (sent.length < n) {
      const data = `d:${String(i++).padStart(12, "0")}`; // 16 bytes
      const controller = new AbortController();
      setImmediate(() => controller.abort(new Error("stop")));
      try {
        await q.send(1, data, { signal: controller.signal });
        sent.push(data);
      } catch (err) {
        if ((err as Error).message !== "stop") throw err;
        aborted++;
      }
    }
    const received: string[] = [];
    for (let k = 0; k < n; k++) received.push(await peer.line());
    assert.deepEqual(received, sent);
    assert.equal((await peer.status()).code, 0);
    assert.equal(q.stat().messages, 0);
    assert.ok(aborted > 0, "some waits were aborted");
  },
  { ignore: !pythonSysvIpc() },
);

sysvTest("sysv wait: a blocked receive wakes at once for a C sender", async (_t, scope) => {
  const exe = await buildC("sysv_c_peer.c");
  const q = privateQueue(scope, { spin: 0, syncWait: 1_000_000 }); // one long kernel wait
  const lib = libc();
  lib.getpid(); // the library is loaded before the peer starts
  await using peer = spawnProgram(exe, ["msg-send", String(q.id), "1"]);
  const msg = await q.receive({ signal: AbortSignal.timeout(20_000) });
  assert.equal(text(msg.data), "c:0");
  assert.equal(await peer.line(), "sent 1");
});

sysvTest(
  "sysv wait: where the thread blocks SIGRTMAX (a signalfd reads it), waits fall back to tries",
  async () => {
    // launched with SIGRTMAX blocked, as the signals module asks of a signalfd reader
    const blocker =
      "import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, [64]); os.execvp(sys.argv[1], sys.argv[1:])";
    const out = await new Deno.Command(SYSTEM_PYTHON, {
      args: ["-c", blocker, Deno.execPath(), "run", "-A", FIXTURE, "msg-wait"],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    assert.equal(out.code, 0);
    // no timer was made (the wait would never have ended), and both waits ended
    assert.deepEqual(text(out.stdout).trim().split("\n"), ["TimeoutError 0", "got late 0"]);
    // and without the block: the same child uses one timer
    const free = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", FIXTURE, "msg-wait"],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    assert.deepEqual(text(free.stdout).trim().split("\n"), ["TimeoutError 1", "got late 1"]);
  },
);
