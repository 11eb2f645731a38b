// Copyright 2026 the @ipc/linux authors. MIT license.
// The push-based decoder: every kind, split at every byte, bad input with
// offsets, limits enforced before allocation (the random-input properties are
// in decoder_property_test.ts; the encoder is in frame_test.ts).
import assert from "node:assert/strict";
import {
  encodeFrame,
  ErrorCode,
  type Frame,
  FrameDecoder,
  FrameError,
  FrameKind,
  frameSize,
} from "../../protocol/mod.ts";
import { concat } from "./_bytes.ts";

const b = (...bytes: number[]) => new Uint8Array(bytes);
const utf8 = (s: string) => new TextEncoder().encode(s);

const SAMPLES: Frame[] = [
  { kind: "hello", minVersion: 1, maxVersion: 3, features: 0x8000_0001, maxFrameSize: 1 << 20 },
  { kind: "accept", version: 1, features: 0, maxFrameSize: 4096 },
  { kind: "reject", code: ErrorCode.SERVER_BUSY, message: "busy ✓" },
  { kind: "request", id: 0xffff_ffff, method: "méthode", payload: utf8("payload") },
  { kind: "request", id: 1, method: "x".repeat(255), payload: new Uint8Array() },
  { kind: "response", id: 7, payload: new Uint8Array(300).fill(9) },
  { kind: "error", id: 0, code: 65535, message: "" },
  { kind: "error", id: 3, code: ErrorCode.HANDLER_ERROR, message: "boom" },
  { kind: "notify", method: "tick", payload: b(1, 2, 3) },
  { kind: "cancel", id: 42 },
  { kind: "ping", id: 0, payload: new Uint8Array(64) },
  { kind: "pong", id: 123456, payload: b() },
  { kind: "goodbye", reason: "" },
  { kind: "goodbye", reason: "server shutting down" },
];

Deno.test("protocol: every kind round-trips whole, concatenated, and split at every byte", () => {
  const stream = concat(SAMPLES.map(encodeFrame));
  assert.deepEqual(new FrameDecoder().push(stream), SAMPLES);
  for (let cut = 0; cut <= stream.length; cut++) {
    const d = new FrameDecoder();
    const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
    assert.deepEqual(frames, SAMPLES, `split at ${cut}`);
    assert.equal(d.buffered, 0);
    assert.equal(d.offset, stream.length);
  }
  const d = new FrameDecoder();
  const frames = [];
  for (const byte of stream) frames.push(...d.push(b(byte)));
  assert.deepEqual(frames, SAMPLES);
  for (const frame of SAMPLES) assert.equal(frameSize(frame), encodeFrame(frame).length);
});

Deno.test("protocol: text that starts with a byte order mark keeps it", () => {
  // U+FEFF is a character like any other: a method "\uFEFFx" is not "x".
  const frames: Frame[] = [
    { kind: "notify", method: "\uFEFFx", payload: new Uint8Array() },
    { kind: "request", id: 1, method: "\uFEFF".repeat(30) + "é", payload: new Uint8Array() },
    { kind: "error", id: 2, code: 1000, message: "\uFEFFmessage" },
    { kind: "goodbye", reason: "\uFEFF" },
  ];
  assert.deepEqual(new FrameDecoder().push(concat(frames.map(encodeFrame))), frames);
});

Deno.test("protocol: a frame inside one chunk is a zero-copy view", () => {
  const bytes = encodeFrame({ kind: "response", id: 1, payload: new Uint8Array(100).fill(5) });
  const [frame] = new FrameDecoder().push(bytes) as [Frame];
  assert.equal(frame.kind === "response" && frame.payload.buffer, bytes.buffer);
});

function failure(chunks: Uint8Array[], max?: number): FrameError {
  const d = new FrameDecoder({ maxFrameSize: max });
  try {
    for (const c of chunks) d.push(c);
  } catch (err) {
    assert.ok(err instanceof FrameError && err instanceof SyntaxError);
    // The decoder stays failed.
    assert.throws(() => d.push(b(0)), (e) => e === err);
    assert.equal(d.error, err);
    return err;
  }
  assert.fail("no FrameError");
}

