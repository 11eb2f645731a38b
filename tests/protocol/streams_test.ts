// Copyright 2026 the @ipc/linux authors. MIT license.
// The web-stream wrappers (protocol/streams.ts) around the encoder and decoder.
import assert from "node:assert/strict";
import {
  encodeFrame,
  type Frame,
  FrameDecoderStream,
  FrameEncoderStream,
  FrameError,
} from "../../protocol/mod.ts";

const p = new Uint8Array([1, 2, 3]);
const FRAMES: Frame[] = [
  { kind: "hello", minVersion: 1, maxVersion: 1, features: 0, maxFrameSize: 4096 },
  { kind: "accept", version: 1, features: 0, maxFrameSize: 4096 },
  { kind: "request", id: 1, method: "m", payload: p },
  { kind: "response", id: 1, payload: p },
  { kind: "error", id: 1, code: 100, message: "no" },
  { kind: "notify", method: "tick", payload: p },
  { kind: "cancel", id: 1 },
  { kind: "ping", id: 1, payload: p },
  { kind: "pong", id: 1, payload: p },
  { kind: "goodbye", reason: "bye" },
];

Deno.test("protocol streams: frames round-trip through the encoder and decoder streams", async () => {
  const out = await Array.fromAsync(
    ReadableStream.from(FRAMES).pipeThrough(new FrameEncoderStream()).pipeThrough(
      new FrameDecoderStream(),
    ),
  );
  assert.deepEqual(out, FRAMES);
});

Deno.test("protocol streams: the decoder stream reassembles frames split into 1-byte chunks", async () => {
  const bytes = FRAMES.map(encodeFrame);
  const chunks = bytes.flatMap((frame) => [...frame].map((byte) => new Uint8Array([byte])));
  const out = await Array.fromAsync(
    ReadableStream.from(chunks).pipeThrough(new FrameDecoderStream()),
  );
  assert.deepEqual(out, FRAMES);
});

Deno.test("protocol streams: a stream ending inside a frame or over the limit errors", async () => {
  const bytes = encodeFrame({ kind: "goodbye", reason: "" });
  await assert.rejects(
    Array.fromAsync(
      ReadableStream.from([bytes.subarray(0, 5)]).pipeThrough(new FrameDecoderStream()),
    ),
    (err: Error) => err instanceof SyntaxError && /ended inside a frame/.test(err.message),
  );
  await assert.rejects(
    Array.fromAsync(
      ReadableStream.from([new Uint8Array([0, 1, 0, 0])]).pipeThrough(
        new FrameDecoderStream({ maxFrameSize: 1024 }),
      ),
    ),
    FrameError,
  );
});

Deno.test("protocol streams: the encoder stream errors on a frame it cannot encode", async () => {
  const bad = { kind: "request", id: 1, method: "", payload: p } as Frame;
  await assert.rejects(
    Array.fromAsync(ReadableStream.from([bad]).pipeThrough(new FrameEncoderStream())),
    RangeError,
  );
});
