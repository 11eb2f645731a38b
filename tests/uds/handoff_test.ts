// Copyright 2026 the @ipc/linux authors. MIT license.
// Socket hand-off: serve({ fd }), server.fd, shutdown({ keepSocketFile }), and
// the zero-downtime restart example with a client hammering the path throughout.
import assert from "node:assert/strict";
import { connect, serve, UnixListener, UnixSocket } from "../../uds/mod.ts";
import { ipcTest, run } from "../_helpers/mod.ts";
import { pipe } from "./_fd_exchange.ts";
import { libc } from "../../_ffi/libc.ts";

const EXAMPLE = new URL("../../examples/uds_handoff.ts", import.meta.url).pathname;
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

ipcTest(
  "uds example: a server restarts by socket hand-off; 0 requests fail across the switch",
  async () => {
    const out = await run(Deno.execPath(), [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-net",
      "--allow-run",
      EXAMPLE,
    ]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /generation 1 handed off and drained/);
    assert.match(out.stdout, /generation 1 exited with 0, generation 2 with 0/);
    const m =
      /requests: (\d+) ok, (\d+) failed, (\d+) retried \(generation 1 answered (\d+), generation 2 answered (\d+)\)/
        .exec(out.stdout);
    assert.ok(m, out.stdout);
    const [ok, failed, , first, second] = m.slice(1).map(Number) as number[] as [
      number,
      number,
      number,
      number,
      number,
    ];
    assert.equal(failed, 0, out.stdout);
    assert.ok(ok > 0 && first > 0 && second > 0, out.stdout);
  },
);

ipcTest(
  "serve({ fd }): takes over a listening socket; the old server keeps the socket file",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/h.sock`;
    const old = await serve({ path, transport: "native" }, () => "old");
    // The descriptor travels to the successor (here: over a socket pair in this process).
    const [a, b] = UnixSocket.pair();
    await a.send(new Uint8Array([1]), { fds: [old.fd] });
    const fd = (await b.receive())!.fds[0]!.take();
    a.close();
    b.close();
    await using successor = await serve({ fd, path }, () => "new");
    assert.deepEqual(successor.addr, { transport: "unix", path, native: true });
    await old.shutdown({ keepSocketFile: true });
    assert.throws(() => old.fd, Deno.errors.BadResource);
    assert.ok((await Deno.lstat(path)).isSocket);
    await using client = await connect({ path });
    assert.equal(dec(await client.request("who")), "new");
  },
);

ipcTest(
  "serve({ fd }): bad descriptors and option mixes are refused; server.fd needs the native transport",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    await assert.rejects(serve({ fd: -1 }, () => ""), TypeError);
    await assert.rejects(serve({ fd: 0, port: 1 }, () => ""), TypeError);
    const [r, w] = pipe();
    await assert.rejects(serve({ fd: r }, () => ""), Deno.errors.InvalidData);
    const [a, b] = UnixSocket.pair();
    await assert.rejects(serve({ fd: a.fd }, () => ""), Deno.errors.InvalidData); // not listening
    // A seqpacket listener is served one frame per packet (PROTOCOL.md §6a).
    const seqPath = `\0ipct-seq-${Deno.pid}-${Date.now()}`;
    const seq = await UnixListener.listen(seqPath, { type: "seqpacket" });
    {
      await using _s = await serve({ fd: seq.take() }, (req) => req.payload);
      await using c = await connect({ path: seqPath, transport: "native", type: "seqpacket" });
      assert.equal(new TextDecoder().decode(await c.request("echo", "packet")), "packet");
    }
    await seq.close();
    for (const s of [a, b]) s.close();
    for (const fd of [r, w]) libc().close(fd);
    await using plain = await serve({ path: `${dir}/p.sock` }, () => "");
    assert.throws(() => plain.fd, Deno.errors.NotSupported);
    assert.throws(() => plain.shutdown({ keepSocketFile: "yes" as unknown as boolean }), TypeError);
  },
);
