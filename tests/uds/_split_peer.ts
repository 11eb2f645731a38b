// Copyright 2026 the @ipc/linux authors. MIT license.
// A raw protocol client that writes one byte stream in two writes, split at
// a chosen offset, with a pause between them (so the server reads the two
// parts separately), for every split offset around the frame boundaries.
//
//   split PATH: handshake; then, for every offset in `splitOffsets()`, the
//     frames of `round(r)` split there; then a request "done", whose reply
//     payload it prints (the server's verdict).
import { encodeFrame, type Frame, FrameDecoder } from "../../protocol/mod.ts";
import { concat } from "../protocol/_bytes.ts";

/** Payload sizes: large (read in place), a request, a small notify, large again. */
export const BIG = 200_000;
const BIG2 = 150_000;

/** `size` bytes of round `r`, frame `f`: the round and frame in front, then `(r * 7 + f) & 0xff`. */
export function fill(size: number, r: number, f: number): Uint8Array {
  const bytes = new Uint8Array(size).fill((r * 7 + f) & 0xff);
  new DataView(bytes.buffer).setUint16(0, r);
  bytes[2] = f;
  return bytes;
}

/** The round and frame `payload` names in front. */
export function origin(payload: Uint8Array): string {
  return `${new DataView(payload.buffer, payload.byteOffset).getUint16(0)}.${payload[2]}`;
}

/** Whether `payload` is `fill(payload.length, r, f)` for the round and frame it names. */
export function intact(payload: Uint8Array): boolean {
  if (payload.length < 3) return false;
  const r = new DataView(payload.buffer, payload.byteOffset).getUint16(0);
  const f = payload[2]!;
  const b = (r * 7 + f) & 0xff;
  for (let i = 3; i < payload.length; i++) if (payload[i] !== b) return false;
  return true;
}

/** The frames of round `r`: a large notify, a request the handler keeps, a small notify, a large notify. */
export function round(r: number): Frame[] {
  return [
    { kind: "notify", method: "big", payload: fill(BIG, r, 0) },
    { kind: "request", id: r + 1, method: "keep", payload: fill(50, r, 1) },
    { kind: "notify", method: "small", payload: fill(100, r, 2) },
    { kind: "notify", method: "big", payload: fill(BIG2, r, 3) },
  ];
}

/** Every offset within 24 bytes of a frame boundary of a round (the frames' ends). */
export function splitOffsets(): number[] {
  const sizes = round(0).map((f) => encodeFrame(f).length);
  const offsets = new Set<number>();
  let end = 0;
  for (const size of sizes.slice(0, -1)) {
    end += size;
    for (let d = -24; d <= 24; d++) offsets.add(end + d);
  }
  return [...offsets].sort((a, b) => a - b);
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length;) done += await conn.write(bytes.subarray(done));
}

/** The frames of `round(r)`, encoded back to back. */
function encodeRound(r: number): Uint8Array {
  return concat(round(r).map((f) => encodeFrame(f)));
}

const pending: Frame[] = [];

async function readFrame(conn: Deno.Conn, decoder: FrameDecoder): Promise<Frame> {
  while (pending.length === 0) {
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf);
    if (n === null) throw new Error("the server closed");
    decoder.push(buf.subarray(0, n), pending);
  }
  return pending.shift()!;
}

if (import.meta.main) {
  const [mode, path] = Deno.args;
  if (mode !== "split") throw new Error(`unknown mode ${mode}`);
  const conn = await Deno.connect({ transport: "unix", path: path! });
  const decoder = new FrameDecoder();
  await writeAll(
    conn,
    encodeFrame({
      kind: "hello",
      minVersion: 1,
      maxVersion: 1,
      features: 0,
      maxFrameSize: 1 << 20,
    }),
  );
  const accept = await readFrame(conn, decoder);
  if (accept.kind !== "accept") throw new Error(`expected ACCEPT, got ${accept.kind}`);
  decoder.maxFrameSize = 1 << 20;
  const offsets = splitOffsets();
  for (let r = 0; r < offsets.length; r++) {
    const bytes = encodeRound(r);
    await writeAll(conn, bytes.subarray(0, offsets[r]));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await writeAll(conn, bytes.subarray(offsets[r]));
  }
  await writeAll(
    conn,
    encodeFrame({ kind: "request", id: 1 << 30, method: "done", payload: new Uint8Array() }),
  );
  // Replies to the kept requests come first; print the one to "done".
  for (;;) {
    const frame = await readFrame(conn, decoder);
    if (frame.kind === "response" && frame.id === 1 << 30) {
      console.log(new TextDecoder().decode(frame.payload));
      break;
    }
    if (frame.kind === "error") throw new Error(`server error: ${frame.message}`);
  }
  conn.close();
}
