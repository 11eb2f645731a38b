// Copyright 2026 the @ipc/linux authors. MIT license.
// The frame writer over a real Unix socket pair: a burst of small frames is
// coalesced into few writes, large payloads are not copied, order is kept;
// on a native socket an idle writer writes a small frame at once.
import assert from "node:assert/strict";
import { ipcTest } from "../_helpers/mod.ts";
import { FrameWriter } from "../../uds/_writer.ts";
import { type Frame, FrameDecoder } from "../../protocol/mod.ts";
import { SpinConn } from "../../uds/_spin_conn.ts";
import { UnixSocket } from "../../uds/mod.ts";
import { receiveInto } from "../../_ffi/socket.ts";
import { setSocketOption } from "../../_ffi/message.ts";

async function socketPair(dir: string): Promise<[Deno.UnixConn, Deno.UnixConn]> {
  const listener = Deno.listen({ transport: "unix", path: `${dir}/pair.sock` });
  const [a, b] = await Promise.all([
    Deno.connect({ transport: "unix", path: `${dir}/pair.sock` }),
    listener.accept(),
  ]);
  listener.close();
  return [a, b as Deno.UnixConn];
}

async function readFrames(conn: Deno.Conn, count: number): Promise<Frame[]> {
  const decoder = new FrameDecoder();
  const frames: Frame[] = [];
  while (frames.length < count) {
    const buf = new Uint8Array(256 * 1024);
    const n = await conn.read(buf);
    if (n === null) break;
    frames.push(...decoder.push(buf.subarray(0, n)));
  }
  return frames;
}

ipcTest(
  "uds writer: 1000 small frames in one burst take few writes, in order",
  async (_t, scope) => {
    const [a, b] = await socketPair(await scope.tempDir());
    try {
      const writer = new FrameWriter(a, 1 << 20);
      for (let i = 1; i <= 1000; i++) {
        writer.enqueue({ kind: "notify", method: "n", payload: new Uint8Array([i & 0xff]) });
      }
      const reading = readFrames(b, 1000);
      await writer.idle();
      const frames = await reading;
      assert.equal(frames.length, 1000);
      assert.deepEqual(
        frames.map((f) => f.kind === "notify" && f.payload[0]),
        Array.from({ length: 1000 }, (_, i) => (i + 1) & 0xff),
      );
      // The first frame goes out at once; the other 999 (12 KiB) in one more write.
      assert.ok(writer.writes <= 3, `${writer.writes} writes`);
    } finally {
      a.close();
      b.close();
    }
  },
);

ipcTest("uds writer: large payloads interleave with small frames intact", async (_t, scope) => {
  const [a, b] = await socketPair(await scope.tempDir());
  try {
    const writer = new FrameWriter(a, 1 << 20);
    const big = new Uint8Array(300_000).map((_, i) => (i * 7919) & 0xff);
    const sent: Frame[] = [
      { kind: "notify", method: "small", payload: new Uint8Array([1]) },
      { kind: "response", id: 5, payload: big },
      { kind: "error", id: 6, code: 100, message: "x".repeat(70_000) },
      { kind: "ping", id: 7, payload: new Uint8Array([2]) },
    ];
    for (const f of sent) writer.enqueue(f);
    assert.ok(writer.queued > 300_000);
    const reading = readFrames(b, sent.length);
    await writer.drain();
    await writer.idle();
    assert.equal(writer.queued, 0);
    assert.deepEqual(await reading, sent);
  } finally {
    a.close();
    b.close();
  }
});

ipcTest(
  "uds writer: an idle writer holds no buffer, even after a burst grew it",
  async (_t, scope) => {
    const [a, b] = await socketPair(await scope.tempDir());
    try {
      const writer = new FrameWriter(a, 1 << 20);
      assert.equal(writer.held, 0, "nothing before the first frame");
      writer.enqueue({ kind: "notify", method: "n", payload: new Uint8Array(64) });
      await writer.idle();
      assert.equal(writer.held, 0, "given back after one small frame");
      const reading = readFrames(b, 2001);
      for (let i = 0; i < 2000; i++) {
        writer.enqueue({ kind: "notify", method: "n", payload: new Uint8Array(64) });
      }
      assert.ok(writer.held > 1024, "the burst grew the buffer");
      await writer.idle();
      assert.equal(writer.held, 0, "given back once idle again");
      assert.equal((await reading).length, 2001);
    } finally {
      a.close();
      b.close();
    }
  },
);

