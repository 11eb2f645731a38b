// Copyright 2026 the @ipc/linux authors. MIT license.
// borrowNotifications: payloads lent from one reused buffer, between real
// processes; the default mode's payloads stay the receiver's to keep; and a
// sender may reuse its buffer as soon as notify resolves.
import assert from "node:assert/strict";
import { ipcTest, type Peer, spawnProgram } from "../_helpers/mod.ts";
import { connect, type NotificationEvent, serve, type ServerNotification } from "../../uds/mod.ts";
import { isPattern } from "./_bulk_peer.ts";
import { intact, origin, splitOffsets } from "./_split_peer.ts";

const PEER = new URL("./_bulk_peer.ts", import.meta.url).pathname;
const SPLIT_PEER = new URL("./_split_peer.ts", import.meta.url).pathname;
const MiB = 1 << 20;
const COUNT = 40;

function bulkPeer(...args: string[]): Peer {
  return spawnProgram(Deno.execPath(), ["run", "-A", "--unstable-net", PEER, ...args]);
}

/** Checks notifications as they arrive; `expected` is the count to wait for. */
class Tally {
  ok = 0;
  bad: string[] = [];
  readonly buffers = new Set<ArrayBufferLike>();
  check(payload: Uint8Array, size: number): void {
    const { ok, index } = isPattern(payload, size);
    if (ok) this.ok++;
    else this.bad.push(`notification ${index} (${payload.length} bytes)`);
    if (payload.length > 100) this.buffers.add(payload.buffer);
  }
}

ipcTest(
  "uds borrowNotifications: the server lends each payload during onNotification from one reused buffer",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/bulk.sock`;
    const tally = new Tally();
    await using _server = await serve({
      path,
      borrowNotifications: true,
      onNotification: (n: ServerNotification) => tally.check(n.payload, MiB),
    }, () => JSON.stringify({ ok: tally.ok, bad: tally.bad }));
    await using peer = bulkPeer("send", path, String(COUNT), String(MiB));
    // The reply to "done" comes after every notification was handled.
    assert.deepEqual(JSON.parse(await peer.line()), { ok: COUNT, bad: [] });
    assert.equal((await peer.status()).code, 0);
    // 32 large notifications (1 MiB and growing) used at most two buffers:
    // the first, and one grown geometrically past every later size.
    assert.ok(tally.buffers.size <= 2, `${tally.buffers.size} receive buffers`);
  },
);

ipcTest(
  "uds borrowNotifications: an async onNotification keeps its payload until its promise settles",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/bulk.sock`;
    const tally = new Tally();
    let running = 0;
    await using _server = await serve({
      path,
      borrowNotifications: true,
      onNotification: async (n: ServerNotification) => {
        running++;
        // Other notifications arrive while this one waits; they must not
        // land in the buffer this payload is a view of.
        await new Promise((r) => setTimeout(r, 5));
        tally.check(n.payload, 256 * 1024);
        running--;
      },
    }, async () => {
      while (running > 0) await new Promise((r) => setTimeout(r, 5));
      return JSON.stringify({ ok: tally.ok, bad: tally.bad });
    });
    await using peer = bulkPeer("send", path, String(COUNT), String(256 * 1024));
    assert.deepEqual(JSON.parse(await peer.line()), { ok: COUNT, bad: [] });
    assert.equal((await peer.status()).code, 0);
  },
);

ipcTest(
  "uds notifications: by default every payload is the handler's to keep",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/bulk.sock`;
    const kept: Uint8Array[] = [];
    await using _server = await serve({
      path,
      onNotification: (n: ServerNotification) => void kept.push(n.payload),
    }, () => "");
    await using peer = bulkPeer("send", path, "20", String(256 * 1024));
    await peer.line(); // "done" answered: every notification was handled
    assert.equal((await peer.status()).code, 0);
    // Checked only now, after all 20 arrived: none was overwritten.
    const tally = new Tally();
    for (const payload of kept) tally.check(payload, 256 * 1024);
    assert.deepEqual({ ok: tally.ok, bad: tally.bad }, { ok: 20, bad: [] });
    assert.equal(tally.buffers.size, 16); // every large payload in a buffer of its own
  },
);

ipcTest(
  "uds borrowNotifications: a client lends each server notification during its dispatch",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/bulk.sock`;
    await using peer = bulkPeer("serve", path, String(COUNT), String(MiB));
    await peer.expect("listening");
    const tally = new Tally();
    {
      await using client = await connect({ path, borrowNotifications: true });
      client.addEventListener("notification", (e) => {
        tally.check((e as NotificationEvent).payload, MiB);
      });
      // The server answers after it notified: by then every event was dispatched.
      assert.equal(new TextDecoder().decode(await client.request("stream")), "sent");
    }
    assert.deepEqual({ ok: tally.ok, bad: tally.bad }, { ok: COUNT, bad: [] });
    assert.ok(tally.buffers.size <= 2, `${tally.buffers.size} receive buffers`);
    // Without the option, the events' payloads may be kept.
    const kept: Uint8Array[] = [];
    {
      await using client = await connect({ path });
      client.addEventListener("notification", (e) => {
        kept.push((e as NotificationEvent).payload);
      });
      await client.request("stream");
    }
    const later = new Tally();
    for (const payload of kept) later.check(payload, MiB);
    assert.deepEqual({ ok: later.ok, bad: later.bad }, { ok: COUNT, bad: [] });
  },
);

ipcTest(
  "uds borrowNotifications: a non-boolean is a TypeError before any syscall",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    const path = `${dir}/bad.sock`;
    await assert.rejects(
      // @ts-expect-error: testing bad input
      serve({ path, borrowNotifications: "yes" }, () => ""),
      TypeError,
    );
    await assert.rejects(Deno.lstat(path), Deno.errors.NotFound); // nothing was bound
    await assert.rejects(
      // @ts-expect-error: testing bad input
      connect({ path, borrowNotifications: 1 }),
      TypeError, // not NotFound: checked before connecting
    );
  },
);

for (const borrowNotifications of [true, false]) {
  ipcTest(
    `uds ${
      borrowNotifications ? "borrowNotifications" : "default mode"
    }: a stream split at every offset around its frame boundaries arrives intact, kept request payloads too`,
    async (_t, scope) => {
      const path = `${await scope.tempDir()}/split.sock`;
      const seen: string[] = [];
      const bad: string[] = [];
      const kept: Uint8Array[] = [];
      await using _server = await serve({
        path,
        borrowNotifications,
        onNotification: (n: ServerNotification) => {
          seen.push(origin(n.payload));
          if (!intact(n.payload)) bad.push(`${n.method} of ${n.payload.length} bytes`);
        },
      }, (req) => {
        if (req.method === "keep") {
          kept.push(req.payload); // not copied: it must stay intact after later reads
          return "kept";
        }
        // Each kept payload is still the request of its own round, unchanged.
        const spoiled = kept.filter((p, r) => !intact(p) || origin(p) !== `${r}.1`).length;
        const order = seen.every((o, i) => o === `${Math.floor(i / 3)}.${[0, 2, 3][i % 3]}`);
        return JSON.stringify({
          notifications: seen.length,
          order,
          bad,
          kept: kept.length,
          spoiled,
        });
      });
      const rounds = splitOffsets().length;
      await using peer = spawnProgram(Deno.execPath(), ["run", "-A", SPLIT_PEER, "split", path]);
      assert.deepEqual(JSON.parse(await peer.line()), {
        notifications: rounds * 3,
        order: true,
        bad: [],
        kept: rounds,
        spoiled: 0,
      });
      assert.equal((await peer.status()).code, 0);
    },
  );
}
