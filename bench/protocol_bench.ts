// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Pure protocol benchmarks (no I/O): encoding and decoding 64 B requests,
 * compared with a minimal length-prefix splitter (no validation, no
 * objects) run in the same process — the cost of a real parser over the
 * least any framing must do.
 *
 * Run: `deno run -A bench/protocol_bench.ts [--quick] [--json out.json]`.
 *
 * @module
 */
import { encodeFrame, encodeFrameInto, FrameDecoder, type RequestFrame } from "../protocol/mod.ts";
import { benchArgs, type BenchReport, emit, type Figure, figure } from "./_lib/figures.ts";

const FRAME: RequestFrame = { kind: "request", id: 1, method: "echo", payload: new Uint8Array(64) };
const SIZE = encodeFrame(FRAME).length;

function rate(n: number, fn: () => void): number {
  const t = performance.now();
  fn();
  return n / ((performance.now() - t) / 1000);
}

function main(): Promise<void> {
  const { quick, json } = benchArgs();
  const runs = quick ? 3 : 7;
  const n = quick ? 200_000 : 1_000_000;
  const stream = new Uint8Array(SIZE * n);
  for (let i = 0; i < n; i++) encodeFrameInto({ ...FRAME, id: i + 1 }, stream, i * SIZE);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < stream.length; at += 65536) chunks.push(stream.subarray(at, at + 65536));
  const samples: Record<string, number[]> = {};
  const add = (k: string, v: number) => (samples[k] ??= []).push(v);
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    add(
      "split",
      rate(n, () => {
        // The least a length-prefixed reader does: find frame boundaries.
        const view = new DataView(stream.buffer);
        for (let at = 0; at < stream.length;) {
          const len = view.getUint32(at);
          sink += stream[at + 4]!;
          at += 4 + len;
        }
      }),
    );
    add(
      "decode",
      rate(n, () => {
        const d = new FrameDecoder();
        for (const c of chunks) sink += d.push(c).length;
      }),
    );
    const buf = new Uint8Array(65536);
    add(
      "encode",
      rate(n, () => {
        let at = 0;
        for (let i = 0; i < n; i++) {
          if (at + SIZE > buf.length) at = 0;
          at += encodeFrameInto(FRAME, buf, at);
        }
      }),
    );
  }
  if (sink < 0) console.log(sink);
  const base = figure("length-prefix split only (64 B)", "msgs/s", samples.split!, {
    baseline: true,
    size: 64,
  });
  const figures: Figure[] = [
    base,
    figure("FrameDecoder.push, 64 KiB chunks (64 B requests)", "msgs/s", samples.decode!, {
      size: 64,
    }),
    figure("encodeFrameInto (64 B requests)", "msgs/s", samples.encode!, { size: 64 }),
  ];
  return emit({ mechanism: "protocol", figures } as BenchReport, json);
}

if (import.meta.main) await main();
