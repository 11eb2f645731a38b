// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Shared-memory Channel benchmarks between two Deno processes, each against a
 * baseline measured in the same run:
 *
 * - one-way 64 B (msgs/s), both sides busy: Channel vs a plain JS ring over
 *   the same kind of shared memory without the library (length-prefixed,
 *   Atomics head/tail per message, spin-only waiting). Target ≥ 0.5× and
 *   ≥ 10 M msgs/s.
 * - one-way 64 KiB (MB/s): Channel (`receiveInto`: copied into the ring by
 *   the sender, out of it by the receiver) vs `Uint8Array.set` copy
 *   bandwidth of 64 KiB blocks in one process. Target ≥ 0.5×. Shown too,
 *   without a target: a C ring (two processes, `memcpy` in and out, spinning
 *   on counters: what moving data between two CPUs costs on this machine,
 *   the Channel's ceiling) and the zero-copy receive (`receiveView`, the
 *   receiver reading one byte of every 64-byte cache line in place, so that
 *   all the data crosses to its CPU).
 * - ping-pong 64 B (µs per round trip): Channel (spin, then futex) vs a C
 *   futex ping-pong built with `cc`. Target ≤ 2×. A C Unix-socket ping-pong
 *   is shown for scale.
 *
 * Run: `deno run -A bench/shm_bench.ts [--quick] [--json out.json]`. The
 * other process is `_lib/shm_peer.ts`.
 *
 * @module
 */
import { Channel, SharedMemory } from "../shm/mod.ts";
import { RAW_CAP, RAW_HEADER, rawReceive, spawnPeer, unique } from "./_lib/shm_peer.ts";
import { benchArgs, compare, emit, type Figure, figure } from "./_lib/figures.ts";
import { buildBaseline, runBaseline } from "./_lib/native.ts";

// --- measurements ------------------------------------------------------------

/** Plain JS ring, one-way: msgs/s measured by the receiver. */
async function rawOneWay(count: number, size: number): Promise<number> {
  const name = unique("raw");
  using shm = SharedMemory.create(name, { size: RAW_HEADER + RAW_CAP, unlinkOnClose: true });
  const i32 = new Int32Array(shm.bytes.buffer);
  const p = spawnPeer("raw-send", name, count, size);
  await p.ready();
  const out = new Uint8Array(size);
  const st = { head: 0 };
  while (rawReceive(i32, shm.bytes, out, st) < 0);
  const start = performance.now();
  for (let i = 1; i < count; i++) while (rawReceive(i32, shm.bytes, out, st) < 0);
  const ms = performance.now() - start;
  await p.done();
  return (count - 1) / ms * 1000;
}

/** Channel, one-way: msgs/s measured by the receiver. */
async function channelOneWay(count: number, size: number, capacity: number): Promise<number> {
  const name = unique("ch");
  using ch = Channel.create(name, { capacity, unlinkOnClose: true });
  const p = spawnPeer("send", name, count, size);
  await p.ready();
  const buf = new Uint8Array(ch.maxMessageSize);
  await ch.receiveInto(buf);
  const start = performance.now();
  let got = 1;
  while (got < count) {
    while (ch.tryReceiveInto(buf) >= 0) got++;
    if (got < count) {
      await ch.receiveInto(buf);
      got++;
    }
  }
  const ms = performance.now() - start;
  await p.done();
  return (count - 1) / ms * 1000;
}

/**
 * Channel, one-way, zero-copy receive: MB/s measured by the receiver, which
 * reads one byte of every 64-byte cache line of each message in place (and
 * checks their sum), so every line of the payload moves to its CPU.
 */
async function channelOneWayView(count: number, size: number, capacity: number): Promise<number> {
  const name = unique("chv");
  using ch = Channel.create(name, { capacity, unlinkOnClose: true });
  const p = spawnPeer("send", name, count, size);
  await p.ready();
  let sum = touch(await ch.receiveView());
  const start = performance.now();
  for (let got = 1; got < count; got++) {
    sum += touch(ch.tryReceiveView() ?? await ch.receiveView());
  }
  const ms = performance.now() - start;
  await p.done();
  const expected = count * Math.ceil(size / 64) * 7; // the sender fills messages with 7
  if (sum !== expected) throw new Error(`zero-copy receive: checksum ${sum} != ${expected}`);
  return (count - 1) * size / ms / 1000;
}

/** Read one byte per 64-byte cache line of `view`; their sum. */
function touch(view: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < view.length; i += 64) sum += view[i];
  return sum;
}

/** Uint8Array.set of `size`-byte blocks from a 1 MiB source: MB/s. */
function copyBandwidth(size: number, bytes: number): number {
  const src = new Uint8Array(1 << 20).fill(3);
  const dst = new Uint8Array(size);
  const blocks = Math.ceil(bytes / size);
  const per = src.length / size;
  const start = performance.now();
  for (let i = 0; i < blocks; i++) {
    const at = (i % per) * size;
    dst.set(src.subarray(at, at + size));
  }
  const ms = performance.now() - start;
  return blocks * size / ms / 1000;
}

