// Copyright 2026 the @ipc/linux authors. MIT license.
// The client's handshake against hand-written servers in another process:
// what arrives with the ACCEPT.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ipcTest, Peer } from "../_helpers/mod.ts";
import { connect } from "../../uds/mod.ts";

const RAW_SERVER = fileURLToPath(new URL("./_raw_server.ts", import.meta.url));

/** Starts tests/uds/_raw_server.ts in `mode` on `path` and waits until it listens. */
async function rawServer(mode: string, path: string): Promise<Peer> {
  const peer = new Peer(Deno.execPath(), ["run", "-A", RAW_SERVER, mode, path]);
  try {
    await peer.expect("listening");
  } catch (err) {
    await peer[Symbol.asyncDispose]();
    throw err;
  }
  return peer;
}

ipcTest(
  "uds client: a frame over 256 bytes in the same read as the ACCEPT is accepted",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await rawServer("accept-notify", path);
    // The server's limit of 256 bytes ends with the ACCEPT, even when the
    // server's next frame (here a 1000-byte NOTIFY) arrives in the same read.
    // (The NOTIFY is dispatched before connect() resolves: nobody listens yet.)
    const client = await connect({ path });
    assert.equal(client.state, "ready");
    await client.close();
    assert.equal(client.state, "closed");
  },
);
