// Copyright 2026 the @ipc/linux authors. MIT license.
// A reader that stops reading makes the writer wait: memory stays bounded.
import assert from "node:assert/strict";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { type Client, connect, ConnectionClosedError } from "../../uds/mod.ts";

/**
 * Notifies `chunk` until a notify has not resolved for 500 ms; returns the
 * bytes accepted before that and the blocked notify (settled later).
 */
async function fillUntilBlocked(
  client: Client,
  chunk: Uint8Array,
): Promise<{ accepted: number; blocked: Promise<unknown> }> {
  let accepted = 0;
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sent = client.notify("blob", chunk).then(() => true);
    const timeout = new Promise<false>((r) => timer = setTimeout(() => r(false), 500));
    const done = await Promise.race([sent, timeout]);
    clearTimeout(timer);
    // Released (rejected) once the connection dies.
    if (!done) return { accepted, blocked: sent.catch((err) => err) };
    accepted += chunk.length;
    assert.ok(accepted < 32 * 1024 * 1024, `accepted ${accepted} bytes without waiting`);
  }
}

ipcTest("uds backpressure: notify waits once the peer stops reading", async (_t, scope) => {
  const path = `${await scope.tempDir()}/stall.sock`;
  await using peer = spawnDeno("uds_client.ts", ["stall", path]);
  await peer.expect("listening");
  const client = await connect({ path, highWaterMark: 256 * 1024 });
  await peer.expect("stalled");
  // Small payloads are copied into the queue: what was accepted is what fits
  // in the kernel's socket buffers plus the high-water mark, never the stream.
  const { accepted, blocked } = await fillUntilBlocked(client, new Uint8Array(1024));
  assert.ok(accepted >= 256 * 1024, `only ${accepted} bytes before blocking`);
  peer.kill("SIGKILL");
  await peer.status();
  // The blocked writer is released when the connection dies.
  assert.ok(await blocked instanceof ConnectionClosedError);
  await assert.rejects(client.notify("blob", new Uint8Array(1024)), ConnectionClosedError);
  await client.close();
});

ipcTest(
  "uds backpressure: a large payload is written before notify resolves",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/stall.sock`;
    await using peer = spawnDeno("uds_client.ts", ["stall", path]);
    await peer.expect("listening");
    const client = await connect({ path, highWaterMark: 256 * 1024 });
    await peer.expect("stalled");
    // 64 KiB payloads are written from the caller's buffer, so notify resolves
    // only once each is in the kernel: nothing beyond the socket buffers waits.
    const { accepted, blocked } = await fillUntilBlocked(client, new Uint8Array(64 * 1024));
    assert.ok(accepted > 0 && accepted < 16 * 1024 * 1024, `accepted ${accepted} bytes`);
    peer.kill("SIGKILL");
    await peer.status();
    // The notify whose payload never got out rejects: its bytes were not sent.
    const err = await blocked;
    assert.ok(err instanceof ConnectionClosedError, `got ${err}`);
    await client.close();
  },
);

ipcTest(
  "uds backpressure: a request waiting for the queue to drain still honours its signal",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/stall.sock`;
    await using peer = spawnDeno("uds_client.ts", ["stall", path]);
    await peer.expect("listening");
    const client = await connect({ path, highWaterMark: 64 * 1024 });
    await peer.expect("stalled");
    const { blocked } = await fillUntilBlocked(client, new Uint8Array(1024));
    // The queue never drains (the server stopped reading): the request's
    // timeout is the only way out, and it must work.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const request = client.request("echo", "x", { signal: AbortSignal.timeout(100) })
      .then(() => "resolved", (err) => err);
    const outcome = await Promise.race([
      request,
      new Promise((r) => timer = setTimeout(() => r("still pending after 5 s"), 5000)),
    ]);
    clearTimeout(timer);
    assert.ok(
      outcome instanceof DOMException && outcome.name === "TimeoutError",
      `got ${outcome}`,
    );
    peer.kill("SIGKILL");
    await peer.status();
    await blocked;
    await client.close();
  },
);
