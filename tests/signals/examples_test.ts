// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ipcTest, run } from "../_helpers/mod.ts";
import { demo } from "../../examples/_demo/signals.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

function runExample(file: string) {
  return run(Deno.execPath(), ["run", "-A", EXAMPLES + file], { env: { NO_COLOR: "1" } });
}

ipcTest("example signals_shutdown: the worker cleans up and exits 143", async () => {
  const out = await runExample("signals_shutdown.ts");
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /^worker: ready$/m);
  assert.match(out.stdout, /^parent: sending SIGTERM to worker \d+$/m);
  assert.match(out.stdout, /^worker: SIGTERM received; finishing up/m);
  assert.match(out.stdout, /^worker: cleanup done$/m);
  assert.match(out.stdout, /^parent: worker exited with code 143$/m);
});

ipcTest(
  "example signals_realtime: four queued values arrive in order with the sender pid",
  async () => {
    const out = await runExample("signals_realtime.ts");
    assert.equal(out.code, 0, out.stderr);
    const sender = /^sender (\d+): queueing/m.exec(out.stdout)?.[1];
    assert.ok(sender, out.stdout);
    const got = [...out.stdout.matchAll(/^receiver: SIGRTMIN\+1 value=(\d+) from pid (\d+)$/gm)];
    assert.deepEqual(got.map((m) => m[1]), ["3", "2", "1", "0"]);
    assert.ok(got.every((m) => m[2] === sender));
    assert.match(out.stdout, /^sender: receiver exited with code 0$/m);
  },
);

ipcTest("demo part signals: graceful shutdown and a realtime value", async () => {
  const rows = await demo();
  assert.deepEqual(rows.map((r) => r.mechanism), ["signals", "signals"]);
  assert.equal(rows[0]!.result, "cleanup SIGTERM x1, exit code 143");
  assert.match(
    rows[1]!.result,
    new RegExp(`^SIGRTMIN\\+1 value 42 from pid ${Deno.pid} \\(matches\\)$`),
  );
});
