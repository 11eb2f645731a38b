// Copyright 2026 the @ipc/linux authors. MIT license.
// The native stream transport's brief sleep on the JavaScript thread
// (`syncWait`, uds/_spin.ts and uds/_spin_conn.ts), between processes.
import assert from "node:assert/strict";
import { connect, ConnectionClosedError, serve, UnixSocket } from "../../uds/mod.ts";
import { encodeFrame } from "../../protocol/mod.ts";
import { pendingWaits } from "../../_ffi/poller.ts";
import { ipcTest, Peer, spawnDeno } from "../_helpers/mod.ts";
import { listening } from "./_server_peer.ts";

const SPIN_PEER = new URL("./_spin_peer.ts", import.meta.url).pathname;
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function server(path: string): Promise<Peer> {
  const peer = spawnDeno("sync_wait_server.ts", [path]);
  await peer.expect("ready");
  return peer;
}

ipcTest(
  "syncWait: both ends sleep briefly; sequential and concurrent requests, replies out of order, descriptors with replies",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await server(path);
    await using client = await connect({ path, transport: "native" });
    for (let i = 0; i < 300; i++) assert.equal(dec(await client.request("echo", `${i}`)), `${i}`);
    // The slow reply comes after the sleep gave up (through the poll loop), behind the fast ones.
    const order: string[] = [];
    const slow = client.request("slow", "slow").then((r) => order.push(dec(r)));
    const fast = Array.from(
      { length: 20 },
      (_, i) => client.request("echo", `${i}`).then((r) => order.push(dec(r))),
    );
    await Promise.all([slow, ...fast]);
    assert.equal(order.length, 21);
    assert.equal(order.at(-1), "slow");
    for (let i = 0; i < 20; i++) {
      const { payload, fds } = await client.requestWithFds("pair", `${i}`);
      assert.equal(dec(payload), `${i}`);
      assert.equal(fds.length, 1);
      using end = UnixSocket.fromFd(fds[0]!.take());
      assert.equal(dec((await end.receive())!.data), "hi");
    }
    await client.close();
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "syncWait: a server that dies while the client sleeps for its reply ends the sleep at once",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using peer = await server(path);
    // A 1 s sleep: the process exits 20 ms in, and the hang-up wakes the sleeper.
    await using client = await connect({ path, transport: "native", syncWait: 1_000_000 });
    const start = performance.now();
    await assert.rejects(client.request("die", "x"), ConnectionClosedError);
    assert.ok(performance.now() - start < 800, `took ${performance.now() - start} ms`);
    await peer.status();
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "syncWait: replies split across reads within the sleep and beyond it, frames batched out of order, an aborted request",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _peer = await listening(new Peer(Deno.execPath(), ["run", "-A", SPIN_PEER, path]));
    // 20 ms of sleep: a 2 ms gap is crossed asleep, a 60 ms gap through the poll loop.
    await using client = await connect({ path, transport: "native", syncWait: 20_000 });
    const size = encodeFrame({ kind: "response", id: 1, payload: new Uint8Array(10) }).length;
    for (const ms of [0, 2, 60]) {
      for (const cut of [1, 4, 9, size - 1]) {
        const how = `split:${cut}:${ms}`.padEnd(10, ".");
        assert.equal(dec(await client.request("x", how)), how, how);
      }
    }
    assert.equal(dec(await client.request("x", "bytes:1")), "bytes:1");
    const events: string[] = [];
    client.addEventListener("notification", (e) => events.push(`notify ${e.method}`));
    for (let i = 0; i < 10; i++) {
      const first = client.request("x", "burst").then((r) => events.push(`1 ${dec(r)}`));
      const second = client.request("x", `second ${i}`).then((r) => events.push(`2 ${dec(r)}`));
      await Promise.all([first, second]);
      assert.deepEqual(events.splice(0), ["notify n", `2 second ${i}`, "1 burst"]);
    }
    // Aborted while the reply is 100 ms away: it is dropped when it comes, the connection goes on.
    await assert.rejects(
      client.request("x", "split:3:100", { signal: AbortSignal.timeout(10) }),
      (err: Error) => err.name === "TimeoutError",
    );
    assert.equal(dec(await client.request("x", "after")), "after");
    await client.close();
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "syncWait: a sleep ends when another connection's parked read gets data",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _peer = await listening(new Peer(Deno.execPath(), ["run", "-A", SPIN_PEER, path]));
    await using other = await connect({ path, transport: "native" });
    await using sleeper = await connect({ path, transport: "native", syncWait: 1_000_000 });
    const start = performance.now();
    let otherAt = 0;
    // Answered in 300 ms: meanwhile its read is parked.
    const otherReply = other.request("x", "split:0:300").then((r) => {
      otherAt = performance.now() - start;
      return dec(r);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Answered in 1.5 s: the sleeper's request sleeps up to 1 s on this thread,
    // watching the other socket too, so the other reply is not held back.
    const sleeperReply = sleeper.request("x", "split:0:1500");
    assert.equal(await otherReply, "split:0:300");
    assert.ok(otherAt < 900, `the other reply was handled after ${otherAt} ms`);
    assert.equal(dec(await sleeperReply), "split:0:1500");
  },
);

ipcTest(
  "syncWait: the event loop waits at most about syncWait per expected answer",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await server(path);
    await using client = await connect({ path, transport: "native" }); // 200 µs
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      let fired = -1;
      const timer = new Promise<void>((resolve) =>
        setTimeout(() => {
          fired = performance.now() - start;
          resolve();
        }, 5)
      );
      const reply = client.request("slow", "s"); // answered 50 ms later
      await timer;
      assert.ok(fired < 40, `a 5 ms timer fired after ${fired} ms while a reply was awaited`);
      assert.equal(dec(await reply), "s");
    }
  },
);

ipcTest("syncWait: options are checked", async (_t, scope) => {
  const path = `${await scope.tempDir()}/s.sock`;
  await assert.rejects(
    serve({ path, syncWait: 10 }, () => ""),
    /syncWait needs transport: "native"/,
  );
  await assert.rejects(connect({ path, syncWait: 0 }), /syncWait needs transport: "native"/);
  for (const syncWait of [-1, 1_000_001]) {
    await assert.rejects(serve({ path, transport: "native", syncWait }, () => ""), RangeError);
    await assert.rejects(connect({ path, transport: "native", syncWait }), RangeError);
  }
  for (const syncWait of [1.5, NaN, "5" as unknown as number]) {
    await assert.rejects(serve({ path, transport: "native", syncWait }, () => ""), TypeError);
    await assert.rejects(connect({ path, transport: "native", syncWait }), TypeError);
  }
  // 0 with and without spin: the plain conn, and the spinning one without a sleep.
  for (const spin of [0, 20]) {
    await using _s = await serve(
      { path, transport: "native", syncWait: 0, spin },
      (r) => r.payload,
    );
    await using client = await connect({ path, transport: "native", syncWait: 0, spin });
    assert.equal(dec(await client.request("e", "zero")), "zero");
  }
});
