// Copyright 2026 the @ipc/linux authors. MIT license.
// Frames in front of a malformed frame are processed, in order, before the
// connection fails (PROTOCOL.md §4), whether they arrive in the same read as
// the bad frame or not: against a server and a hand-written server, each in
// its own process.
import assert from "node:assert/strict";
import { ipcTest } from "../_helpers/mod.ts";
import { connect, ConnectionClosedError, ErrorCode } from "../../uds/mod.ts";
import { encodeFrame, type Frame, FrameDecoder } from "../../protocol/mod.ts";
import { rawServer, serverPeer } from "./_server_peer.ts";

/** A frame of an unknown kind: malformed in any state. */
const BAD = new Uint8Array([0, 0, 0, 6, 0xee, 0, 0, 0, 0, 0]);

/**
 * Handshakes with the server at `path` by hand, writes `bytes` in two writes
 * split `cut` bytes in (one write when `cut` is 0), and returns every frame
 * the server sends until it closes.
 */
async function rawExchange(path: string, bytes: Uint8Array, cut: number): Promise<Frame[]> {
  const conn = await Deno.connect({ transport: "unix", path });
  try {
    await conn.write(encodeFrame({
      kind: "hello",
      minVersion: 1,
      maxVersion: 1,
      features: 0,
      maxFrameSize: 1 << 20,
    }));
    const decoder = new FrameDecoder({ maxFrameSize: 1 << 20 });
    const frames: Frame[] = [];
    const buf = new Uint8Array(4096);
    while (!frames.some((f) => f.kind === "accept")) {
      const n = await conn.read(buf);
      if (n === null) throw new Error("closed before ACCEPT");
      decoder.push(buf.subarray(0, n), frames);
    }
    if (cut === 0) {
      await conn.write(bytes);
    } else {
      await conn.write(bytes.subarray(0, cut));
      await new Promise((resolve) => setTimeout(resolve, 2)); // let the server read it alone
      await conn.write(bytes.subarray(cut));
    }
    for (let n; (n = await conn.read(buf)) !== null;) decoder.push(buf.subarray(0, n), frames);
    return frames.filter((f) => f.kind !== "accept");
  } finally {
    conn.close();
  }
}

function describe(frame: Frame): string {
  return "id" in frame ? `${frame.kind} ${frame.id}` : frame.kind;
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

ipcTest(
  "uds malformed: a PING in front of a bad frame gets its PONG, then the error",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await serverPeer(path);
    const ping = encodeFrame({ kind: "ping", id: 77, payload: new Uint8Array([1, 2]) });
    const bytes = joined(ping, BAD);
    for (let cut = 0; cut < bytes.length; cut++) {
      const frames = await rawExchange(path, bytes, cut);
      assert.deepEqual(
        frames.map((f) => f.kind === "error" ? `error ${f.id} ${f.code}` : describe(f)),
        ["pong 77", `error 0 ${ErrorCode.MALFORMED_FRAME}`],
        `cut at ${cut}`,
      );
    }
  },
);

ipcTest(
  "uds malformed: a REQUEST in front of a bad frame reaches the handler",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using server = await serverPeer(path, "--log");
    for (let cut = 0; cut < 40; cut++) {
      const request = encodeFrame({
        kind: "request",
        id: 5,
        method: "echo",
        payload: new TextEncoder().encode(`r${cut}`),
      });
      const bytes = joined(request, BAD);
      if (cut >= bytes.length) break;
      const frames = await rawExchange(path, bytes, cut);
      await server.expect(`got echo r${cut}`);
      const last = frames.at(-1);
      assert.equal(last?.kind === "error" && last.code, ErrorCode.MALFORMED_FRAME, `cut at ${cut}`);
    }
  },
);

ipcTest(
  "uds malformed: a RESPONSE in front of a bad frame settles its request before the connection fails",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await rawServer("respond-bad", path);
    const size = encodeFrame({ kind: "response", id: 1, payload: new Uint8Array(6) }).length +
      BAD.length;
    for (let cut = 0; cut < size; cut++) {
      const client = await connect({ path });
      const closed = new Promise<void>((resolve) =>
        client.addEventListener("statechange", () => client.state === "closed" && resolve())
      );
      const reply = await client.request("x", String(cut));
      assert.equal(new TextDecoder().decode(reply), "answer", `cut at ${cut}`);
      await closed; // then the bad frame failed the connection
      await assert.rejects(client.request("x", "0"), ConnectionClosedError);
      await client.close();
    }
  },
);
