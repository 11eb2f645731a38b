// Copyright 2026 the @ipc/linux authors. MIT license.
// Property tests of the decoder (fast-check): any frames split anywhere decode
// to themselves; random or corrupted bytes fail cleanly and never exceed the
// size limit.
import assert from "node:assert/strict";
import fc from "fast-check";
import { encodeFrame, type Frame, FrameDecoder, FrameError } from "../../protocol/mod.ts";
import { concat } from "./_bytes.ts";

const arbFrame: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({
    kind: fc.constant("request" as const),
    id: fc.integer({ min: 1, max: 0xffff_ffff }),
    method: fc.string({ minLength: 1, maxLength: 60 }),
    payload: fc.uint8Array({ maxLength: 300 }),
  }),
  fc.record({
    kind: fc.constant("response" as const),
    id: fc.integer({ min: 1, max: 0xffff_ffff }),
    payload: fc.uint8Array({ maxLength: 300 }),
  }),
  fc.record({
    kind: fc.constant("error" as const),
    id: fc.integer({ min: 0, max: 0xffff_ffff }),
    code: fc.integer({ min: 0, max: 0xffff }),
    message: fc.string({ maxLength: 40 }),
  }),
  fc.record({
    kind: fc.constant("notify" as const),
    method: fc.string({ minLength: 1, maxLength: 60 }),
    payload: fc.uint8Array({ maxLength: 300 }),
  }),
  fc.record({ kind: fc.constant("cancel" as const), id: fc.integer({ min: 1, max: 0xffff_ffff }) }),
  fc.record({
    kind: fc.constantFrom("ping" as const, "pong" as const),
    id: fc.integer({ min: 0, max: 0xffff_ffff }),
    payload: fc.uint8Array({ maxLength: 64 }),
  }),
  fc.record({ kind: fc.constant("goodbye" as const), reason: fc.string({ maxLength: 40 }) }),
);

/** Splits `bytes` at the given (sorted, deduplicated) cut points. */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
  const chunks = [];
  let last = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(last, p));
    last = p;
  }
  chunks.push(bytes.subarray(last));
  return chunks;
}

Deno.test("protocol: property: any frames, split anywhere, decode to themselves", () => {
  fc.assert(
    fc.property(
      fc.array(arbFrame, { maxLength: 12 }),
      fc.array(fc.nat(), { maxLength: 20 }),
      (frames, cuts) => {
        const stream = concat(frames.map(encodeFrame));
        const d = new FrameDecoder();
        const out = split(stream, cuts).flatMap((c) => d.push(c));
        assert.deepEqual(out, frames.map((f) => ({ ...f })));
        assert.equal(d.buffered, 0);
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("protocol: property: random bytes never crash the decoder nor exceed the limit", () => {
  const max = 512;
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 2000 }),
      fc.array(fc.nat(), { maxLength: 30 }),
      (bytes, cuts) => {
        const d = new FrameDecoder({ maxFrameSize: max });
        for (const chunk of split(bytes, cuts)) {
          try {
            d.push(chunk);
          } catch (err) {
            assert.ok(err instanceof FrameError, String(err));
            assert.ok(err.offset >= 0 && err.offset < bytes.length);
            return;
          }
          assert.ok(d.buffered <= max, `buffered ${d.buffered} > ${max}`);
        }
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("protocol: property: a corrupted valid stream fails cleanly or decodes", () => {
  fc.assert(
    fc.property(
      fc.array(arbFrame, { minLength: 1, maxLength: 6 }),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (frames, at, xor) => {
        const stream = concat(frames.map(encodeFrame));
        stream[at % stream.length]! ^= xor;
        const d = new FrameDecoder({ maxFrameSize: 4096 });
        try {
          d.push(stream);
        } catch (err) {
          assert.ok(err instanceof FrameError, String(err));
        }
      },
    ),
    { numRuns: 1000 },
  );
});
