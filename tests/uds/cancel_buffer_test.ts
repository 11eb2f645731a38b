// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { connect } from "../../uds/mod.ts";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";

ipcTest(
  "uds: a cancelled large request hands its buffer back only once it is written",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/cancel.sock`;
    await using server = spawnDeno("uds_server.ts", [path, "--log"]);
    await server.expect("listening ");
    await using client = await connect({ path });
    const buffer = new Uint8Array(1 << 20).fill(0x61); // "aaaa…", written without a copy
    const controller = new AbortController();
    const request = client.request("echo", buffer, { signal: controller.signal });
    const reason = new Error("changed my mind");
    controller.abort(reason);
    await assert.rejects(request, (err) => err === reason);
    buffer.fill(0x62); // the caller reuses its buffer as soon as the promise settled
    // The server saw the bytes as they were when the request was made.
    const line = await server.expect("got echo ");
    const payload = line.slice("got echo ".length);
    assert.equal(payload.length, 1 << 20);
    assert.ok(!payload.includes("b"), "the request's bytes changed after it was cancelled");
    // The connection keeps serving.
    assert.equal(
      new TextDecoder().decode(await client.request("echo", "still here")),
      "still here",
    );
    await server.send("shutdown");
    await server.expect("finished");
  },
);
