// Copyright 2026 the @ipc/linux authors. MIT license.
// Socket struct layouts against C, and the control-message decoder fuzzed.
import assert from "node:assert/strict";
import fc from "fast-check";
import * as S from "../../_ffi/_socket_struct.ts";
import { SOL_SOCKET } from "../../_ffi/constants.ts";
import { UCRED_SIZE } from "../../_ffi/struct.ts";
import { libc } from "../../_ffi/libc.ts";
import { UnixSocket } from "../../uds/mod.ts";
import { buildC, ipcTest, run } from "../_helpers/mod.ts";
import { dups } from "../uds/_fd_exchange.ts";

ipcTest(
  "socket constants and struct layouts match the C library (checked by a C program)",
  async () => {
    const out = await run(await buildC("socket_layout.c"), []);
    assert.equal(out.code, 0, out.stderr);
    const c = JSON.parse(out.stdout);
    const mine = S as unknown as Record<string, number>;
    for (
      const key of [
        "AF_UNIX",
        "SOCK_STREAM",
        "SOCK_SEQPACKET",
        "SOCK_NONBLOCK",
        "SOCK_CLOEXEC",
        "SO_TYPE",
        "SO_ERROR",
        "SO_ACCEPTCONN",
        "SCM_RIGHTS",
        "SHUT_WR",
        "MSG_CTRUNC",
        "MSG_TRUNC",
        "MSG_DONTWAIT",
        "MSG_NOSIGNAL",
        "MSG_CMSG_CLOEXEC",
        "MFD_CLOEXEC",
        "MFD_ALLOW_SEALING",
        "F_ADD_SEALS",
        "F_GET_SEALS",
        "F_SEAL_SHRINK",
        "F_SEAL_WRITE",
      ]
    ) {
      assert.equal(mine[key], c[key], key);
    }
    assert.deepEqual(
      [c.sizeof_sockaddr_un, c.sun_path],
      [S.SOCKADDR_UN_SIZE, S.SUN_PATH_OFFSET],
    );
    assert.deepEqual(
      [c.sizeof_msghdr, c.msg_iov, c.msg_iovlen, c.msg_control, c.msg_controllen, c.msg_flags],
      [S.MSGHDR_SIZE, 16, 24, 32, 40, S.MSG_FLAGS_OFFSET],
    );
    assert.equal(c.sizeof_iovec, S.IOVEC_SIZE);
    assert.deepEqual([c.sizeof_cmsghdr, c.cmsg_level, c.cmsg_type], [S.CMSGHDR_SIZE, 8, 12]);
    assert.equal(c.CMSG_LEN_4, S.cmsgLen(4));
    assert.equal(c.CMSG_SPACE_4, S.cmsgSpace(4));
    assert.equal(c.CMSG_SPACE_1012, S.cmsgSpace(S.SCM_MAX_FD * 4));
    assert.equal(c.sizeof_ucred, UCRED_SIZE);
  },
);

ipcTest("sockaddr_un: paths and abstract names, and what does not fit", () => {
  const file = S.encodeSockaddrUn("/tmp/a.sock");
  assert.equal(file.length, 2 + 11 + 1);
  assert.equal(file.addr[0], S.AF_UNIX);
  const abstract = S.encodeSockaddrUn("\0name");
  assert.equal(abstract.length, 2 + 5);
  assert.equal(abstract.addr[2], 0);
  assert.throws(() => S.encodeSockaddrUn(""), RangeError);
  assert.throws(() => S.encodeSockaddrUn("/" + "x".repeat(107)), RangeError);
  assert.doesNotThrow(() => S.encodeSockaddrUn("\0" + "x".repeat(107)));
});

