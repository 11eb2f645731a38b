// Copyright 2026 the @ipc/linux authors. MIT license.
// Signals against a careless caller or a hostile peer: malformed signal
// lists, and what a refused call must not leave behind (runtime listeners).
import assert from "node:assert/strict";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";

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