ipcTest(
  "uds writer: a buffer given back to the shared pool is never one still being written",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    const [a1, b1] = await socketPair(dir);
    const [a2, b2] = await socketPair(dir);
    try {
      // Fill a1's socket until a write waits: writer A's first small frame,
      // written from a pooled buffer, then waits in flight behind it.
      const chunk = new Uint8Array(64 * 1024);
      let filled = 0;
      let waiting: Promise<number> | undefined;
      while (!waiting) {
        const write = a1.write(chunk);
        const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 50));
        const n = await Promise.race([write, timeout]);
        if (n === undefined) waiting = write;
        else filled += n;
      }
      const writerA = new FrameWriter(a1, 1 << 20);
      const frameA = {
        kind: "notify",
        method: "a",
        payload: new Uint8Array(200).fill(0xa5),
      } as const;
      writerA.enqueue(frameA);
      // Writer B takes and gives back pooled buffers many times meanwhile.
      const writerB = new FrameWriter(a2, 1 << 20);
      const readingB = readFrames(b2, 200);
      for (let i = 0; i < 200; i++) {
        writerB.enqueue({ kind: "notify", method: "b", payload: new Uint8Array(200).fill(i) });
        await writerB.idle();
      }
      assert.equal((await readingB).length, 200);
      // Now a slow reader drains a1: the filler, then A's frame, unchanged.
      let rest = false;
      const restWritten = waiting.then((n) => {
        filled += n; // the waiting write's bytes are in front of A's frame
        rest = true;
      });
      const skip = new Uint8Array(4096);
      for (let got = 0; got < filled || !rest;) {
        if (got === filled) {
          await restWritten;
          continue;
        }
        got += (await b1.read(skip.subarray(0, Math.min(4096, filled - got))))!;
        await new Promise((r) => setTimeout(r, 1));
      }
      const [frame] = await readFrames(b1, 1);
      assert.deepEqual(frame, frameA);
      await writerA.idle();
      assert.equal(writerA.held, 0);
    } finally {
      for (const c of [a1, b1, a2, b2]) c.close();
    }
  },
);

/** Everything `sock` receives until `count` frames are decoded. */
async function receiveFrames(sock: UnixSocket, count: number): Promise<Frame[]> {
  const decoder = new FrameDecoder({ maxFrameSize: 1 << 20 });
  const frames: Frame[] = [];
  while (frames.length < count) {
    const got = await sock.receive();
    if (got === null) break;
    frames.push(...decoder.push(got.data));
  }
  return frames;
}

ipcTest(
  "uds writer: on a native socket, an idle writer's frame is on the wire before enqueue returns",
  async () => {
    const [a, b] = UnixSocket.pair();
    try {
      const writer = new FrameWriter(new SpinConn(a, 0, 0), 1 << 20);
      const first = { kind: "notify", method: "n", payload: new Uint8Array(64).fill(7) } as const;
      writer.enqueue(first);
      assert.equal(writer.writes, 1);
      assert.equal(writer.queued, 0, "nothing queued: the socket took it all");
      const wire = new Uint8Array(256);
      const n = receiveInto(b.fd, wire, 0); // synchronously: no turn has passed
      assert.deepEqual(new FrameDecoder().push(wire.subarray(0, n)), [first]);
      // Frames enqueued in the same turn, behind that write, go out together next.
      const burst = Array.from({ length: 500 }, (_, i) => ({
        kind: "notify" as const,
        method: "n",
        payload: new Uint8Array([i & 0xff]),
      }));
      for (const frame of burst) writer.enqueue(frame);
      assert.equal(writer.writes, 1, "the burst waits for the next microtask");
      await writer.idle();
      assert.equal(writer.writes, 2);
      assert.equal(writer.held, 0);
      assert.deepEqual(await receiveFrames(b, burst.length), burst);
    } finally {
      a.close();
      b.close();
    }
  },
);

ipcTest(
  "uds writer: a frame a native socket takes only in part is finished from a copy, in order",
  async () => {
    const [a, b] = UnixSocket.pair();
    const [c, d] = UnixSocket.pair();
    try {
      setSocketOption(a.fd, 7, /* SO_SNDBUF */ 4096); // the kernel's minimum: a 12 KiB frame cannot fit
      const writer = new FrameWriter(new SpinConn(a, 0, 0), 1 << 20);
      const big = {
        kind: "notify",
        method: "big",
        payload: new Uint8Array(12 * 1024).map((_, i) => (i * 31) & 0xff),
      } as const;
      writer.enqueue(big);
      assert.ok(writer.queued > 0, "the socket took only part of it");
      const after = { kind: "ping", id: 9, payload: new Uint8Array([1, 2]) } as const;
      writer.enqueue(after);
      // Another writer's frame, written at once, reuses the shared scratch buffer.
      const other = new FrameWriter(new SpinConn(c, 0, 0), 1 << 20);
      const clobber = {
        kind: "notify",
        method: "x",
        payload: new Uint8Array(12 * 1024).fill(0xee),
      } as const;
      other.enqueue(clobber);
      const [frames] = await Promise.all([receiveFrames(b, 2), writer.idle()]);
      assert.deepEqual(frames, [big, after]);
      assert.deepEqual(await receiveFrames(d, 1), [clobber]);
      await other.idle();
      assert.equal(writer.queued, 0);
    } finally {
      for (const s of [a, b, c, d]) s.close();
    }
  },
);