/** Channel ping-pong: µs per round trip. */
async function channelPingPong(trips: number, size: number): Promise<number> {
  const name = unique("pp");
  using tx = Channel.create(`${name}_a`, { capacity: 1 << 16, unlinkOnClose: true });
  using rx = Channel.create(`${name}_b`, { capacity: 1 << 16, unlinkOnClose: true });
  const p = spawnPeer("echo", name, trips, size);
  await p.ready();
  const msg = new Uint8Array(size).fill(1);
  const buf = new Uint8Array(size);
  const warm = Math.min(1000, trips >> 4);
  let start = 0;
  for (let i = 0; i < trips; i++) {
    if (i === warm) start = performance.now();
    tx.trySend(msg);
    let n = rx.tryReceiveInto(buf);
    if (n < 0) n = await rx.receiveInto(buf);
  }
  const us = (performance.now() - start) * 1000 / (trips - warm);
  await p.done();
  return us;
}

async function main(): Promise<void> {
  const { quick, json } = benchArgs();
  const runs = quick ? 3 : 7;
  const small = quick ? 1_000_000 : 4_000_000;
  const large = quick ? 5_000 : 20_000;
  const trips = quick ? 5_000 : 20_000;
  const futexExe = await buildBaseline("shm_pingpong");
  const ringExe = await buildBaseline("shm_ring");

  const s = {
    raw: [] as number[],
    ch64: [] as number[],
    copy: [] as number[],
    ch64k: [] as number[],
    ch64kView: [] as number[],
    cRing: [] as number[],
    cFutex: [] as number[],
    cSocket: [] as number[],
    pp: [] as number[],
  };
  for (let r = 0; r < runs; r++) {
    s.raw.push(await rawOneWay(small, 64));
    s.ch64.push(await channelOneWay(small, 64, 1 << 20));
    s.copy.push(copyBandwidth(65536, large * 65536));
    s.ch64k.push((await channelOneWay(large, 65536, 1 << 20)) * 65536 / 1e6);
    s.ch64kView.push(await channelOneWayView(large, 65536, 1 << 20));
    const ring = await runBaseline<{ mb_per_s: number }>(ringExe, [
      String(large),
      "65536",
      String(1 << 20),
    ]);
    s.cRing.push(ring.mb_per_s);
    const futex = await runBaseline<{ us_per_trip: number }>(futexExe, ["futex", String(trips)]);
    s.cFutex.push(futex.us_per_trip);
    const socket = await runBaseline<{ us_per_trip: number }>(futexExe, ["socket", String(trips)]);
    s.cSocket.push(socket.us_per_trip);
    s.pp.push(await channelPingPong(trips, 64));
  }

  const raw = figure("one-way 64 B, plain JS ring", "msgs/s", s.raw, { size: 64, baseline: true });
  const ch64 = compare(
    figure("one-way 64 B, Channel", "msgs/s", s.ch64, { size: 64 }),
    raw,
    "≥ 0.5×",
  );
  const copy = figure("Uint8Array.set 64 KiB copy", "MB/s", s.copy, {
    size: 65536,
    baseline: true,
  });
  const ch64k = compare(
    figure("one-way 64 KiB, Channel", "MB/s", s.ch64k, { size: 65536 }),
    copy,
    "≥ 0.5×",
  );
  const cRing = figure("one-way 64 KiB, C ring, memcpy in and out", "MB/s", s.cRing, {
    size: 65536,
    baseline: true,
  });
  const ch64kView = figure("one-way 64 KiB, receiveView, every line read", "MB/s", s.ch64kView, {
    size: 65536,
  });
  const cFutex = figure("ping-pong 64 B, C futex", "µs", s.cFutex, { size: 64, baseline: true });
  const cSocket = figure("ping-pong 64 B, C socketpair", "µs", s.cSocket, {
    size: 64,
    baseline: true,
  });
  const pp = compare(
    figure("ping-pong 64 B, Channel", "µs", s.pp, { size: 64 }),
    cFutex,
    "≤ 2×",
  );
  // The same Channel figure against the machine's cross-CPU ceiling (information).
  const ch64kOfRing = compare(
    figure("one-way 64 KiB, Channel", "MB/s", s.ch64k, { size: 65536 }),
    cRing,
  );
  const figures: Figure[] = [
    raw,
    ch64,
    copy,
    ch64k,
    cRing,
    ch64kOfRing,
    ch64kView,
    cFutex,
    cSocket,
    pp,
  ];
  await emit({ mechanism: "shm", figures }, json);
  const absolute = ch64.median >= 10e6 ? "met" : "MISSED";
  console.log(`shm      one-way 64 B absolute target ≥ 10M msgs/s: ${absolute}`);
  const ceiling = (cRing.median / copy.median).toFixed(2);
  console.log(`shm      one-way 64 KiB C ring = ${ceiling}× Uint8Array.set 64 KiB copy`);
  const viewRatio = (ch64kView.median / copy.median).toFixed(2);
  console.log(`shm      one-way 64 KiB receiveView = ${viewRatio}× Uint8Array.set 64 KiB copy`);
}

if (import.meta.main) await main();
