// Copyright 2026 the @ipc/linux authors. MIT license.
// The spinning native conn (uds/_spin_conn.ts) and UnixSocket's synchronous
// first try, against peers in other processes that split, batch, drop or
// corrupt what they send.
import assert from "node:assert/strict";
import { connect, ConnectionClosedError, serve, UnixSocket } from "../../uds/mod.ts";
import { encodeFrame } from "../../protocol/mod.ts";
import { pendingWaits } from "../../_ffi/poller.ts";
import { ipcTest, Peer } from "../_helpers/mod.ts";
import { listening, rawServer, serverPeer } from "./_server_peer.ts";
import type { NotificationEvent } from "../../uds/mod.ts";

const SPIN_PEER = new URL("./_spin_peer.ts", import.meta.url).pathname;
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function spinPeer(path: string): Promise<Peer> {
  return listening(new Peer(Deno.execPath(), ["run", "-A", SPIN_PEER, path]));
}

ipcTest(
  "spinning conn: a reply split across reads, within the spin and beyond it, byte by byte",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _peer = await spinPeer(path);
    // 2 ms of spin: a 1 ms gap is crossed spinning, a 20 ms gap through the poll loop.
    await using client = await connect({ path, transport: "native", spin: 2000 });
    for (const ms of [0, 1, 20]) {
      const size = encodeFrame({ kind: "response", id: 1, payload: new Uint8Array(10) }).length;
      for (const cut of [1, 3, 4, 5, 9, size - 1]) {
        const how = `split:${cut}:${ms}`.padEnd(10, ".");
        assert.equal(dec(await client.request("x", how)), how, how);
      }
    }
    assert.equal(dec(await client.request("x", "bytes:1")), "bytes:1");
    assert.equal(dec(await client.request("x", "plain")), "plain");
    await client.close();
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "spinning conn: several frames in one read (a notification and two replies, out of order)",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _peer = await spinPeer(path);
    await using client = await connect({ path, transport: "native", spin: 500 });
    const events: string[] = [];
    client.addEventListener("notification", (e) => events.push(`notify ${e.method}`));
    for (let i = 0; i < 20; i++) {
      const first = client.request("x", "burst").then((r) => events.push(`1 ${dec(r)}`));
      const second = client.request("x", `second ${i}`).then((r) => events.push(`2 ${dec(r)}`));
      await Promise.all([first, second]);
      assert.deepEqual(events.splice(0), ["notify n", `2 second ${i}`, "1 burst"]);
    }
  },
);

ipcTest(
  "spinning conn: the server closes, or its process exits, while a reply is awaited",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using peer = await spinPeer(path);
    for (const spin of [50, 200_000]) {
      // A spin longer than the wait: the end of stream is seen by the spin itself.
      const client = await connect({ path, transport: "native", spin });
      await assert.rejects(client.request("x", "close"), ConnectionClosedError);
      await client.close();
    }
    const client = await connect({ path, transport: "native", spin: 100 });
    await assert.rejects(client.request("x", "exit"), ConnectionClosedError);
    await client.close();
    await peer.status();
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "spinning conn: an aborted request; a client closed while a reply is on its way",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _peer = await spinPeer(path);
    await using client = await connect({ path, transport: "native", spin: 100 });
    // The reply comes after the abort: it is dropped, the connection goes on.
    await assert.rejects(
      client.request("x", "split:3:100", { signal: AbortSignal.timeout(10) }),
      (err: Error) => err.name === "TimeoutError",
    );
    assert.equal(dec(await client.request("x", "after")), "after");
    await new Promise((resolve) => setTimeout(resolve, 150)); // the late reply arrived and was dropped
    assert.equal(dec(await client.request("x", "again")), "again");
    const other = await connect({ path, transport: "native", spin: 100 });
    // A graceful close waits for the reply, which comes after the spin gave up.
    const waiting = other.request("x", "split:3:200");
    const closing = other.close();
    assert.equal(dec(await waiting), "split:3:200");
    await closing;
    await assert.rejects(other.request("x", "late"), ConnectionClosedError);
    await client.close();
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "spinning conn: a RESPONSE in front of a malformed frame settles, then the connection fails",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await rawServer("respond-bad", path);
    const size = encodeFrame({ kind: "response", id: 1, payload: new Uint8Array(6) }).length + 10;
    for (const cut of [0, 1, 4, size - 10, size - 1]) {
      const client = await connect({ path, transport: "native", spin: 2000 });
      const closed = new Promise<void>((resolve) =>
        client.addEventListener("statechange", () => client.state === "closed" && resolve())
      );
      assert.equal(dec(await client.request("x", String(cut))), "answer", `cut at ${cut}`);
      await closed;
      await assert.rejects(client.request("x", "0"), ConnectionClosedError);
      await client.close();
    }
  },
);

