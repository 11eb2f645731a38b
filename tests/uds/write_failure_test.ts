// Copyright 2026 the @ipc/linux authors. MIT license.
// A write that fails (EPIPE) while the read side is still open: the peer
// did shutdown(SHUT_RD). The connection must close, every call waiting on it
// settle, and a client with reconnect must reconnect.
import assert from "node:assert/strict";
import { ipcTest, type Peer, spawnProgram } from "../_helpers/mod.ts";
import { connect, ConnectionClosedError, serve } from "../../uds/mod.ts";

/**
 * A Python peer that shuts down its reading side after the handshake and
 * keeps the socket open. `server PATH`: answers each HELLO with an ACCEPT,
 * prints `shut N` (N counts connections). `client PATH`: sends a HELLO, reads
 * the ACCEPT, sends a request `sleep` (id 1) and a PING, prints `shut`.
 */
const PEER = `
import socket, struct, sys
mode, path = sys.argv[1], sys.argv[2]
def hello():
    body = b"IPCL" + struct.pack(">HHII", 1, 1, 0, 1 << 20)
    return struct.pack(">IBBI", 6 + len(body), 0x01, 0, 0) + body
def read(c, n):
    data = b""
    while len(data) < n:
        chunk = c.recv(n - len(data))
        if not chunk: raise SystemExit("peer closed")
        data += chunk
    return data
held = []
if mode == "server":
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path); s.listen(8)
    print("listening", flush=True)
    while True:
        c, _ = s.accept()
        read(c, 26)
        body = struct.pack(">HII", 1, 0, 1 << 20)
        c.sendall(struct.pack(">IBBI", 6 + len(body), 0x02, 0, 0) + body)
        c.shutdown(socket.SHUT_RD)
        held.append(c)
        print("shut", len(held), flush=True)
else:
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(path)
    c.sendall(hello())
    read(c, 20)
    body = bytes([5]) + b"sleep" + b"60000"
    c.sendall(struct.pack(">IBBI", 6 + len(body), 0x10, 0, 1) + body)
    c.shutdown(socket.SHUT_RD)
    c.sendall(struct.pack(">IBBI", 6, 0x20, 0, 7))
    print("shut", flush=True)
    sys.stdin.read()
`;

/** `promise`, or a rejection if it does not settle within `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function python(mode: string, path: string): Peer {
  return spawnProgram("python3", ["-u", "-c", PEER, mode, path]);
}

ipcTest(
  "uds client: a write failing while the read side is open closes the connection, settles every call, and reconnects",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/shut.sock`;
    await using peer = python("server", path);
    await peer.expect("listening");
    await using client = await connect({ path, reconnect: { initialDelay: 10 } });
    await peer.expect("shut 1");
    const calls = [
      client.request("a", "small"),
      client.notify("n", new Uint8Array(64 * 1024)), // written without a copy
      client.request("b", new Uint8Array(64 * 1024)),
    ];
    const settled = await within(Promise.allSettled(calls), 5000);
    for (const result of settled) {
      assert.equal(result.status, "rejected");
      assert.ok(result.reason instanceof ConnectionClosedError, String(result.reason));
    }
    // The lost connection is replaced by a new one.
    await peer.expect("shut 2");
    assert.equal(client.inFlight, 0);
  },
);

for (const peerCredentials of [false, true]) {
  ipcTest(
    `uds server${
      peerCredentials ? " (node:net)" : ""
    }: a reply that cannot be written (the client shut down reading) closes the connection and aborts its handlers`,
    async (_t, scope) => {
      const path = `${await scope.tempDir()}/shut.sock`;
      let aborted: unknown;
      let started!: () => void;
      const running = new Promise<void>((resolve) => started = resolve);
      await using server = await serve({ path, peerCredentials }, (_req, ctx) => {
        started();
        return new Promise((resolve) => {
          const timer = setTimeout(() => resolve("slept"), 60_000);
          ctx.signal.addEventListener("abort", () => {
            clearTimeout(timer);
            aborted = ctx.signal.reason;
            resolve("aborted");
          });
        });
      });
      await using peer = python("client", path);
      await peer.expect("shut");
      await running;
      // The PONG cannot be written: the connection closes although the client's socket is open.
      const deadline = Date.now() + 5000;
      while (server.connections.size > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(server.connections.size, 0);
      assert.ok(aborted instanceof ConnectionClosedError, String(aborted));
    },
  );
}
