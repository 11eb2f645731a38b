// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { MessageQueue } from "../../mq/mod.ts";
import { ipcTest, run, runDeno } from "../_helpers/mod.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/mq_limits.ts", import.meta.url));

/**
 * A fresh IPC namespace (its own queues and queues_max) inside a fresh user
 * namespace: RLIMIT_MSGQUEUE is counted per user namespace and uid, so queue
 * memory this user holds elsewhere (other tests, other processes) does not
 * count against the fixture's small limit.
 */
const NAMESPACES = ["--user", "--map-root-user", "--ipc"];

/** Whether this machine lets us make those namespaces and set the mqueue limits. */
async function canUnshare(): Promise<boolean> {
  try {
    const probe = await run("unshare", [
      ...NAMESPACES,
      "sh",
      "-c",
      "echo 2 > /proc/sys/fs/mqueue/queues_max && command -v prlimit",
    ]);
    return probe.code === 0;
  } catch {
    return false; // no unshare binary
  }
}

ipcTest("mq limits: ENOSPC and EMFILE name queues_max and RLIMIT_MSGQUEUE", async (t) => {
  if (!(await canUnshare())) {
    await t.step({ name: "needs unshare --ipc and prlimit (root)", ignore: true, fn() {} });
    return;
  }
  const script = 'echo 2 > /proc/sys/fs/mqueue/queues_max && exec prlimit --msgqueue=20000 "$@"';
  const result = await run("unshare", [
    ...NAMESPACES,
    "sh",
    "-c",
    script,
    "sh",
    Deno.execPath(),
    "run",
    "-A",
    FIXTURE,
  ]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split("\n").map((l) => JSON.parse(l));
  const [third, big, limits] = lines;
  assert.equal(third.label, "third queue");
  assert.equal(third.name, "OsError");
  assert.equal(third.code, "ENOSPC");
  assert.match(third.message, /^No space left on device \(os error 28\): mq_open "\/limits_c": /);
  assert.match(third.message, /queues_max = 2 \(\/proc\/sys\/fs\/mqueue\/queues_max\)/);
  assert.equal(big.label, "big queue");
  assert.equal(big.code, "EMFILE");
  assert.match(big.message, /RLIMIT_MSGQUEUE = 20000 bytes/);
  assert.match(big.message, /this queue needs about \d+ bytes/);
  assert.deepEqual(limits, { label: "limits", ok: true });
});

ipcTest(
  "mq limits: with only --allow-ffi the EINVAL message still names the limit and its value",
  async (_t, scope) => {
    const name = scope.name("mq", (n) => MessageQueue.unlink(n));
    const max = MessageQueue.limits().maxMessages;
    const result = await runDeno("mq_limits.ts", ["no-read", `/${name}`, String(max + 1)], {
      flags: ["--allow-ffi", "--no-prompt"],
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout.trim(),
      `OsError: Invalid argument (os error 22): mq_open "/${name}": maxMessages ${max + 1} is ` +
        `over the system limit msg_max = ${max} (/proc/sys/fs/mqueue/msg_max); ask for less, ` +
        "or raise the limit with sysctl (processes with CAP_SYS_RESOURCE are exempt)",
    );
  },
);
