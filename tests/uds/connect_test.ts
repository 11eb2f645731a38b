// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { connect } from "../../uds/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";
import { serverPeer } from "./_server_peer.ts";

ipcTest(
  "uds connect: onNotification sees the notifications sent right behind the ACCEPT",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await serverPeer(path, "--greet", "3");
    for (let round = 0; round < 5; round++) {
      const seen: string[] = [];
      await using client = await connect({
        path,
        onNotification: (n) => seen.push(`${n.method} ${n.text()}`),
      });
      await client.ping(); // the PONG comes after the greetings
      assert.deepEqual(seen, ["greeting 0", "greeting 1", "greeting 2"]);
    }
  },
);

ipcTest("uds connect: onNotification must be a function", async () => {
  await assert.rejects(
    connect({ path: "/nonexistent/s.sock", onNotification: 1 as never }),
    TypeError,
  );
});

ipcTest(
  "uds connect: a rejected promise from onNotification is not an unhandled rejection",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await serverPeer(path, "--greet", "2");
    const unhandled: unknown[] = [];
    const onUnhandled = (e: PromiseRejectionEvent) => {
      e.preventDefault();
      unhandled.push(e.reason);
    };
    globalThis.addEventListener("unhandledrejection", onUnhandled);
    try {
      let calls = 0;
      await using client = await connect({
        path,
        onNotification: async () => {
          calls++;
          await null;
          throw new Error("listener failed");
        },
      });
      await client.ping();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(calls, 2);
    } finally {
      globalThis.removeEventListener("unhandledrejection", onUnhandled);
    }
    assert.deepEqual(unhandled.map(String), []);
  },
);
