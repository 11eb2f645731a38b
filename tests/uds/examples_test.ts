// Copyright 2026 the @ipc/linux authors. MIT license.
// Every uds example runs as its own process and prints what it promises.
import assert from "node:assert/strict";
import { ipcTest, run } from "../_helpers/mod.ts";

const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;

async function example(file: string): Promise<string> {
  const out = await run(Deno.execPath(), ["run", "-A", EXAMPLES + file]);
  assert.equal(out.code, 0, out.stderr);
  return out.stdout;
}

ipcTest("uds example: echo", async () => {
  const out = await example("uds_echo.ts");
  assert.match(out, /client got: hello\nclient got: from\nclient got: the client\n/);
  assert.match(out, /client exited with 0/);
});

ipcTest("uds example: request/response service", async () => {
  const out = await example("uds_service.ts");
  assert.match(out, /get colour -> "blue"/);
  assert.match(out, /keys -> \["colour","size"\]/);
  assert.match(out, /get missing -> RemoteError 4004: No such key "missing"/);
  assert.match(out, /slow -> TimeoutError/);
  assert.match(out, /server: 2 keys stored, 1 request cancelled/);
});

ipcTest("uds example: notification stream", async () => {
  const out = await example("uds_notifications.ts");
  assert.match(out, /alice received: deploy started, tests passed, deploy done/);
  assert.match(out, /bob received: deploy started, tests passed, deploy done/);
});

ipcTest("uds demo: rows from a real exchange between two processes", async () => {
  const { demo } = await import("../../examples/_demo/uds.ts");
  const rows = await demo();
  const byWhat = Object.fromEntries(rows.map((r) => [r.what, r.result]));
  assert.equal(byWhat["child: 3 requests in flight: square 3, 4, 5"], "9, 16, 25");
  assert.equal(byWhat["child: handler threw"], "HANDLER_ERROR: cannot divide");
  assert.equal(byWhat["child: notification received"], "hello from the server");
  assert.equal(byWhat["server shut down"], "socket file removed");
  assert.ok(rows.every((r) => r.mechanism === "uds"));
});
