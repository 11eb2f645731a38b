// Copyright 2026 the @ipc/linux authors. MIT license.
// A Python 3 client written from PROTOCOL.md alone talks to a Deno server;
// bad input from it gets the documented error frame, then the close.
import assert from "node:assert/strict";
import { ipcTest, spawnPython } from "../_helpers/mod.ts";
import { ErrorCode, RemoteError, serve, type Server } from "../../uds/mod.ts";

async function startServer(path: string, handshakeTimeout = 10_000): Promise<Server> {
  return await serve({ path, maxFrameSize: 1 << 16, handshakeTimeout }, async (req, ctx) => {
    if (req.method === "echo") return req.payload;
    if (req.method === "sleep") {
      await new Promise((r) => {
        const t = setTimeout(r, Number(req.text()));
        ctx.signal.addEventListener("abort", () => (clearTimeout(t), r(undefined)));
      });
      return "slept";
    }
    throw new RemoteError(ErrorCode.UNKNOWN_METHOD, `Unknown method "${req.method}"`);
  });
}

async function python(path: string, mode: string, ...args: string[]) {
  await using peer = spawnPython("protocol_client.py", [path, mode, ...args]);
  const lines = [];
  for (;;) {
    try {
      lines.push(JSON.parse(await peer.line()));
    } catch (err) {
      if (String(err).includes("ended without a line")) break;
      throw err;
    }
  }
  const status = await peer.status();
  assert.equal(status.code, 0, peer.stderr);
  return lines;
}

ipcTest(
  "uds: the Python reference client pipelines requests, pings, says goodbye",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/py.sock`;
    await using server = await startServer(path);
    const [hello, echo, pong, unknown, bye] = await python(path, "echo", "alpha", "βeta", "gamma");
    assert.deepEqual(hello.accept, {
      kind: "accept",
      id: 0,
      version: 1,
      features: 0,
      maxFrameSize: 1 << 16,
    });
    assert.deepEqual(
      echo.replies.map((f: { id: number; payload: string }) => [f.id, f.payload]),
      [[1, "alpha"], [2, "βeta"], [3, "gamma"]],
    );
    assert.deepEqual(pong, { kind: "pong", id: 77, payload: "abc" });
    assert.equal(unknown.kind, "error");
    assert.equal(unknown.id, 99);
    assert.equal(unknown.code, ErrorCode.UNKNOWN_METHOD);
    assert.deepEqual(bye, { goodbye: { kind: "goodbye", id: 0, reason: "" }, closed: true });
    await server.shutdown();
    assert.equal(server.connections.size, 0);
  },
);

const BAD_INPUT: Array<[string, string, number]> = [
  ["garbage bytes", "garbage", ErrorCode.FRAME_TOO_LARGE],
  ["an unknown frame kind", "unknown-kind", ErrorCode.MALFORMED_FRAME],
  ["a wrong version in hello", "wrong-version", ErrorCode.UNSUPPORTED_VERSION],
  ["a hello without magic", "bad-magic", ErrorCode.BAD_MAGIC],
  ["a request before hello", "request-before-hello", ErrorCode.UNEXPECTED_FRAME],
  ["a maxFrameSize below 1024 in hello", "small-max-frame", ErrorCode.MALFORMED_FRAME],
];

for (const [what, mode, code] of BAD_INPUT) {
  ipcTest(`uds: ${what} gets REJECT(${code}) and the connection is closed`, async (_t, scope) => {
    const path = `${await scope.tempDir()}/bad.sock`;
    await using server = await startServer(path);
    const [frame] = await python(path, mode);
    assert.equal(frame.kind, "reject", JSON.stringify(frame));
    assert.equal(frame.code, code, JSON.stringify(frame));
    assert.equal(frame.closed, true);
    assert.equal(server.connections.size, 0);
  });
}

ipcTest(
  "uds: an oversized length after the handshake gets ERROR(0, FRAME_TOO_LARGE) and close",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/big.sock`;
    await using _server = await startServer(path);
    const [frame] = await python(path, "oversized");
    assert.deepEqual(
      { kind: frame.kind, id: frame.id, code: frame.code, closed: frame.closed },
      { kind: "error", id: 0, code: ErrorCode.FRAME_TOO_LARGE, closed: true },
    );
  },
);

