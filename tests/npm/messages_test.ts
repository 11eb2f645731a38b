// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Message sockets through the npm package on Node.js and Bun, each against
 * this Deno process as the peer (tests/fixtures/npm_messages.mjs): seqpacket
 * UnixSocket both ways with a descriptor, UnixDatagram sendTo/receiveFrom,
 * listenFds() under a launcher that binds first, and the framed protocol
 * over seqpacket.
 */
import assert from "node:assert/strict";
import { SharedMemory } from "../../shm/mod.ts";
import { connect, serve, UnixDatagram, UnixListener, UnixSocket } from "../../uds/mod.ts";
import { ipcTest, spawnPython } from "../_helpers/mod.ts";
import { bunPath, npmProject, place, spawnRuntime } from "../_helpers/npm.ts";
import type { Peer } from "../_helpers/peer.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const RUNTIMES = ["node", "bun"] as const;

/** Deno's half of the fixture's `exchange`: three messages out, three back. */
async function exchange(sock: UnixSocket, peer: Peer, runtime: string): Promise<void> {
  using shm = SharedMemory.anonymous(64);
  shm.write(enc("from-deno"));
  await sock.send(enc("a"));
  await sock.send(enc("bb"));
  await sock.send(enc("ccc"), { fds: [shm] });
  assert.equal(
    await peer.line(),
    `got:${
      JSON.stringify([
        { text: "a", fds: 0 },
        { text: "bb", fds: 0 },
        { text: "ccc", fds: 1 },
        { content: "from-deno" },
      ])
    }`,
  );
  const back = [];
  for (let i = 0; i < 3; i++) {
    const m = (await sock.receive())!;
    back.push(dec(m.data));
    if (m.fds.length) {
      using theirs = SharedMemory.fromFd(m.fds[0]!.take());
      back.push(dec(theirs.read(0, 5 + runtime.length)));
    }
  }
  assert.deepEqual(back, ["x", "yy", "zzz", `from-${runtime}`]);
  sock.close();
  assert.equal(await peer.line(), "fds:same");
  assert.equal((await peer.status()).code, 0, peer.stderr);
}

for (const runtime of RUNTIMES) {
  ipcTest(
    `npm/${runtime}: seqpacket UnixSocket, ${runtime} connects to Deno`,
    async (_t, scope) => {
      const path = `${await scope.tempDir()}/seq.sock`;
      await using listener = await UnixListener.listen(path, { type: "seqpacket" });
      await using peer = await spawnRuntime(runtime, "npm_messages.mjs", ["seq-client", path]);
      await exchange(await listener.accept(), peer, runtime);
    },
  );

  ipcTest(
    `npm/${runtime}: seqpacket UnixSocket, Deno connects to ${runtime}`,
    async (_t, scope) => {
      const path = `${await scope.tempDir()}/seq.sock`;
      await using peer = await spawnRuntime(runtime, "npm_messages.mjs", ["seq-server", path]);
      await peer.expect("listening");
      await exchange(await UnixSocket.connect(path, { type: "seqpacket" }), peer, runtime);
    },
  );

  ipcTest(`npm/${runtime}: UnixDatagram sendTo/receiveFrom with Deno`, async (_t, scope) => {
    const dir = await scope.tempDir();
    const theirs = `${dir}/${runtime}.sock`;
    await using mine = await UnixDatagram.bind(`${dir}/deno.sock`);
    await using peer = await spawnRuntime(runtime, "npm_messages.mjs", [
      "dgram",
      theirs,
      mine.path!,
    ]);
    await peer.expect("bound");
    using shm = SharedMemory.anonymous(64);
    shm.write(enc("from-deno"));
    await mine.sendTo(theirs, enc("one"));
    await mine.sendTo(theirs, enc("two"));
    await mine.sendTo(theirs, enc("three"), { fds: [shm] });
    const replies = [];
    for (let i = 0; i < 3; i++) {
      const { data, from } = await mine.receiveFrom();
      assert.equal(from, theirs);
      replies.push(dec(data));
    }
    assert.deepEqual(replies, [
      `${runtime}:one`,
      `${runtime}:two`,
      `${runtime}:three+from-deno`,
    ]);
    const got = [];
    for (let i = 0; i < 3; i++) {
      const { data, from, fds } = await mine.receiveFrom();
      assert.equal(from, theirs);
      got.push(dec(data));
      if (fds.length) {
        using s = SharedMemory.fromFd(fds[0]!.take());
        got.push(dec(s.read(0, 5 + runtime.length)));
      }
    }
    assert.deepEqual(got, ["p", "qq", "rrr", `from-${runtime}`]);
    await mine.sendTo(theirs, enc("ok"));
    assert.equal(await peer.line(), "fds:same");
    assert.equal((await peer.status()).code, 0, peer.stderr);
  });

  ipcTest(
    `npm/${runtime}: listenFds() takes a launcher's sockets and clears the variables`,
    async (_t, scope) => {
      const dir = await scope.tempDir();
      const api = `${dir}/api.sock`;
      const packets = `${dir}/packets.sock`;
      const project = await npmProject();
      const script = await place("npm_messages.mjs");
      const exe = runtime === "node" ? "node" : await bunPath();
      await using launcher = spawnPython(
        "activation_launcher.py",
        [api, packets, "--", exe, script, "activated"],
        { cwd: project },
      );
      await launcher.expect("bound");
      // Connections made before the server runs wait in the listen backlog.
      const early = connect({ path: api, handshakeTimeout: 60_000 });
      await launcher.send("start");
      await using a = await early;
      await using p = await connect({
        path: packets,
        transport: "native",
        type: "seqpacket",
        handshakeTimeout: 60_000,
      });
      await launcher.expect("serving");
      const fromApi = JSON.parse(dec(await a.request("whoami")));
      assert.deepEqual(fromApi, {
        label: "api",
        runtime,
        inherited: [
          { fd: 3, name: "api", type: "stream", listening: true },
          { fd: 4, name: "packets", type: "seqpacket", listening: true },
        ],
        env: [null, null, null],
        child: ":",
        environ: [null, null, null],
      });
      assert.equal(JSON.parse(dec(await p.request("whoami"))).label, "packets");
      await launcher.closeStdin();
      assert.equal((await launcher.status()).code, 0, launcher.stderr);
    },
  );

  ipcTest(`npm/${runtime}: framed protocol over seqpacket against Deno`, async (_t, scope) => {
    const path = `${await scope.tempDir()}/framed.sock`;
    using mem = SharedMemory.anonymous(64);
    mem.write(enc("from-deno"));
    await using _server = await serve(
      { path, transport: "native", type: "seqpacket" },
      (req) => {
        if (req.method !== "fd") return req.payload;
        using got = SharedMemory.fromFd(req.fds[0]!.take());
        return { payload: dec(got.read(0, 5 + runtime.length)), fds: [mem] };
      },
    );
    await using peer = await spawnRuntime(runtime, "npm_messages.mjs", ["framed", path]);
    assert.equal(
      await peer.line(60_000),
      `result:${
        JSON.stringify({
          echo: `hi from ${runtime}`,
          content: "from-deno",
          refused: "RangeError",
          payload: `from-${runtime}`,
        })
      }`,
    );
    assert.equal(await peer.line(), "fds:same");
    assert.equal((await peer.status()).code, 0, peer.stderr);
  });
}
