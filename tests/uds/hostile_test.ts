// Copyright 2026 the @ipc/linux authors. MIT license.
// The native socket layer against hostile peers (tests/fixtures/hostile_peer.py
// and raw sockets): whatever a peer sends, no descriptor piles up or leaks, a
// clear error is raised, and other connections go on.
import assert from "node:assert/strict";
import { setSocketOption } from "../../_ffi/message.ts";
import { connect, serve, UnixDatagram, UnixListener } from "../../uds/mod.ts";
import { ipcTest, openFds, type Peer, spawnPython, spawnPythonAsNobody } from "../_helpers/mod.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
/** `SO_PASSCRED` (socket(7)): every message comes with an `SCM_CREDENTIALS` control message. */
const SO_PASSCRED = 16;
/** `SO_PEEK_OFF` (socket(7)): where a `MSG_PEEK` read starts. */
const SO_PEEK_OFF = 42;

/** tests/fixtures/hostile_peer.py with `args`, run as uid 65534 (`setpriv`). */
function asNobody(args: string[]): Promise<Peer> {
  return spawnPythonAsNobody("hostile_peer.py", args);
}

ipcTest(
  "hostile: descriptors no frame claims do not pile up on a native framed connection",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/flood.sock`;
    await using _server = await serve(
      { path, transport: "native" },
      (req) => req.payload,
    );
    const before = openFds().size;
    // 20 one-byte writes of a frame head, each with 253 descriptors (5060 in all).
    await using peer = spawnPython("hostile_peer.py", [path, "fd-flood", "20"]);
    assert.deepEqual(JSON.parse(await peer.line()), { accepted: true });
    const sent = JSON.parse(await peer.line()).sent;
    assert.ok(sent >= 2, `sent ${sent}`);
    // At most a partial frame's and the next frame's descriptors are held.
    assert.ok(openFds().size - before <= 2 * 253 + 2, `${openFds().size - before} fds held`);
    // The server dropped the connection instead of holding the descriptors.
    assert.deepEqual(JSON.parse(await peer.line()), { reply: 0 });
    assert.equal((await peer.status()).code, 0, peer.stderr);
    // Other clients are served as before.
    await using client = await connect({ path, transport: "native" });
    assert.equal(dec(await client.request("echo", enc("still here"))), "still here");
  },
);

ipcTest(
  "hostile: SO_PASSCRED on an adopted socket does not make every message look truncated",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    // A datagram socket a service manager set up with PassCredentials=yes.
    await using dgram = await UnixDatagram.bind(`${dir}/d.sock`);
    setSocketOption(dgram.fd, SO_PASSCRED, 1);
    await using peer = spawnPython("hostile_peer.py", [
      `${dir}/d.sock`,
      "dgram-send",
      "a",
      "b",
      "c",
    ]);
    assert.deepEqual(JSON.parse(await peer.line()), { sent: 3 });
    for (const [text, maxFds] of [["a", 0], ["b", 1], ["c", 253]] as const) {
      const got = await dgram.receiveFrom({ maxFds, signal: AbortSignal.timeout(5000) });
      assert.equal(dec(got.data), text);
      assert.equal(got.fds.length, 0);
    }
    // The same on a stream socket.
    await using listener = await UnixListener.listen(`${dir}/s.sock`);
    await using streamPeer = spawnPython("hostile_peer.py", [
      `${dir}/s.sock`,
      "stream-send",
      "x",
      "y",
    ]);
    using sock = await listener.accept({ signal: AbortSignal.timeout(5000) });
    setSocketOption(sock.fd, SO_PASSCRED, 1);
    for (const [text, maxFds] of [["x", 0], ["y", 1]] as const) {
      const got = await sock.receive({ maxFds, signal: AbortSignal.timeout(5000) });
      assert.equal(dec(got!.data), text);
      await streamPeer.send("next");
    }
    assert.deepEqual(JSON.parse(await streamPeer.line()), { sent: 2 });
  },
);

ipcTest(
  "hostile: a datagram over 256 KiB is received whole even when a peek saw another length",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/big.sock`;
    await using dgram = await UnixDatagram.bind(path);
    // A peek offset (inherited, or another reader taking the peeked message
    // first) makes the length a peek reports differ from the message read.
    setSocketOption(dgram.fd, SO_PEEK_OFF, 1);
    const sizes = [300_000, 100_000, 700_000];
    await using peer = spawnPython("hostile_peer.py", [path, "dgram-sizes", ...sizes.map(String)]);
    assert.deepEqual(JSON.parse(await peer.line()), { sent: 3 });
    for (const size of sizes) {
      setSocketOption(dgram.fd, SO_PEEK_OFF, 1);
      const { data } = await dgram.receiveFrom({
        maxBytes: 1 << 20,
        signal: AbortSignal.timeout(5000),
      });
      assert.equal(data.length, size);
      assert.ok(data.every((b, i) => b === i % 251), `the ${size}-byte datagram's bytes`);
    }
  },
);