Deno.test("protocol: malformed frames fail with the code and the byte offset", () => {
  const good = encodeFrame({ kind: "cancel", id: 1 }); // 10 bytes
  const cases: Array<[string, Uint8Array, number, number]> = [
    ["length below 6", b(0, 0, 0, 5, 0, 0, 0, 0, 0), ErrorCode.MALFORMED_FRAME, 10],
    ["unknown kind", b(0, 0, 0, 6, 0x99, 0, 0, 0, 0, 0), ErrorCode.MALFORMED_FRAME, 14],
    ["non-zero flags", b(0, 0, 0, 6, 0x14, 1, 0, 0, 0, 1), ErrorCode.MALFORMED_FRAME, 15],
    ["request id 0", b(0, 0, 0, 8, 0x10, 0, 0, 0, 0, 0, 1, 0x6d), ErrorCode.MALFORMED_FRAME, 16],
    [
      "method past the end",
      b(0, 0, 0, 8, 0x10, 0, 0, 0, 0, 1, 5, 0x6d),
      ErrorCode.MALFORMED_FRAME,
      20,
    ],
    ["empty method", b(0, 0, 0, 7, 0x13, 0, 0, 0, 0, 0, 0), ErrorCode.MALFORMED_FRAME, 20],
    ["bad UTF-8", b(0, 0, 0, 8, 0x30, 0, 0, 0, 0, 0, 0xc3, 0x28), ErrorCode.MALFORMED_FRAME, 20],
    ["cancel with a body", b(0, 0, 0, 7, 0x14, 0, 0, 0, 0, 1, 0), ErrorCode.MALFORMED_FRAME, 20],
    [
      "notify with an id",
      b(0, 0, 0, 8, 0x13, 0, 0, 0, 0, 9, 1, 0x6d),
      ErrorCode.MALFORMED_FRAME,
      16,
    ],
    ["error without code", b(0, 0, 0, 7, 0x12, 0, 0, 0, 0, 1, 0), ErrorCode.MALFORMED_FRAME, 20],
    ["short hello", b(0, 0, 0, 7, 0x01, 0, 0, 0, 0, 0, 0), ErrorCode.MALFORMED_FRAME, 20],
    [
      "hello without magic",
      concat([b(0, 0, 0, 22, 0x01, 0, 0, 0, 0, 0), utf8("NOPE"), new Uint8Array(12)]),
      ErrorCode.BAD_MAGIC,
      20,
    ],
  ];
  for (const [what, bad, code, offset] of cases) {
    for (const chunks of [[concat([good, bad])], [good, ...[...bad].map((x) => b(x))]]) {
      const err = failure(chunks);
      assert.equal(err.code, code, what);
      assert.equal(err.offset, offset, `${what}: ${err.message}`);
    }
  }
});

Deno.test("protocol: an oversized length fails before anything is buffered", () => {
  const split = failure([b(0, 0), b(4), b(1)], 1024);
  assert.equal(split.code, ErrorCode.FRAME_TOO_LARGE);
  assert.equal(split.offset, 0);
  const d = new FrameDecoder({ maxFrameSize: 1024 });
  assert.throws(() => d.push(b(0, 0, 4, 1)), (e) => {
    assert.ok(e instanceof FrameError);
    assert.equal(e.code, ErrorCode.FRAME_TOO_LARGE);
    assert.equal(e.offset, 0);
    return true;
  });
  assert.equal(d.buffered, 0);
  const huge = new FrameDecoder();
  assert.throws(() => huge.push(b(0xff, 0xff, 0xff, 0xff)), { code: ErrorCode.FRAME_TOO_LARGE });
  // Exactly at the limit is fine.
  const at = new FrameDecoder({ maxFrameSize: 1024 });
  assert.deepEqual(at.push(b(0, 0, 3, 0xfc)), []);
  assert.equal(at.buffered, 4); // the length, held until the kind byte arrives
  assert.deepEqual(at.push(b(0x13)), []);
  assert.equal(at.buffered, 5);
  assert.throws(() => new FrameDecoder({ maxFrameSize: 3 }), RangeError);
});

