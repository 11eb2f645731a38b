// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A Uint8Array whose `length` lies (a subclass's getter claiming far more
 * than its buffer holds) sent on every native socket kind to a Python peer
 * (tests/fixtures/message_peer.py): the peer gets exactly the real bytes.
 * The length handed to the kernel next to the caller's memory comes from
 * the engine's own getter (_ffi/bytes.ts), never from the object: else
 * `send` read past the buffer and put this process's heap on the wire. A
 * framed request or notification, to a server in its own process, carries
 * the real bytes too: a frame sized by the lying length carried stale bytes
 * of the process's write buffers, another connection's frames among them.
 */
import assert from "node:assert/strict";
import { connect, UnixDatagram, UnixSocket } from "../../uds/mod.ts";
import { ipcTest, spawnPython } from "../_helpers/mod.ts";
import { serverPeer } from "./_server_peer.ts";

/** Four real bytes that claim to be 1 MiB (and 64 KiB + 1: past the datagram scratch area). */
class Liar extends Uint8Array {
  constructor(readonly claim: number) {
    super([1, 2, 3, 4]);
  }
  override get length(): number {
    return this.claim;
  }
}

const enc = (s: string) => new TextEncoder().encode(s);
const ECHO = [...enc("echo:"), 1, 2, 3, 4];

for (const claim of [1 << 20, (1 << 16) + 1]) {
  ipcTest(
    `lying bytes (${claim}): a stream send puts only the real 4 bytes on the wire`,
    async (_t, scope) => {
      const path = `${await scope.tempDir()}/s.sock`;
      await using peer = spawnPython("message_peer.py", ["stream", path]);
      await peer.expect("ready");
      using sock = await UnixSocket.connect(path);
      const signal = AbortSignal.timeout(20_000);
      await sock.send(new Liar(claim), { signal });
      await sock.send(enc("end"), { signal });
      const got: number[] = [];
      for (let m; (m = await sock.receive({ signal })) !== null;) got.push(...m.data);
      assert.deepEqual(got, ECHO);
      await peer.expect("done");
    },
  );

  ipcTest(`lying bytes (${claim}): a seqpacket message is the real 4 bytes`, async (_t, scope) => {
    const path = `${await scope.tempDir()}/q.sock`;
    await using peer = spawnPython("message_peer.py", ["seqpacket", "listen", path]);
    await peer.expect("ready");
    using sock = await UnixSocket.connect(path, { type: "seqpacket" });
    const signal = AbortSignal.timeout(20_000);
    await sock.send(new Liar(claim), { signal });
    assert.deepEqual([...(await sock.receive({ signal }))!.data], ECHO);
    await sock.send(enc("end"), { signal });
    for (let m; (m = await sock.receive({ signal })) !== null;) assert.ok(m.data.length === 2);
    await peer.expect("done");
  });

  ipcTest(`lying bytes (${claim}): a datagram is the real 4 bytes`, async (_t, scope) => {
    const dir = await scope.tempDir();
    await using peer = spawnPython("message_peer.py", ["dgram", `${dir}/peer.sock`]);
    await peer.expect("ready");
    await using me = await UnixDatagram.bind(`${dir}/me.sock`);
    const signal = AbortSignal.timeout(20_000);
    await me.sendTo(`${dir}/peer.sock`, new Liar(claim), { signal });
    assert.deepEqual([...(await me.receiveFrom({ signal })).data], ECHO);
    await me.sendTo(`${dir}/peer.sock`, enc("end"), { signal });
    for (let i = 0; i < 3; i++) await me.receiveFrom({ signal });
    await peer.expect("done");
  });
}

for (const transport of ["default", "native"] as const) {
  ipcTest(
    `lying bytes: a framed request (${transport} transport) carries only its real bytes, never another connection's`,
    async (_t, scope) => {
      const path = `${await scope.tempDir()}/f.sock`;
      await using server = await serverPeer(
        path,
        ...(transport === "native" ? ["--spin", "0"] : []),
      );
      await using a = await connect({ path, transport });
      await using b = await connect({ path, transport });
      // a's frames leave their bytes in this process's write buffers …
      const secret = enc("SECRET-".repeat(40));
      assert.deepEqual(await a.request("echo", secret), secret);
      // … which a frame sized by a lying length would have carried on b's connection.
      assert.deepEqual([...await b.request("echo", new Liar(1 << 10))], [1, 2, 3, 4]);
      await b.notify("note", new Liar(300));
      assert.deepEqual([...await b.request("echo", new Liar(200))], [1, 2, 3, 4]);
      assert.equal(
        await server.line(),
        `notified note ${new TextDecoder().decode(Uint8Array.of(1, 2, 3, 4))}`,
      );
    },
  );
}