ipcTest(
  "hostile: a live socket of another type and uid at the path is AlreadyExists, and kept",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    await Deno.chmod(dir, 0o1777); // a shared directory, like /tmp
    // The interpreter itself: a pyenv shim under /root is not for uid 65534.
    // What binds each socket type at a path: [the type it binds, how].
    const attempts: [string, string, (path: string) => Promise<unknown>][] = [
      ["stream", "UnixListener", (path) => UnixListener.listen(path)],
      ["stream", "serve", (path) => serve({ path }, () => "")],
      ["seqpacket", "UnixListener", (path) => UnixListener.listen(path, { type: "seqpacket" })],
      [
        "seqpacket",
        "serve",
        (path) => serve({ path, transport: "native", type: "seqpacket" }, () => ""),
      ],
      ["datagram", "UnixDatagram", (path) => UnixDatagram.bind(path)],
    ];
    for (const kind of ["stream", "datagram", "seqpacket"]) {
      const path = `${dir}/${kind}.sock`;
      await using squatter = await asNobody([path, "squat", kind]);
      assert.deepEqual(JSON.parse(await squatter.line()), { uid: 65534 });
      const before = await Deno.lstat(path);
      for (const [type, name, attempt] of attempts) {
        if (type === kind) continue; // the same type: covered by socket_file_test.ts
        const err = await attempt(path).then(
          async (got) => {
            const it = got as { close?(): unknown; shutdown?(): unknown };
            await (it.shutdown?.() ?? it.close?.());
            return undefined;
          },
          (e) => e,
        );
        assert.ok(
          err instanceof Deno.errors.AlreadyExists,
          `${type} ${name} over a live ${kind} socket: ${err}`,
        );
        const now = await Deno.lstat(path);
        assert.equal(now.ino, before.ino, `${type} ${name} replaced the live ${kind} socket`);
      }
      await squatter.closeStdin();
      assert.equal((await squatter.status()).code, 0, squatter.stderr);
    }
  },
);

ipcTest(
  "hostile: LISTEN_FDS counting more descriptors than were passed does not hand out the runtime's own",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/act.sock`;
    // Descriptor 3 is passed; 4, 5, … are whatever the runtime opened itself.
    const code = `
      import assert from "node:assert/strict";
      import { listenFds, serve } from "${new URL("../../uds/mod.ts", import.meta.url).href}";
      const flags = (fd) => Deno.readTextFileSync("/proc/self/fdinfo/" + fd).match(/flags:\\s*(\\d+)/)[1];
      const before = [4, 5, 6, 7].map(flags);
      const bad = (err) => err instanceof Deno.errors.InvalidData && /descriptor 4 was not inherited/.test(err.message);
      assert.throws(() => listenFds(), bad);
      assert.throws(() => listenFds(), bad); // the same answer every time
      await assert.rejects(serve({ activation: true }, () => ""), bad);
      assert.deepEqual([4, 5, 6, 7].map(flags), before);
      console.log("ok");
    `;
    await using launcher = spawnPython("hostile_peer.py", [
      path,
      "activate",
      "8",
      "--",
      Deno.execPath(),
      "eval",
      code,
    ]);
    assert.equal(await launcher.line(), "ok", launcher.stderr);
    assert.equal((await launcher.status()).code, 0, launcher.stderr);
  },
);

ipcTest(
  'hostile: a sender bound at a name that is not UTF-8 is from "", not another socket\'s name',
  async (_t, scope) => {
    const dir = await scope.tempDir();
    await using dgram = await UnixDatagram.bind(`${dir}/r.sock`);
    // The name U+FFFD decoding would give: replies must not land here.
    await using decoy = await UnixDatagram.bind(`${dir}/\ufffd.sock`);
    await using peer = spawnPython("hostile_peer.py", [`${dir}/r.sock`, "dgram-from"]);
    assert.deepEqual(JSON.parse(await peer.line()), { sent: 2 });
    for (let i = 0; i < 2; i++) {
      const { data, from } = await dgram.receiveFrom({ signal: AbortSignal.timeout(5000) });
      assert.equal(dec(data), "hi");
      assert.equal(from, "", `from ${JSON.stringify(from)}`);
    }
    assert.equal(decoy.path, `${dir}/\ufffd.sock`);
  },
);

ipcTest(
  "hostile: UnixDatagram.bind never sets its mode on a file swapped in for its socket",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    await Deno.chmod(dir, 0o777); // writable by the other uid, and not sticky
    const victim = `${await scope.tempDir()}/victim`;
    await Deno.writeTextFile(victim, "secret", { mode: 0o600 });
    await Deno.chmod(victim, 0o600);
    const path = `${dir}/d.sock`;
    await using swapper = await asNobody([path, "swap-symlink", victim]);
    assert.deepEqual(JSON.parse(await swapper.line()), { uid: 65534 });
    const deadline = Date.now() + 3000;
    for (let i = 0; i < 300 && Date.now() < deadline; i++) {
      try {
        await (await UnixDatagram.bind(path, { mode: 0o666 })).close();
      } catch {
        // AlreadyExists or NotFound while the file is swapped: fine
      }
      assert.equal(
        (await Deno.stat(victim)).mode! & 0o777,
        0o600,
        `chmod-ed through a link (${i})`,
      );
    }
    await swapper.closeStdin();
    assert.ok(JSON.parse(await swapper.line()).swaps > 0, "the swapper never swapped");
    assert.equal(await Deno.readTextFile(victim), "secret");
  },
);