Deno.test("protocol: pendingBuffer and commit read a large frame in place", () => {
  const payload = crypto.getRandomValues(new Uint8Array(50_000));
  const bytes = encodeFrame({ kind: "notify", method: "blob", payload });
  const d = new FrameDecoder();
  assert.equal(d.pendingBuffer(), undefined);
  assert.deepEqual(d.push(bytes.subarray(0, 100)), []);
  assert.equal(d.pendingBuffer(100_000), undefined); // below the threshold
  const target = d.pendingBuffer(1000)!;
  assert.equal(target.length, bytes.length - 100);
  target.set(bytes.subarray(100, 200));
  assert.deepEqual(d.commit(100), []);
  d.pendingBuffer()!.set(bytes.subarray(200));
  const [frame] = d.commit(bytes.length - 200);
  assert.deepEqual(frame, { kind: "notify", method: "blob", payload });
  assert.throws(() => d.commit(1), RangeError);
});

Deno.test("protocol: allocate chooses where a split frame is assembled, split anywhere", () => {
  const frames: Frame[] = [
    { kind: "notify", method: "blob", payload: crypto.getRandomValues(new Uint8Array(3000)) },
    { kind: "response", id: 9, payload: crypto.getRandomValues(new Uint8Array(2000)) },
    { kind: "notify", method: "n", payload: b(7) },
  ];
  const bytes = concat(frames.map(encodeFrame));
  const sizes = frames.map((f) => frameSize(f) - 4);
  for (const step of [1, 2, 3, 4, 5, 7, 4096]) {
    const calls: Array<[number, number]> = [];
    const spare = new Uint8Array(8192).fill(0xee);
    const d = new FrameDecoder({
      allocate: (size, kind) => {
        calls.push([size, kind]);
        return kind === FrameKind.notify ? spare : new Uint8Array(size);
      },
    });
    const out: Frame[] = [];
    for (let i = 0; i < bytes.length; i += step) {
      for (const frame of d.push(bytes.subarray(i, i + step))) {
        // Copy now: a frame assembled in `spare` is valid only until the next.
        out.push(structuredClone(frame));
      }
    }
    assert.deepEqual(out, frames, `step ${step}`);
    assert.equal(d.buffered, 0);
    // Asked once per frame that spanned chunks, with its size and kind byte.
    const spanned: Array<[number, number]> = [];
    let at = 0;
    frames.forEach((frame, k) => {
      const end = at + sizes[k]! + 4;
      if (Math.floor(at / step) !== Math.floor((end - 1) / step)) {
        spanned.push([sizes[k]!, FrameKind[frame.kind]]);
      }
      at = end;
    });
    assert.deepEqual(calls, spanned, `step ${step}`);
  }
});

Deno.test("protocol: allocate is called after the size check and must return enough room", () => {
  assert.throws(
    // @ts-expect-error: testing bad input
    () => new FrameDecoder({ allocate: 5 }),
    TypeError,
  );
  let called = 0;
  const limited = new FrameDecoder({
    maxFrameSize: 1024,
    allocate: (size) => (called++, new Uint8Array(size)),
  });
  assert.throws(() => limited.push(b(0, 0, 4, 1, 0x13)), { code: ErrorCode.FRAME_TOO_LARGE });
  assert.equal(called, 0); // refused before asking for memory
  const small = new FrameDecoder({ allocate: () => new Uint8Array(10) });
  const bytes = encodeFrame({ kind: "notify", method: "m", payload: new Uint8Array(100) });
  assert.throws(() => small.push(bytes.subarray(0, 20)), TypeError);
});

Deno.test("protocol decoder: method names that share a length decode to themselves, in one chunk or apart", () => {
  // The decoder reuses the last ASCII method name when the bytes match: names
  // of the same byte length (ASCII, differing in one byte, or not ASCII) and
  // a method followed by its payload must never be taken for one another.
  const methods = ["echo", "echo", "ecHo", "éch", "echo", "ech\u0000", "echo", "日本", "echo"];
  const frames: Frame[] = methods.map((method, i) => ({
    kind: i % 2 ? "notify" : "request",
    ...(i % 2 ? {} : { id: i + 1 }),
    method,
    payload: utf8(`echo${i}`),
  } as Frame));
  const bytes = concat(frames.map(encodeFrame));
  for (const chunks of [[bytes], frames.map(encodeFrame)]) {
    const decoder = new FrameDecoder();
    const got = chunks.flatMap((chunk) => decoder.push(chunk));
    assert.deepEqual(got.map((f) => (f as { method: string }).method), methods);
    assert.deepEqual(
      got.map((f) => new TextDecoder().decode((f as { payload: Uint8Array }).payload)),
      methods.map((_, i) => `echo${i}`),
    );
  }
});
