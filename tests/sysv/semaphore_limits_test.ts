// Copyright 2026 the @ipc/linux authors. MIT license.
// SEMOPM, the most operations one semop may carry, as /proc/sys/kernel/sem says.
import assert from "node:assert/strict";
import { IPC_PRIVATE, SysvSemaphoreSet } from "../../sysv/mod.ts";
import { systemSemaphoreOps } from "../../sysv/_semaphore_io.ts";
import { run } from "../_helpers/mod.ts";
import { isRoot, sysvTest, track } from "../_helpers/sysv.ts";

const SEM_FILE = "/proc/sys/kernel/sem";

/** The third field of /proc/sys/kernel/sem: SEMMSL SEMMNS SEMOPM SEMMNI. */
function fileSemopm(): number {
  return Number(Deno.readTextFileSync(SEM_FILE).trim().split(/\s+/)[2]);
}

const ops = (n: number) => Array.from({ length: n }, () => ({ index: 0, delta: 1 }));

sysvTest("sysv sem: SEMOPM is read from /proc/sys/kernel/sem", (_t, scope) => {
  const limit = systemSemaphoreOps();
  assert.equal(limit, fileSemopm());
  using set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1 });
  track(scope, "sem", set.id);
  assert.throws(() => set.tryOperate(ops(limit + 1)), (err: Error) => {
    assert.ok(err instanceof RangeError);
    assert.match(err.message, new RegExp(`is not from 1 to ${limit} \\(SEMOPM`));
    assert.match(err.message, /\/proc\/sys\/kernel\/sem/);
    return true;
  });
  // Refused before the kernel saw it: nothing applied, no semop time set.
  assert.equal(set.getValue(0), 0);
  assert.equal(set.stat().lastOperation, null);
  // The kernel takes exactly that many.
  assert.equal(set.tryOperate(ops(limit)), true);
  assert.equal(set.getValue(0), limit);
});

sysvTest(
  "sysv sem: a process sees its IPC namespace's SEMOPM (unshare, root)",
  async () => {
    // A new IPC namespace has its own /proc/sys/kernel/sem: set SEMOPM to 7
    // there only, then run a Deno process in it.
    const out = await run("unshare", [
      "--ipc",
      "sh",
      "-c",
      `echo "32000 1024000000 7 32000" > ${SEM_FILE} && exec "$@"`,
      "sh",
      Deno.execPath(),
      "run",
      "-A",
      new URL("../fixtures/sysv_semopm.ts", import.meta.url).pathname,
    ]);
    assert.equal(out.code, 0, out.stderr);
    const got = JSON.parse(out.stdout);
    assert.equal(got.limit, 7);
    assert.match(got.over, /^RangeError: Cannot operate: 8 operations is not from 1 to 7 \(SEMOPM/);
    assert.equal(got.at, true);
    assert.equal(got.value, 7);
    assert.equal(fileSemopm(), systemSemaphoreOps()); // ours is untouched
  },
  { ignore: !isRoot() || !canUnshare() },
);

function canUnshare(): boolean {
  try {
    return new Deno.Command("unshare", { args: ["--ipc", "true"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}