ipcTest(
  "uds: a reused open request id gets ERROR(0, DUPLICATE_ID) and close",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/dup.sock`;
    await using _server = await startServer(path);
    const [frame] = await python(path, "duplicate-id");
    assert.equal(frame.kind, "error");
    assert.equal(frame.code, ErrorCode.DUPLICATE_ID);
    assert.equal(frame.closed, true);
  },
);

ipcTest(
  "uds: after the handshake, layout is checked before state, stray PONGs are ignored, and a REQUEST after the client's GOODBYE is UNEXPECTED_FRAME",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/rules.sock`;
    await using _server = await startServer(path);
    const [late] = await python(path, "late-bad-magic");
    assert.deepEqual([late.kind, late.id, late.code, late.closed], ["error", 0, 6, true]);
    const [pong] = await python(path, "stray-pong");
    assert.deepEqual(pong, { kind: "pong", id: 6, payload: "y" });
    const [bye, err] = await python(path, "request-after-goodbye");
    assert.equal(bye.kind, "goodbye");
    assert.deepEqual(
      [err.kind, err.id, err.code, err.closed],
      ["error", 0, ErrorCode.UNEXPECTED_FRAME, true],
    );
  },
);

ipcTest("uds: a client that never says hello gets REJECT(HANDSHAKE_TIMEOUT)", async (_t, scope) => {
  const path = `${await scope.tempDir()}/slow.sock`;
  await using _server = await startServer(path, 200);
  const [frame] = await python(path, "silent");
  assert.equal(frame.kind, "reject");
  assert.equal(frame.code, ErrorCode.HANDSHAKE_TIMEOUT);
  assert.equal(frame.closed, true);
});

ipcTest("uds: the Python client works over TCP too", async () => {
  await using server = await serve({ port: 0 }, (req) => req.payload);
  assert.equal(server.addr.transport, "tcp");
  const port = server.addr.transport === "tcp" ? server.addr.port : 0;
  const [, echo] = await python(`tcp:127.0.0.1:${port}`, "echo", "over-tcp");
  assert.equal(echo.replies[0].payload, "over-tcp");
});

ipcTest(
  "uds: the node:net transport (peerCredentials) passes the Python checks too",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/node.sock`;
    const seen: Array<number | undefined> = [];
    await using server = await serve(
      { path, peerCredentials: true },
      (req, ctx) => (seen.push(ctx.connection.peer?.uid), req.payload),
    );
    const [, echo, pong, , bye] = await python(path, "echo", "a", "b");
    assert.deepEqual(echo.replies.map((f: { payload: string }) => f.payload), ["a", "b"]);
    assert.equal(pong.kind, "pong");
    assert.equal(bye.closed, true);
    assert.deepEqual(seen, [Deno.uid(), Deno.uid(), Deno.uid()]);
    for (
      const [mode, code] of [["garbage", 2], ["wrong-version", 5], ["request-before-hello", 3]]
    ) {
      const [frame] = await python(path, mode as string);
      assert.deepEqual([frame.kind, frame.code, frame.closed], ["reject", code, true]);
    }
    const [frame] = await python(path, "oversized");
    assert.deepEqual([frame.kind, frame.code, frame.closed], ["error", 2, true]);
    await server.shutdown();
    assert.equal(server.connections.size, 0);
  },
);

ipcTest(
  "uds: a request in the same write as the HELLO is read under the negotiated limit, not 256 bytes",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/pipelined.sock`;
    await using _server = await startServer(path);
    const [accept, response] = await python(path, "hello-and-request");
    assert.equal(accept.kind, "accept");
    assert.deepEqual(response, { kind: "response", id: 1, size: 400 });
  },
);
