// Copyright 2026 the @ipc/linux authors. MIT license.
// A reader that stops reading makes the writer wait: memory stays bounded.
import assert from "node:assert/strict";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { connect, ConnectionClosedError } from "../../uds/mod.ts";

ipcTest("uds backpressure: notify waits once the peer stops reading", async (_t, scope) => {
  const path = `${await scope.tempDir()}/stall.sock`;
  await using peer = spawnDeno("uds_client.ts", ["stall", path]);
  await peer.expect("listening");
  const client = await connect({ path, highWaterMark: 256 * 1024 });
  await peer.expect("stalled");
  const chunk = new Uint8Array(64 * 1024);
  let queued = 0;
  let blocked = false;
  let pending: Promise<unknown> | undefined;
  while (!blocked) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sent = client.notify("blob", chunk).then(() => true);
    const timeout = new Promise<false>((r) => timer = setTimeout(() => r(false), 500));
    if (await Promise.race([sent, timeout])) queued += chunk.length;
    else blocked = true;
    clearTimeout(timer);
    if (blocked) {
      // Released (rejected) once the connection dies below.
      pending = sent.catch((err) => err);
    }
    assert.ok(queued < 32 * 1024 * 1024, `queued ${queued} bytes without waiting`);
  }
  // What was accepted is what fits in the kernel's socket buffers plus the
  // high-water mark: a few MiB at most, never the whole stream.
  assert.ok(queued >= 256 * 1024, `only ${queued} bytes before blocking`);
  peer.kill("SIGKILL");
  await peer.status();
  // The blocked writer is released when the connection dies.
  assert.ok(await pending instanceof Error);
  await assert.rejects(client.notify("blob", chunk), ConnectionClosedError);
  await client.close();
});
