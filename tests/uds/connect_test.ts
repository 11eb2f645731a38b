// Copyright 2026 the @ipc/linux authors. MIT license.
// connect(): checking its options, the wait for a server's ACCEPT, and the
// notifications sent right behind it, against servers in other processes.
import assert from "node:assert/strict";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { connect } from "../../uds/mod.ts";
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

ipcTest("connect: bad arguments throw before any syscall", async () => {
  await assert.rejects(connect({} as never), TypeError);
  await assert.rejects(connect({ path: "" }), TypeError);
  await assert.rejects(connect({ path: "/tmp/" + "x".repeat(200) }), RangeError);
  await assert.rejects(connect({ path: "/a", port: 1 }), TypeError);
  await assert.rejects(connect({ port: 70000 }), RangeError);
  await assert.rejects(connect({ path: "/a", maxFrameSize: 10 }), RangeError);
  await assert.rejects(connect({ path: "/a", maxFrameSize: 1.5 }), TypeError);
  await assert.rejects(connect({ path: "/a", highWaterMark: 0 }), RangeError);
  await assert.rejects(connect({ path: "/a", handshakeTimeout: -1 }), RangeError);
  await assert.rejects(connect({ path: "/a", reconnect: { initialDelay: -1 } }), RangeError);
  await assert.rejects(connect({ path: "/a", reconnect: { maxAttempts: 0 } }), RangeError);
  await assert.rejects(connect({ path: "/nonexistent/dir/s.sock" }), Deno.errors.NotFound);
});

ipcTest(
  "connect: a server that never accepts: signal and handshakeTimeout end the wait",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/mute.sock`;
    await using mute = spawnDeno("uds_client.ts", ["mute", path]);
    await mute.expect("listening");
    const reason = new Error("gave up");
    const ac = new AbortController();
    const pending = connect({ path, signal: ac.signal });
    setTimeout(() => ac.abort(reason), 50);
    await assert.rejects(pending, (err) => err === reason);
    await assert.rejects(connect({ path, handshakeTimeout: 50 }), Deno.errors.TimedOut);
  },
);

ipcTest("connect: a client is ready at once and reports its address", async (_t, scope) => {
  const path = `${await scope.tempDir()}/s.sock`;
  await using _server = await serverPeer(path);
  await using client = await connect({ path, signal: AbortSignal.timeout(10_000) });
  assert.equal(client.state, "ready");
  assert.deepEqual(client.addr, { transport: "unix", path });
  assert.equal(new TextDecoder().decode(await client.request("echo", "hi")), "hi");
});