/** A control buffer made of the given messages, each `[level, type, payload]`. */
function controlOf(messages: Array<[number, number, Uint8Array]>): Uint8Array {
  const total = messages.reduce((n, [, , p]) => n + S.cmsgSpace(p.length), 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  let at = 0;
  for (const [level, type, payload] of messages) {
    v.setBigUint64(at, BigInt(S.cmsgLen(payload.length)), true);
    v.setInt32(at + 8, level, true);
    v.setInt32(at + 12, type, true);
    out.set(payload, at + 16);
    at += S.cmsgSpace(payload.length);
  }
  return out;
}

const fdBytes = (fds: number[]) => new Uint8Array(new Int32Array(fds).buffer);

ipcTest(
  "decodeRights: rights in order, other messages skipped, zero-length and malformed input",
  () => {
    const buf = controlOf([
      [SOL_SOCKET, S.SCM_RIGHTS, fdBytes([5, 6])],
      [SOL_SOCKET, 2, /* SCM_CREDENTIALS */ new Uint8Array(12)],
      [0, /* another level */ S.SCM_RIGHTS, fdBytes([99])],
      [SOL_SOCKET, S.SCM_RIGHTS, new Uint8Array(0)],
      [SOL_SOCKET, S.SCM_RIGHTS, fdBytes([7])],
    ]);
    assert.deepEqual(S.decodeRights(buf, buf.length), { fds: [5, 6, 7] });
    assert.deepEqual(S.decodeRights(buf, 0), { fds: [] });
    assert.deepEqual(S.decodeRights(new Uint8Array(0), 100), { fds: [] });
    // Cut inside the second message's header: what came before is kept.
    const cut = S.decodeRights(buf, S.cmsgSpace(8) + 10);
    assert.deepEqual(cut.fds, [5, 6]);
    assert.match(cut.malformed!, /stray bytes/);
    // A cmsg_len shorter than a header, and one past the end.
    const short = controlOf([[SOL_SOCKET, S.SCM_RIGHTS, fdBytes([3])]]);
    new DataView(short.buffer).setBigUint64(0, 8n, true);
    assert.match(S.decodeRights(short, short.length).malformed!, /shorter than a header/);
    new DataView(short.buffer).setBigUint64(0, 1n << 60n, true);
    assert.match(S.decodeRights(short, short.length).malformed!, /runs past the end/);
    // A payload that is not a whole number of descriptors: the partial one is ignored.
    const odd = controlOf([[SOL_SOCKET, S.SCM_RIGHTS, new Uint8Array([1, 0, 0, 0, 2, 0])]]);
    assert.deepEqual(S.decodeRights(odd, odd.length).fds, [1]);
  },
);

ipcTest("decodeRights (fuzzed): never throws, never reads past the length it is given", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 256 }),
      fc.integer({ min: -10, max: 300 }),
      (bytes, length) => {
        const { fds, malformed } = S.decodeRights(bytes, length);
        const used = Math.max(0, Math.min(length, bytes.length));
        // Each descriptor takes 4 of the bytes the decoder may look at.
        assert.ok(fds.length * 4 <= Math.max(0, used - S.CMSGHDR_SIZE));
        assert.ok(malformed === undefined || typeof malformed === "string");
        // Bytes past `length` never change the result.
        const padded = new Uint8Array(bytes.length + 64);
        padded.set(bytes);
        padded.fill(0xff, used);
        assert.deepEqual(S.decodeRights(padded, used), S.decodeRights(bytes, used));
      },
    ),
    { numRuns: 2000 },
  );
});

ipcTest(
  "decodeRights (fuzzed): well-formed messages of any level and type yield exactly the SCM_RIGHTS descriptors",
  () => {
    const message = fc.tuple(
      fc.constantFrom(SOL_SOCKET, 0, 41),
      fc.constantFrom(S.SCM_RIGHTS, 2, 3),
      fc.array(fc.integer({ min: 0, max: 1 << 20 }), { maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 6 }), (messages) => {
        const buf = controlOf(messages.map(([l, t, fds]) => [l, t, fdBytes(fds)]));
        const expected = messages.flatMap(([l, t, fds]) =>
          l === SOL_SOCKET && t === S.SCM_RIGHTS ? fds : []
        );
        assert.deepEqual(S.decodeRights(buf, buf.length), { fds: expected });
      }),
      { numRuns: 1000 },
    );
  },
);

ipcTest(
  "recvmsg: a control buffer that is too small loses no descriptor (MSG_CTRUNC closes what came)",
  async () => {
    // Real descriptors through the kernel, received with every limit from 0 to 5.
    const [a, b] = UnixSocket.pair();
    using _a = a;
    using _b = b;
    for (let max = 0; max <= 5; max++) {
      const fds = dups(1, 5);
      await a.send(new Uint8Array([max]), { fds });
      for (const fd of fds) libc().close(fd);
      if (max < 5) {
        await assert.rejects(b.receive({ maxFds: max }), Deno.errors.InvalidData);
      } else {
        const m = (await b.receive({ maxFds: max }))!;
        assert.equal(m.fds.length, 5);
        for (const fd of m.fds) fd.close();
      }
    }
  },
);
