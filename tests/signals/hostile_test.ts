// Copyright 2026 the @ipc/linux authors. MIT license.
// Signals against a careless caller or a hostile peer: malformed signal
// lists, what a refused call must not leave behind (runtime listeners), and
// a flood at an iterator that is never read.
import assert from "node:assert/strict";
import { signals } from "../../signals/mod.ts";
import { ipcTest, run, spawnDeno } from "../_helpers/mod.ts";

ipcTest(
  "signals, onShutdown, SignalQueue: a sparse signal list is a clear TypeError and leaves no listener",
  async () => {
    await using child = spawnDeno("../signals/_sparse_child.ts");
    const errors = JSON.parse(await child.line()) as [string, string][];
    for (const [name, message] of errors) {
      assert.equal(name, "TypeError", message);
      assert.match(message, /^Cannot (listen for|shut down on|use) signal undefined/);
    }
    const status = await child.process.status;
    assert.equal(status.signal, "SIGUSR2", `exit code ${status.code}: a listener was left behind`);
  },
);

ipcTest(
  "signals: a peer's flood at an iterator nobody reads buffers each signal once (memory stays bounded)",
  async () => {
    const stream = signals(["SIGURG", "SIGWINCH"]);
    try {
      const flood = `import os\nfor i in range(3000): os.kill(${Deno.pid}, 23 if i % 3 else 28)`;
      const { code } = await run("python3", ["-c", flood]);
      assert.equal(code, 0);
      await new Promise((resolve) => setTimeout(resolve, 100)); // every delivery handled
      const first = await stream.next();
      const second = await stream.next();
      assert.deepEqual([first.value, second.value].sort(), ["SIGURG", "SIGWINCH"]);
      const third = stream.next();
      const timer = new Promise((resolve) => setTimeout(() => resolve("pending"), 100));
      assert.equal(await Promise.race([third, timer]), "pending");
      stream.close();
      assert.deepEqual(await third, { value: undefined, done: true });
    } finally {
      stream.close();
    }
  },
);
