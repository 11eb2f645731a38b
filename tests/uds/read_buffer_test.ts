// Copyright 2026 the @ipc/linux authors. MIT license.
// A connection's read buffer, against a real client process: an idle
// connection's pending read holds 256 bytes, requests of under 256 bytes one
// at a time do not grow it, a burst does, and it is given back (256 bytes
// again) once the client goes back to small requests.
import assert from "node:assert/strict";
import { ipcTest, spawnProgram } from "../_helpers/mod.ts";
import { FramedConnection } from "../../uds/_connection.ts";
import { answerHello } from "../../uds/_handshake.ts";
import { newServerStats } from "../../uds/stats.ts";

const CLIENT = new URL("./_burst_client.ts", import.meta.url).pathname;

/** Waits until `ok()` holds (checked every 5 ms), failing after 2 s with `what`. */
async function until(ok: () => boolean, what: () => string): Promise<void> {
  for (const start = performance.now(); !ok();) {
    if (performance.now() - start > 2000) assert.fail(what());
    await new Promise((r) => setTimeout(r, 5));
  }
}

ipcTest(
  "uds read buffer: 256 bytes while idle, grown by a client's burst, given back after it",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    const listener = Deno.listen({ transport: "unix", path });
    await using client = spawnProgram(Deno.execPath(), [
      "run",
      "-A",
      "--unstable-net",
      CLIENT,
      path,
    ]);
    const conn = await listener.accept();
    listener.close();
    const closed = Promise.withResolvers<void>();
    let largest = 0;
    const settings = { maxFrameSize: 1 << 20, admit: () => "ok" as const, stats: newServerStats() };
    const fc: FramedConnection = new FramedConnection(conn, "server", 1 << 20, {
      frame(frame) {
        largest = Math.max(largest, fc.readHeld);
        if (frame.kind === "hello") answerHello(fc, frame, settings, { id: 1 });
        if (frame.kind === "request") {
          fc.send({ kind: "response", id: frame.id, payload: frame.payload });
        }
        if (frame.kind === "goodbye") {
          fc.send({ kind: "goodbye", reason: "" });
          fc.end();
        }
      },
      closed: () => closed.resolve(),
    });
    fc.start();
    const idle = () => `read buffer ${fc.readHeld} bytes while idle`;
    await until(() => fc.sm.state === "ready" && fc.readHeld === 256, idle);

    // One request of ~180 bytes at a time fits: the buffer does not grow (or swing).
    largest = 0;
    await client.send("medium");
    await client.expect("medium done");
    assert.equal(largest, 256);

    await client.send("burst");
    await client.expect("burst done");
    assert.ok(largest >= 16 * 1024, `the burst grew the read buffer only to ${largest} bytes`);

    await client.send("small");
    await client.expect("small done");
    await until(() => fc.readHeld === 256, idle);

    // Under load again, it grows again.
    largest = 0;
    await client.send("burst");
    await client.expect("burst done");
    assert.ok(largest >= 16 * 1024, `the second burst grew it only to ${largest} bytes`);

    await client.closeStdin();
    await closed.promise;
    assert.equal(fc.reason, undefined);
    assert.equal((await client.status()).code, 0);
  },
);
