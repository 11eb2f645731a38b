// Copyright 2026 the @ipc/linux authors. MIT license.
// The synchronous socket calls behind the native transport: a send of a
// prefix never reaches past the array's real bytes, and receives of
// different sizes each copy out their own bytes.
import assert from "node:assert/strict";
import { receiveInto, sendBytes, WOULD_BLOCK } from "../../_ffi/socket.ts";
import { UnixSocket } from "../../uds/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";

ipcTest("socket: sendBytes sends the prefix asked for, never more than the array has", () => {
  const [a, b] = UnixSocket.pair();
  try {
    const data = new Uint8Array([1, 2, 3, 4, 5, 6]);
    assert.equal(sendBytes(a.fd, data, 2), 2);
    assert.equal(sendBytes(a.fd, data.subarray(2, 4), 1000), 2, "only its 2 real bytes");
    assert.equal(sendBytes(a.fd, data.subarray(4)), 2, "all of it by default");
    const got = new Uint8Array(64);
    assert.equal(receiveInto(b.fd, got, 0), 6);
    assert.deepEqual([...got.subarray(0, 6)], [1, 2, 3, 4, 5, 6]);
    assert.equal(receiveInto(b.fd, got, 0), WOULD_BLOCK);
  } finally {
    a.close();
    b.close();
  }
});

ipcTest("socket: receives of any size, repeated, copy out their own bytes", () => {
  const [a, b] = UnixSocket.pair();
  try {
    // Sizes repeat (a receive reuses what it made for a size seen before),
    // around the bound of that reuse, and up to a whole scratch area.
    for (const size of [1, 79, 3, 79, 1023, 1024, 1025, 5000, 79, 65536, 1]) {
      const sent = new Uint8Array(size).map((_, i) => (i * 7 + size) & 0xff);
      for (let at = 0; at < size;) {
        const n = sendBytes(a.fd, sent.subarray(at));
        assert.notEqual(n, WOULD_BLOCK);
        at += n;
      }
      const got = new Uint8Array(size);
      for (let at = 0; at < size;) {
        const n = receiveInto(b.fd, got.subarray(at), 0);
        assert.ok(n > 0, `received ${n}`);
        at += n;
      }
      assert.deepEqual(got, sent, `size ${size}`);
    }
  } finally {
    a.close();
    b.close();
  }
});
