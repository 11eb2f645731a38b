// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { processState } from "../../_ffi/process.ts";
import { isProcessAlive } from "../../signals/mod.ts";
import { pidAlive } from "../../shm/_owner.ts";
import { ipcTest, spawnPython } from "../_helpers/mod.ts";

ipcTest(
  "processState: this process is alive, a reaped child is gone, a pid ≤ 0 is gone",
  async () => {
    assert.equal(processState(Deno.pid), "alive");
    assert.equal(processState(0), "gone");
    assert.equal(processState(-1), "gone");
    const child = new Deno.Command("true").spawn();
    await child.status;
    assert.equal(processState(child.pid), "gone");
  },
);

ipcTest("processState: an exited child its parent never reaped is a zombie", async () => {
  await using parent = spawnPython("no_reap.py", ["true"]);
  const pid = Number((await parent.line()).split(" ")[1]);
  // Wait for the event itself: the child's exit makes it a zombie.
  const deadline = Date.now() + 10_000;
  while (!(await Deno.readTextFile(`/proc/${pid}/stat`)).includes(") Z")) {
    assert.ok(Date.now() < deadline, "the child never became a zombie");
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal(processState(pid), "zombie");
  // The two public answers built on it keep their documented meanings.
  assert.equal(isProcessAlive(pid), true); // signals: a zombie still exists
  assert.equal(pidAlive(pid), false); // shm: a zombie peer is gone
  await parent.closeStdin();
  assert.equal((await parent.status()).code, 0);
  assert.equal(processState(pid), "gone");
});