ipcTest(
  "spinning conn: both ends spin; large frames; descriptors a reply brings to a plain request are closed",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    const [a, b] = UnixSocket.pair();
    using _a = a;
    using _b = b;
    await using _server = await serve(
      { path, transport: "native", spin: 100 },
      (req) => req.method === "fd" ? { payload: req.payload, fds: [a] } : req.payload,
    );
    await using client = await connect({ path, transport: "native", spin: 100 });
    for (let i = 0; i < 200; i++) {
      assert.equal(dec(await client.request(i % 2 ? "fd" : "echo", `${i}`)), `${i}`);
    }
    // 4 MiB each way: writes the socket buffer cannot take at once wait on
    // the poll loop; the frame arrives in parts, each read spinning for the next.
    const big = new Uint8Array(4 << 20).map((_, i) => i % 251);
    assert.deepEqual(await client.request("echo", big), big);
    const { payload, fds } = await client.requestWithFds("fd", "kept");
    assert.equal(dec(payload), "kept");
    assert.equal(fds.length, 1);
    fds[0]!.close();
  },
);

ipcTest(
  "spinning conn, a library server spinning in another process: replies read by the brief waits settle their requests in order",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await serverPeer(path, "--spin", "200");
    await using client = await connect({ path, transport: "native", spin: 200 });
    // One at a time: each reply is read by the brief wait after the request
    // (in the writer's turn) or at the read loop's next read, synchronously.
    for (let i = 0; i < 500; i++) assert.equal(dec(await client.request("echo", `${i}`)), `${i}`);
    // Issued together: none waits for another's reply before it is written.
    const texts = Array.from({ length: 50 }, (_, i) => `c${i}`);
    const replies = await Promise.all(texts.map((t) => client.request("echo", t)));
    assert.deepEqual(replies.map(dec), texts);
    // Notifications in front of a reply are dispatched before it settles.
    const seen: string[] = [];
    client.addEventListener("notification", (e) => seen.push((e as NotificationEvent).text()));
    for (let round = 0; round < 20; round++) {
      seen.length = 0;
      await client.request("notify-me", "3");
      assert.deepEqual(seen, ["0", "1", "2"]);
    }
  },
);

ipcTest(
  "UnixSocket: a send that finds the buffer full waits, and later sends stay behind it",
  async () => {
    const [a, b] = UnixSocket.pair();
    using _a = a;
    using _b = b;
    const big = new Uint8Array(4 << 20).fill(1);
    const sends = [a.send(big), a.send(new Uint8Array([2, 3])), a.send(new Uint8Array([4]))];
    const got: number[] = [];
    let total = 0;
    while (total < big.length + 3) {
      const m = (await b.receive({ spin: 20 }))!;
      total += m.data.length;
      if (m.data.some((x) => x !== 1)) got.push(...m.data.filter((x) => x !== 1));
    }
    await Promise.all(sends);
    assert.deepEqual(got, [2, 3, 4]);
    // With nothing queued, a receive takes what is there at once; an aborted one rejects.
    await a.send(new Uint8Array([9]));
    assert.deepEqual((await b.receive())!.data, new Uint8Array([9]));
    const ac = new AbortController();
    ac.abort(new Error("stop"));
    await assert.rejects(b.receive({ signal: ac.signal }), /stop/);
    await assert.rejects(a.send(new Uint8Array([1]), { signal: ac.signal }), /stop/);
  },
);
