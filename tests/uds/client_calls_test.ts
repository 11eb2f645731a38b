// Copyright 2026 the @ipc/linux authors. MIT license.
// The client's calls against a server in another process: ping and its signal.
import assert from "node:assert/strict";
import { ipcTest } from "../_helpers/mod.ts";
import { connect } from "../../uds/mod.ts";
import { serverPeer } from "./_server_peer.ts";

ipcTest("uds client: ping with an aborted signal rejects with its reason", async (_t, scope) => {
  const path = `${await scope.tempDir()}/s.sock`;
  await using _server = await serverPeer(path);
  await using client = await connect({ path });
  const reason = new Error("no time");
  await assert.rejects(client.ping({ signal: AbortSignal.abort(reason) }), (e) => e === reason);
  assert.ok(await client.ping({ signal: new AbortController().signal }) >= 0);
});
