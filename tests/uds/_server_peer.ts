// Copyright 2026 the @ipc/linux authors. MIT license.
// Starts tests/fixtures/uds_server.ts in its own process.
import { type Peer, spawnDeno } from "../_helpers/mod.ts";

/** Spawns the fixture server and waits until it listens. */
export async function serverPeer(address: string, ...flags: string[]): Promise<Peer> {
  const peer = spawnDeno("uds_server.ts", [address, ...flags]);
  try {
    await peer.expect("listening");
  } catch (err) {
    await peer[Symbol.asyncDispose]();
    throw err;
  }
  return peer;
}
