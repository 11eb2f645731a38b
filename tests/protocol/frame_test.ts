// Copyright 2026 the @ipc/linux authors. MIT license.
// The encoder (protocol/frame.ts): the documented bytes, packing into a
// buffer, and the fields it refuses before writing anything.
import assert from "node:assert/strict";
import {
  encodeFrame,
  encodeFrameHead,
  encodeFrameInto,
  type Frame,
  FrameDecoder,
  methodLength,
} from "../../protocol/mod.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

Deno.test("protocol frame: the documented request example encodes byte for byte", () => {
  const bytes = encodeFrame({ kind: "request", id: 7, method: "echo", payload: utf8("hi") });
  assert.deepEqual(
    [...bytes],
    [0, 0, 0, 13, 0x10, 0, 0, 0, 0, 7, 4, 0x65, 0x63, 0x68, 0x6f, 0x68, 0x69],
  );
});

Deno.test("protocol frame: encodeFrameInto packs frames and refuses a short buffer", () => {
  const buf = new Uint8Array(40);
  const n = encodeFrameInto({ kind: "cancel", id: 5 }, buf, 3);
  assert.equal(n, 10);
  assert.deepEqual(new FrameDecoder().push(buf.subarray(3, 13)), [{ kind: "cancel", id: 5 }]);
  assert.throws(() => encodeFrameInto({ kind: "cancel", id: 5 }, buf, 35), RangeError);
});

Deno.test("protocol frame: the encoder rejects fields it cannot express", () => {
  const p = new Uint8Array();
  assert.throws(() => encodeFrame({ kind: "request", id: 0, method: "m", payload: p }), RangeError);
  assert.throws(() => encodeFrame({ kind: "request", id: 1, method: "", payload: p }), RangeError);
  assert.throws(
    () => encodeFrame({ kind: "request", id: 1, method: "x".repeat(256), payload: p }),
    RangeError,
  );
  assert.throws(() => encodeFrame({ kind: "error", id: 1, code: 70000, message: "" }), RangeError);
  // A lone surrogate would go out as U+FFFD: the peer would see another method.
  for (const method of ["a\uD83D", "\uDE00b", "x\uDC00\uD800"]) {
    assert.throws(() => encodeFrame({ kind: "notify", method, payload: p }), TypeError, method);
  }
  assert.equal(encodeFrame({ kind: "notify", method: "a\u{1F600}", payload: p }).length, 16);
  assert.throws(
    () => encodeFrame({ kind: "ping", id: 1, payload: new Uint8Array(65) }),
    RangeError,
  );
  assert.throws(
    () =>
      encodeFrame({ kind: "hello", minVersion: 1, maxVersion: 1, features: 0, maxFrameSize: 10 }),
    RangeError,
  );
  assert.throws(() => encodeFrame({ kind: "nope" } as unknown as Frame), TypeError);
  assert.throws(
    () => encodeFrame({ kind: "response", id: 1, payload: "text" } as unknown as Frame),
    TypeError,
  );
});

Deno.test("protocol frame: a payload too large for the u32 length field is refused, not wrapped", () => {
  // 6 + 2^32 - 6 bytes follow the length field: one more than a u32 holds.
  // (The pages are never touched: the encoders must throw before copying.)
  const payload = new Uint8Array(2 ** 32 - 6);
  const frame: Frame = { kind: "response", id: 1, payload };
  assert.throws(() => encodeFrameHead(frame), RangeError);
  assert.throws(() => encodeFrame(frame), RangeError);
  const target = new Uint8Array(2 ** 32 + 10);
  assert.throws(() => encodeFrameInto(frame, target, 0), RangeError);
  // One byte less fits: the head carries the exact length.
  const [head] = encodeFrameHead({ kind: "response", id: 1, payload: payload.subarray(1) });
  assert.deepEqual([...head.subarray(0, 4)], [0xff, 0xff, 0xff, 0xff]);
});

Deno.test("protocol frame: methodLength is the method's UTF-8 length, checked like the encoder", () => {
  assert.equal(methodLength("echo"), 4);
  assert.equal(methodLength("méthode"), 8);
  assert.equal(methodLength("x".repeat(255)), 255);
  assert.throws(() => methodLength(""), RangeError);
  assert.throws(() => methodLength("x".repeat(256)), RangeError);
  assert.throws(() => methodLength("a\uD83D"), TypeError);
  assert.throws(() => methodLength(1 as unknown as string), TypeError);
  const p = new Uint8Array();
  assert.equal(
    encodeFrame({ kind: "request", id: 1, method: "méthode", payload: p }).length,
    10 + 1 + methodLength("méthode"),
  );
});
