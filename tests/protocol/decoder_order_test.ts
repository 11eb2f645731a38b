// Copyright 2026 the @ipc/linux authors. MIT license.
// Frames in front of a malformed frame are delivered, however the bytes are split.
import assert from "node:assert/strict";
import {
  encodeFrame,
  ErrorCode,
  type Frame,
  FrameDecoder,
  FrameDecoderStream,
  FrameError,
} from "../../protocol/mod.ts";
import { concat } from "./_bytes.ts";

const GOOD: Frame[] = [
  { kind: "ping", id: 9, payload: new Uint8Array([1]) },
  { kind: "request", id: 1, method: "echo", payload: new Uint8Array([2, 3]) },
  { kind: "response", id: 1, payload: new Uint8Array([4]) },
  { kind: "notify", method: "tick", payload: new Uint8Array(300).fill(5) },
];
/** Malformed frames: an unknown kind, a length below 6, non-zero flags. */
const BAD: Array<[string, Uint8Array, number]> = [
  ["unknown kind", new Uint8Array([0, 0, 0, 6, 0xee, 0, 0, 0, 0, 0]), ErrorCode.MALFORMED_FRAME],
  ["length below 6", new Uint8Array([0, 0, 0, 2, 0, 0]), ErrorCode.MALFORMED_FRAME],
  ["non-zero flags", new Uint8Array([0, 0, 0, 6, 0x0b, 1, 0, 0, 0, 0]), ErrorCode.MALFORMED_FRAME],
];

/** Pushes `bytes` in the given chunks; returns the frames decoded and the error. */
function feed(bytes: Uint8Array, cuts: number[]): [Frame[], FrameError | undefined] {
  const decoder = new FrameDecoder();
  const frames: Frame[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    try {
      decoder.push(bytes.subarray(at, cut), frames);
    } catch (err) {
      assert.ok(err instanceof FrameError);
      return [frames, err];
    }
    at = cut;
  }
  return [frames, undefined];
}

Deno.test("protocol decoder: good frames before a malformed one, in one chunk or split anywhere", () => {
  for (const count of [1, 2, GOOD.length]) {
    const good = GOOD.slice(0, count);
    for (const [name, bad, code] of BAD) {
      const bytes = concat([...good.map((f) => encodeFrame(f)), bad]);
      const splits: number[][] = [[]];
      for (let i = 1; i < bytes.length; i++) splits.push([i]);
      splits.push(Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)); // every byte
      for (const cuts of splits) {
        const [frames, err] = feed(bytes, cuts);
        assert.deepEqual(frames, good, `${name}, cut at ${cuts.join(",")}`);
        assert.equal(err?.code, code, `${name}, cut at ${cuts.join(",")}`);
      }
    }
  }
});

Deno.test("protocol decoder: a failed decoder throws again and returns nothing more", () => {
  const decoder = new FrameDecoder();
  const bytes = concat([encodeFrame(GOOD[0]!), BAD[0]![1]]);
  const frames: Frame[] = [];
  assert.throws(() => decoder.push(bytes, frames), FrameError);
  assert.equal(frames.length, 1);
  const again: Frame[] = [];
  assert.throws(() => decoder.push(encodeFrame(GOOD[0]!), again), FrameError);
  assert.deepEqual(again, []);
});

Deno.test("protocol decoder stream: frames before a malformed one come out, then the error", async () => {
  const bytes = concat([encodeFrame(GOOD[0]!), encodeFrame(GOOD[1]!), BAD[0]![1]]);
  for (const cut of [bytes.length, 5, 20]) {
    const chunks = cut === bytes.length ? [bytes] : [bytes.subarray(0, cut), bytes.subarray(cut)];
    const got: Frame[] = [];
    await assert.rejects(
      (async () => {
        const stream = ReadableStream.from(chunks).pipeThrough(new FrameDecoderStream());
        for await (const frame of stream) got.push(frame);
      })(),
      FrameError,
    );
    assert.deepEqual(got, GOOD.slice(0, 2), `cut at ${cut}`);
  }
});
