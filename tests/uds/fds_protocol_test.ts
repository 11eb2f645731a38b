// Copyright 2026 the @ipc/linux authors. MIT license.
// Descriptors on the framed protocol (the FDS feature, PROTOCOL.md §6): the
// Python reference client both ways, malformed counts, and the Deno API.
import assert from "node:assert/strict";
import { libc } from "../../_ffi/libc.ts";
import { SharedMemory } from "../../shm/mod.ts";
import { connect, ErrorCode, serve } from "../../uds/mod.ts";
import { assertNoNewFds, ipcTest, openFds, spawnPython } from "../_helpers/mod.ts";
import { dups, fdServer, pipe, readToEnd } from "./_fd_exchange.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function python(path: string, mode: string) {
  await using peer = spawnPython("protocol_client.py", [path, mode]);
  const lines = [];
  for (;;) {
    try {
      lines.push(JSON.parse(await peer.line()));
    } catch (err) {
      if (String(err).includes("ended without a line")) break;
      throw err;
    }
  }
  assert.equal((await peer.status()).code, 0, peer.stderr);
  return lines;
}

ipcTest(
  "FDS: the Python reference client passes a memfd to the server and gets one back",
  async (_t, scope) => {
    using shm = SharedMemory.anonymous(64);
    const path = `${await scope.tempDir()}/fds.sock`;
    await using _server = await fdServer(path, shm);
    const before = openFds();
    const [features, read, gave, bye] = await python(path, "fds");
    assert.deepEqual(features, { features: 1 });
    assert.deepEqual(read, { kind: "response", id: 1, payload: "from-python" });
    assert.deepEqual(gave, {
      reply: { kind: "response", id: 2, payload: "memfd" },
      content: "from-deno",
    });
    assert.equal(bye.closed, true);
    assert.equal(bye.stray, 0);
    await new Promise((r) => setTimeout(r, 50)); // the server closes its side
    assertNoNewFds(before);
  },
);

ipcTest(
  "FDS: a count the descriptors do not match, or FDS not negotiated, is MALFORMED_FRAME",
  async (_t, scope) => {
    using shm = SharedMemory.anonymous(64);
    const path = `${await scope.tempDir()}/fds.sock`;
    await using _server = await fdServer(path, shm);
    const before = openFds();
    const [miscount] = await python(path, "fds-miscount");
    assert.equal(miscount.kind, "error");
    assert.equal(miscount.code, ErrorCode.MALFORMED_FRAME);
    assert.match(miscount.message, /counts 2 descriptors/);
    assert.equal(miscount.closed, true);
    const [features, unoffered] = await python(path, "fds-not-negotiated");
    assert.deepEqual(features, { features: 0 });
    assert.equal(unoffered.code, ErrorCode.MALFORMED_FRAME);
    assert.match(unoffered.message, /flags/);
    await new Promise((r) => setTimeout(r, 50));
    assertNoNewFds(before);
  },
);

ipcTest("FDS: granted only where the transport can carry descriptors", async (_t, scope) => {
  using shm = SharedMemory.anonymous(64);
  const path = `${await scope.tempDir()}/plain.sock`;
  await using _server = await fdServer(path, shm, "default");
  assert.deepEqual(await python(path, "offer-fds"), [{ features: 0 }]);
  // A native client to a default server: no FDS, so sending any is refused before writing.
  await using client = await connect({ path, transport: "native" });
  await assert.rejects(
    client.request("count", "", { fds: [shm] }),
    (err: Error) => err instanceof Deno.errors.NotSupported && /FDS/.test(err.message),
  );
  await assert.rejects(client.request("count", "", { fds: [-1] }), TypeError);
  assert.equal(dec(await client.request("echo", "still fine")), "still fine");
});

ipcTest(
  "FDS: Deno client and server: 253 descriptors, untaken ones closed, replies with descriptors",
  async (_t, scope) => {
    using shm = SharedMemory.anonymous(64);
    const path = `${await scope.tempDir()}/fds.sock`;
    await using _server = await fdServer(path, shm);
    await using client = await connect({ path, transport: "native" });
    const before = openFds();
    const many = dups(1, 253);
    const counted = client.request("count", "", { fds: many });
    for (const fd of many) libc().close(fd); // the request holds its own duplicates
    assert.equal(dec(await counted), "253");
    await assert.rejects(
      client.request("count", "", { fds: dups(1, 0).concat(Array(254).fill(1)) }),
      RangeError,
    );
    // request() closes descriptors a reply brings; requestWithFds hands them over.
    assert.equal(dec(await client.request("pipe")), "pipe");
    const reply = await client.requestWithFds("pipe");
    assert.equal(reply.fds.length, 1);
    const r = reply.fds[0]!.take();
    assert.equal(readToEnd(r), "piped");
    libc().close(r);
    await new Promise((r) => setTimeout(r, 20));
    assertNoNewFds(before);
  },
);

ipcTest("FDS: notifications carry descriptors too", async (_t, scope) => {
  const path = `${await scope.tempDir()}/n.sock`;
  const got: string[] = [];
  let done!: () => void;
  const arrived = new Promise<void>((r) => done = r);
  await using _server = await serve({
    path,
    transport: "native",
    onNotification: (n) => {
      got.push(readToEnd(n.fds[0]!.fd)); // not taken: closed once this returns
      done();
    },
  }, () => "");
  await using client = await connect({ path, transport: "native" });
  const before = openFds();
  const [r, w] = pipe();
  libc().write(w, enc("notified"), 8n);
  libc().close(w);
  await client.notify("pipe", "", { fds: [r] });
  libc().close(r);
  await arrived;
  assert.deepEqual(got, ["notified"]);
  await assert.rejects(client.notify("x", "", { fds: [-2] }), TypeError);
  await new Promise((r) => setTimeout(r, 20));
  assertNoNewFds(before);
});
