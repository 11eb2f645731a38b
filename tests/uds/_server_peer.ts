// Copyright 2026 the @ipc/linux authors. MIT license.
// Starts tests/fixtures/uds_server.ts in its own process.
import { fileURLToPath } from "node:url";
import { Peer, spawnDeno } from "../_helpers/mod.ts";

const RAW_SERVER = fileURLToPath(new URL("./_raw_server.ts", import.meta.url));

/** Spawns the fixture server and waits until it listens. */
export function serverPeer(address: string, ...flags: string[]): Promise<Peer> {
  return listening(spawnDeno("uds_server.ts", [address, ...flags]));
}

/** Waits until `peer` prints "listening"; stops it if it does not. */
export async function listening(peer: Peer): Promise<Peer> {
  try {
    await peer.expect("listening");
  } catch (err) {
    await peer[Symbol.asyncDispose]();
    throw err;
  }
  return peer;
}

/** Starts tests/uds/_raw_server.ts in `mode` on `path` and waits until it listens. */
export function rawServer(mode: string, path: string): Promise<Peer> {
  return listening(new Peer(Deno.execPath(), ["run", "-A", RAW_SERVER, mode, path]));
}
