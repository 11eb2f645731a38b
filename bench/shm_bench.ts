// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Shared-memory Channel benchmarks between two processes, each library
 * figure against a C anchor of the same strategy measured in the same round
 * (bench/c/shm_ring.c, shm_pingpong.c):
 *
 * - one-way 64 B (msgs/s), both sides spinning: the C ring of 64-byte
 *   records (memcpy in and out, cached head/tail) vs the Channel one message
 *   per call (`trySend` / `tryReceiveInto`, each with `{ spin: 50 }`: they
 *   spin on the calling thread, like the C ring) and in batches of 64
 *   (`trySendBatch` / `tryReceiveBatch`), and the same over a Channel of
 *   64-byte records (`recordSize: 64`): one record per call, and batches of
 *   64 and of 1024 (`trySendRecords` / `tryReceiveRecords`: one copy and one
 *   publication per batch). Target ≥ 0.7× for each. Floors: the plain JS
 *   ring of records in batches of 64 (no library: what JS copies of 4 KiB
 *   reach between two CPUs), and the two calls of the per-record row in one
 *   process (what the calls cost, with no IPC at all). A plain JS
 *   ring (no library) is a peer row; the same C ring in the Channel's
 *   layout (a 4-byte length before each record, 72-byte frames, a wrap
 *   marker) shows what the framing alone costs; the ceiling of any JS
 *   channel: the rate at which JS alone copies 64-byte records into a ring
 *   and out again in one process, with no second process at all. Every one-way 64 B row, C included,
 *   is measured after {@linkcode WARM_ONE_WAY} untimed messages.
 * - one-way 64 KiB (MB/s): the C ring vs the Channel, one message per call
 *   (as for 64 B), and a Channel of 64 KiB records (`recordSize`: no
 *   prefix, every record 64-byte aligned, as the C ring's; it shows whether
 *   the 4-byte offset of the length-prefixed payloads costs anything).
 *   Target ≥ 0.8×; three times the rounds of the other groups, each run
 *   after `WARM_64K` untimed messages (C included). Peers: the C ring in the Channel's layout (records 4
 *   bytes past an 8-byte boundary, 15 frames in the ring instead of 16
 *   records, a wrap every lap), `Uint8Array.set` in one process, and the
 *   zero-copy receive (`receiveView`, one byte read per cache line).
 * - ping-pong 64 B (mean, p50, p99 µs): blocking — C futex vs a Channel
 *   with `spin: 0`; spin then sleep — C spinning 50 µs then futex vs
 *   the Channel's default (awaited `receiveInto`); spinning — a C spin ring
 *   vs `tryReceiveInto({ spin })` on the calling thread (target ≤ 2×). The
 *   same C spin ping-pong through two rings in the Channel's layout shows
 *   what the layout costs; a plain JS ping-pong over two shared words (no
 *   library, the same spin) shows the floor of any JS ping-pong; a C
 *   socketpair is a peer row.
 *
 * Every figure comes with the CPU time per message of both processes. Every
 * pair, C and Deno alike, runs pinned to two CPUs (the measuring side's main
 * thread on the first, the peer's on the second: `Placement`), so no row
 * runs from one CPU's cache while another crosses between CPUs.
 *
 * Run: `deno run -A bench/shm_bench.ts [--quick] [--only 64,64k,pp] [--json out.json]`. The
 * other process is `_lib/shm_peer.ts`.
 *
 * @module
 */
import { Channel, SharedMemory } from "../shm/mod.ts";
import {
  BATCH,
  BIG_BATCH,
  RAW_CAP,
  RAW_HEADER,
  rawReceive,
  rawReceiveRecords,
  spawnPeer,
  SYNC_SPIN,
  unique,
  WORD_SIZE,
  wordAwait,
  wordPublish,
} from "./_lib/shm_peer.ts";
import { Placement } from "./_lib/placement.ts";
import {
  benchArgs,
  compare,
  cpuMicros,
  detail,
  emit,
  type Figure,
  figure,
  Latencies,
  latencyFigure,
  type RunStats,
} from "./_lib/figures.ts";
import { buildBaseline, runBaseline } from "./_lib/native.ts";

/** A throughput run: the rate and the CPU µs per message of both processes. */
interface Rate {
  rate: number;
  cpu: number;
}

// --- measurements ------------------------------------------------------------

/** Plain JS ring, one-way: msgs/s measured by the receiver after `warm` untimed messages. */
async function rawOneWay(count: number, size: number, warm = 1): Promise<Rate> {
  const name = unique("raw");
  using shm = SharedMemory.create(name, { size: RAW_HEADER + RAW_CAP, unlinkOnClose: true });
  const i32 = new Int32Array(shm.bytes.buffer);
  const total = count + warm - 1;
  const p = spawnPeer("raw-send", name, total, size);
  await p.ready();
  const out = new Uint8Array(size);
  const st = { head: 0 };
  const cpu = cpuMicros();
  for (let i = 0; i < warm; i++) while (rawReceive(i32, shm.bytes, out, st) < 0);
  const start = performance.now();
  for (let i = warm; i < total; i++) while (rawReceive(i32, shm.bytes, out, st) < 0);
  const ms = performance.now() - start;
  const mine = cpuMicros() - cpu;
  return { rate: (total - warm) / ms * 1000, cpu: (mine + await p.done()) / total };
}

/**
 * Plain JS ring of fixed records, one-way: records/s measured by the
 * receiver after `warm` untimed records, {@linkcode BATCH} records per copy
 * and publication each way, no library: the floor of the fixed-record
 * Channel's batch row.
 */
async function rawRecordsOneWay(count: number, size: number, warm = 1): Promise<Rate> {
  const name = unique("rawrec");
  using shm = SharedMemory.create(name, { size: RAW_HEADER + RAW_CAP, unlinkOnClose: true });
  const i32 = new Int32Array(shm.bytes.buffer);
  const total = count + warm - 1;
  const p = spawnPeer("raw-records", name, total, size);
  await p.ready();
  const out = new Uint8Array(size * BATCH);
  const st = { head: 0, tail: 0 };
  const cpu = cpuMicros();
  let got = 0;
  while (got < warm) got += rawReceiveRecords(i32, shm.bytes, out, st) / size;
  const first = got;
  const start = performance.now();
  while (got < total) got += rawReceiveRecords(i32, shm.bytes, out, st) / size;
  const ms = performance.now() - start;
  const mine = cpuMicros() - cpu;
  return { rate: (total - first) / ms * 1000, cpu: (mine + await p.done()) / total };
}

/**
 * How a one-way Channel run sends and receives: one message per call, in
 * batches of {@linkcode BATCH} (`trySendBatch`/`tryReceiveBatch`), and the
 * same two over a channel of fixed-size records (`recordSize`), whose
 * batches are `trySendRecords`/`tryReceiveRecords` (`batch` records per call).
 */
type OneWay = "message" | "batch" | "record" | "records";

/**
 * Channel, one-way: msgs/s measured by the receiver after `warm` untimed
 * messages, one message per call or in batches.
 */
async function channelOneWay(
  count: number,
  size: number,
  capacity: number,
  how: OneWay = "message",
  records = BATCH,
  warm = 1,
): Promise<Rate> {
  const name = unique("ch");
  const fixed = how === "record" || how === "records";
  using ch = Channel.create(name, {
    capacity,
    unlinkOnClose: true,
    ...(fixed ? { recordSize: size } : {}),
  });
  const batch = how === "batch" || how === "records";
  const role = {
    message: "send",
    batch: "send-batch",
    record: "send",
    records: `send-records-${records}`,
  };
  const total = count + warm - 1;
  const p = spawnPeer(role[how], name, total, size);
  await p.ready();
  const buf = new Uint8Array(
    batch ? size * (how === "records" ? records : BATCH) : ch.maxMessageSize,
  );
  const lengths = new Uint32Array(BATCH);
  const spin = { spin: 50 };
  const cpu = cpuMicros();
  await ch.receiveInto(buf);
  let got = 1, start = 0, first = 0;
  while (got < total) {
    if (start === 0 && got >= warm) {
      start = performance.now();
      first = got;
    }
    // Both ways spin on the calling thread while the ring is empty, as the
    // C ring does; an awaited receive only after 50 µs without a message.
    if (how === "records") {
      const n = ch.tryReceiveRecords(buf, spin);
      got += n;
      if (n > 0) continue;
    } else if (batch) {
      const n = ch.tryReceiveBatch(buf, lengths, spin);
      got += n;
      if (n > 0) continue;
    } else if (ch.tryReceiveInto(buf, spin) >= 0) {
      got++;
      continue;
    }
    if (got < total) {
      await ch.receiveInto(buf);
      got++;
    }
  }
  const ms = performance.now() - start;
  const mine = cpuMicros() - cpu;
  return { rate: (total - first) / ms * 1000, cpu: (mine + await p.done()) / total };
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
  for (let i = 0; i < view.length; i += 64) sum += view[i]!;
  return sum;
}

/**
 * What JavaScript alone can do per 64-byte record, in one process and with
 * no other process involved: copy it into a 1 MiB shared-memory ring and
 * out again as 32-bit words (the Channel's copy loops), records/s. The
 * Channel's one-way figure cannot exceed it, whatever the IPC costs.
 */
function jsRecordCopies(count: number): number {
  using shm = SharedMemory.create(unique("copy"), { size: 1 << 20, unlinkOnClose: true });
  const ring = new Int32Array(shm.bytes.buffer);
  const src = new Int32Array(16).fill(0x07070707);
  const dst = new Int32Array(16);
  const mask = (1 << 18) - 1; // in words
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const at = (i << 4) & mask;
    for (let k = 0; k < 16; k++) ring[at + k] = src[k]!;
    for (let k = 0; k < 16; k++) dst[k] = ring[at + k]!;
  }
  const ms = performance.now() - start;
  if (dst[15] !== 0x07070707) throw new Error("record copy: wrong bytes");
  return count / ms * 1000;
}

/**
 * The per-call floor of the one-record-per-call row: one process sends a
 * 64-byte record and receives it back (`trySend`, `tryReceiveInto`) on a
 * channel of 64-byte records, records/s. No other process, no cache line
 * crossing CPUs: only the cost of the two calls and their copies. The
 * two-process row runs the two calls on two CPUs at once, so it can reach at
 * most twice this rate.
 */
function channelCallFloor(count: number): number {
  using ch = Channel.create(unique("calls"), {
    capacity: 1 << 20,
    recordSize: 64,
    unlinkOnClose: true,
  });
  const msg = new Uint8Array(64).fill(7);
  const buf = new Uint8Array(64);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    ch.trySend(msg);
    ch.tryReceiveInto(buf);
  }
  const ms = performance.now() - start;
  if (buf[63] !== 7 || ch.stats.messagesReceived !== count) {
    throw new Error("call floor: lost records");
  }
  return count / ms * 1000;
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

/**
 * Round trips run before the measured ones of a JS ping-pong. The JIT keeps
 * compiling (Maglev, then TurboFan, on-stack replacement) for the first
 * ~30 000 trips of a Channel ping-pong, at the same trip counts in every
 * run, and each compilation stalls a trip by 0.2–4 ms on a machine whose two
 * CPUs both spin: measured from trip 1 000, those stalls made a third of the
 * mean; after trip 30 000, none in the next 170 000. C needs no warm-up.
 */
const WARM_TRIPS = 30_000;

/**
 * Messages every one-way 64 B row, C ring included, carries untimed before
 * the measured ones: ~31 000 calls of 64 records, the calls over which the
 * JIT compiles a batch path in steps. Measured from message 1, the fresh
 * sender process of each run spent its first ~10 000 calls in the lower
 * tiers (on a machine whose two CPUs both spin, a compile job also waits for
 * a CPU), while the C ring runs at full speed from its first record.
 */
const WARM_ONE_WAY = 2_000_000;

/**
 * Channel ping-pong, 64 B: `echo0` both sides with spin 0 and awaited
 * receives; `echo` the default spin, awaited; `echo-sync` spinning in
 * `tryReceiveInto({ spin })`.
 */
async function channelPingPong(trips: number, size: number, role: string): Promise<RunStats> {
  const name = unique("pp");
  const spinMicros = role === "echo0" ? 0 : 50;
  using tx = Channel.create(`${name}_a`, {
    capacity: 1 << 16,
    unlinkOnClose: true,
    spin: spinMicros,
  });
  using rx = Channel.create(`${name}_b`, {
    capacity: 1 << 16,
    unlinkOnClose: true,
    spin: spinMicros,
  });
  // Blocking trips take ~100 µs each, so fewer of them cover the JIT's warm-up.
  const warm = role === "echo0" ? WARM_TRIPS >> 3 : WARM_TRIPS;
  const p = spawnPeer(role, name, warm + trips, size);
  await p.ready();
  const msg = new Uint8Array(size).fill(1);
  const buf = new Uint8Array(size);
  const lat = new Latencies(trips);
  const sync = role === "echo-sync";
  for (let i = 0; i < warm + trips; i++) {
    if (i === warm) lat.startCpu();
    const t = performance.now();
    tx.trySend(msg);
    let n = sync ? rx.tryReceiveInto(buf, { spin: SYNC_SPIN }) : rx.tryReceiveInto(buf);
    if (n < 0) n = await rx.receiveInto(buf);
    if (i >= warm) lat.add(t);
  }
  lat.stopCpu();
  // The peer's CPU covers the warm-up trips too: scale it to the measured ones.
  return lat.stats((await p.done()) * trips / (warm + trips));
}

/**
 * The plain JS ping-pong, 64 B: two processes, one sequence word and one
 * 64-byte slot per direction, spinning as the Channel does, no library
 * (`wordPublish`/`wordAwait`): the floor of any JS ping-pong here, clock
 * reads included.
 */
async function wordPingPong(trips: number): Promise<RunStats> {
  const name = unique("word");
  using shm = SharedMemory.create(name, { size: WORD_SIZE, unlinkOnClose: true });
  const i32 = new Int32Array(shm.bytes.buffer);
  const warm = WARM_TRIPS;
  const p = spawnPeer("word-echo", name, warm + trips, 64);
  await p.ready();
  const msg = new Int32Array(16).fill(0x01010101);
  const buf = new Int32Array(16);
  const lat = new Latencies(trips);
  for (let i = 1; i <= warm + trips; i++) {
    if (i - 1 === warm) lat.startCpu();
    const t = performance.now();
    wordPublish(i32, msg, 0, i);
    wordAwait(i32, buf, 1, i);
    if (i - 1 >= warm) lat.add(t);
  }
  lat.stopCpu();
  return lat.stats((await p.done()) * trips / (warm + trips));
}

async function main(): Promise<void> {
  const { quick, json } = benchArgs();
  const placement = await Placement.read();
  const cpus = placement.cpus;
  console.error(
    cpus
      ? `shm: pairs pinned to CPUs ${cpus[0]} (measuring side) and ${cpus[1]} (peer)`
      : "shm: fewer than two CPUs: pairs unpinned",
  );
  // `--only 64,64k,pp` measures some groups of rows (default: all).
  const only = Deno.args.indexOf("--only");
  const groups = new Set(only >= 0 ? Deno.args[only + 1]!.split(",") : ["64", "64k", "pp"]);
  const runs = quick ? 3 : 7;
  const small = quick ? 1_000_000 : 4_000_000;
  const large = quick ? 5_000 : 20_000;
  /** Untimed 64 KiB messages before the clock starts (C and the Channel alike). */
  const WARM_64K = 2_000;
  const trips = quick ? 5_000 : 20_000;
  const pingExe = await buildBaseline("shm_pingpong");
  const ringExe = await buildBaseline("shm_ring");
  type C = { msgs_per_s: number; mb_per_s: number; cpu_us_per_op: number };

  const r = {
    cRing64: [] as Rate[],
    cFramed64: [] as Rate[],
    ch64: [] as Rate[],
    ch64Batch: [] as Rate[],
    rec64: [] as Rate[],
    rec64Batch: [] as Rate[],
    rec64Big: [] as Rate[],
    rawRec64: [] as Rate[],
    calls64: [] as Rate[],
    raw: [] as Rate[],
    jsCopy: [] as Rate[],
    cRing64k: [] as Rate[],
    cFramed64k: [] as Rate[],
    ch64k: [] as Rate[],
    rec64k: [] as Rate[],
    copy: [] as Rate[],
    ch64kView: [] as Rate[],
  };
  const l = {
    cFutex: [] as RunStats[],
    ch0: [] as RunStats[],
    cSpin50: [] as RunStats[],
    chSpin50: [] as RunStats[],
    cSpin: [] as RunStats[],
    cFramed: [] as RunStats[],
    chSync: [] as RunStats[],
    word: [] as RunStats[],
    cSocket: [] as RunStats[],
  };
  await placement.pin();
  for (let round = 0; round < runs; round++) {
    if (groups.has("64")) {
      const warm = `warm=${WARM_ONE_WAY}`;
      const c64 = await runBaseline<C>(ringExe, [String(small), "64", String(1 << 20), warm]);
      r.cRing64.push({ rate: c64.msgs_per_s, cpu: c64.cpu_us_per_op });
      const f64 = await runBaseline<C>(ringExe, [
        String(small),
        "64",
        String(1 << 20),
        "framed",
        warm,
      ]);
      r.cFramed64.push({ rate: f64.msgs_per_s, cpu: f64.cpu_us_per_op });
      const w = WARM_ONE_WAY;
      r.ch64.push(await channelOneWay(small, 64, 1 << 20, "message", BATCH, w));
      r.ch64Batch.push(await channelOneWay(small, 64, 1 << 20, "batch", BATCH, w));
      r.rec64.push(await channelOneWay(small, 64, 1 << 20, "record", BATCH, w));
      r.rec64Batch.push(await channelOneWay(small, 64, 1 << 20, "records", BATCH, w));
      r.rec64Big.push(await channelOneWay(small, 64, 1 << 20, "records", BIG_BATCH, w));
      r.rawRec64.push(await rawRecordsOneWay(small, 64, w));
      r.calls64.push({ rate: channelCallFloor(small), cpu: NaN });
      r.raw.push(await rawOneWay(small, 64, w));
      r.jsCopy.push({ rate: jsRecordCopies(small), cpu: NaN });
    }
    if (groups.has("pp")) {
      l.cFutex.push(await runBaseline<RunStats>(pingExe, ["spin", String(trips), "0"]));
      l.ch0.push(await channelPingPong(trips, 64, "echo0"));
      l.cSpin50.push(await runBaseline<RunStats>(pingExe, ["spin", String(trips), "50"]));
      l.chSpin50.push(await channelPingPong(trips, 64, "echo"));
      l.cSpin.push(await runBaseline<RunStats>(pingExe, ["spin", String(trips), "-1"]));
      l.cFramed.push(await runBaseline<RunStats>(pingExe, ["framed", String(trips)]));
      l.chSync.push(await channelPingPong(trips, 64, "echo-sync"));
      l.word.push(await wordPingPong(trips));
      l.cSocket.push(await runBaseline<RunStats>(pingExe, ["socket", String(trips)]));
    }
  }

  // The 64 KiB rows swing most from round to round (5–19k MB/s for the same
  // C program in one run: where the host runs the two vCPUs), and a round
  // is short, so they get three times the rounds and a warm-up of their own.
  for (let round = 0; groups.has("64k") && round < runs * 3; round++) {
    const warm = WARM_64K;
    const c64k = await runBaseline<C>(ringExe, [
      String(large),
      "65536",
      String(1 << 20),
      `warm=${warm}`,
    ]);
    r.cRing64k.push({ rate: c64k.mb_per_s, cpu: c64k.cpu_us_per_op });
    const ch64k = await channelOneWay(large, 65536, 1 << 20, "message", BATCH, warm);
    r.ch64k.push({ rate: ch64k.rate * 65536 / 1e6, cpu: ch64k.cpu });
    const rec64k = await channelOneWay(large, 65536, 1 << 20, "record", BATCH, warm);
    r.rec64k.push({ rate: rec64k.rate * 65536 / 1e6, cpu: rec64k.cpu });
    const f64k = await runBaseline<C>(ringExe, [
      String(large),
      "65536",
      String(1 << 20),
      "framed",
      `warm=${warm}`,
    ]);
    r.cFramed64k.push({ rate: f64k.mb_per_s, cpu: f64k.cpu_us_per_op });
    r.copy.push({ rate: copyBandwidth(65536, large * 65536), cpu: NaN });
    r.ch64kView.push({ rate: await channelOneWayView(large, 65536, 1 << 20), cpu: NaN });
  }

  const rate = (
    key: keyof typeof r,
    name: string,
    unit: "msgs/s" | "MB/s",
    size: number,
    baseline = false,
  ) => {
    const cpu = r[key].map((x) => x.cpu).filter((x) => !Number.isNaN(x));
    return figure(name, unit, r[key].map((x) => x.rate), {
      size,
      baseline,
      ...(cpu.length ? { cpu: figure("", "µs", cpu).median } : {}),
    });
  };
  const lat = (key: keyof typeof l, name: string, baseline = false) =>
    latencyFigure(name, l[key], { size: 64, baseline });
  const cRing64 = rate("cRing64", "one-way 64 B, C spin ring of 64 B records", "msgs/s", 64, true);
  const cRing64k = rate(
    "cRing64k",
    "one-way 64 KiB, C spin ring, memcpy in and out",
    "MB/s",
    65536,
    true,
  );
  const cFutex = lat("cFutex", "ping-pong 64 B, C futex (no spin)", true);
  const cSpin50 = lat("cSpin50", "ping-pong 64 B, C spin 50 µs then futex", true);
  const cSpin = lat("cSpin", "ping-pong 64 B, C spin ring", true);
  const figures: Figure[] = [
    cRing64,
    compare(
      rate("ch64", "one-way 64 B, Channel, one message per call", "msgs/s", 64),
      cRing64,
      "≥ 0.7×",
    ),
    compare(
      rate("ch64Batch", `one-way 64 B, Channel, batches of ${BATCH}`, "msgs/s", 64),
      cRing64,
      "≥ 0.7×",
    ),
    detail(compare(
      rate("rec64", "one-way 64 B, Channel of 64 B records, one per call", "msgs/s", 64),
      cRing64,
      "≥ 0.7×",
    )),
    compare(
      rate(
        "rec64Batch",
        `one-way 64 B, Channel of 64 B records, batches of ${BATCH}`,
        "msgs/s",
        64,
      ),
      cRing64,
      "≥ 0.7×",
    ),
    compare(
      rate(
        "calls64",
        "64 B records, Channel trySend + tryReceiveInto, one process (per-call floor)",
        "msgs/s",
        64,
        true,
      ),
      cRing64,
    ),
    compare(
      rate(
        "rec64Big",
        `one-way 64 B, Channel of 64 B records, batches of ${BIG_BATCH}`,
        "msgs/s",
        64,
      ),
      cRing64,
      "≥ 0.7×",
    ),
    compare(
      rate(
        "rawRec64",
        `one-way 64 B, plain JS ring of 64 B records, batches of ${BATCH} (floor)`,
        "msgs/s",
        64,
        true,
      ),
      cRing64,
    ),
    compare(
      rate(
        "cFramed64",
        "one-way 64 B, C ring in the Channel's layout (framing floor)",
        "msgs/s",
        64,
        true,
      ),
      cRing64,
    ),
    compare(rate("raw", "one-way 64 B, plain JS ring (peer)", "msgs/s", 64, true), cRing64),
    compare(
      rate(
        "jsCopy",
        "64 B records copied in and out by JS, one process (ceiling)",
        "msgs/s",
        64,
        true,
      ),
      cRing64,
    ),
    cRing64k,
    compare(
      rate("ch64k", "one-way 64 KiB, Channel, one message per call", "MB/s", 65536),
      cRing64k,
      "≥ 0.8×",
    ),
    detail(compare(
      rate("rec64k", "one-way 64 KiB, Channel of 64 KiB records, one per call", "MB/s", 65536),
      cRing64k,
      "≥ 0.8×",
    )),
    compare(
      rate(
        "cFramed64k",
        "one-way 64 KiB, C ring in the Channel's layout (framing floor)",
        "MB/s",
        65536,
        true,
      ),
      cRing64k,
    ),
    compare(
      rate("copy", "Uint8Array.set 64 KiB, one process (peer)", "MB/s", 65536, true),
      cRing64k,
    ),
    compare(
      rate("ch64kView", "one-way 64 KiB, receiveView, every line read", "MB/s", 65536),
      cRing64k,
    ),
    cFutex,
    compare(lat("ch0", "ping-pong 64 B, Channel spin: 0"), cFutex),
    cSpin50,
    compare(lat("chSpin50", "ping-pong 64 B, Channel default spin, awaited"), cSpin50),
    cSpin,
    compare(lat("chSync", "ping-pong 64 B, Channel tryReceiveInto({ spin })"), cSpin, "≤ 2×"),
    compare(
      lat("cFramed", "ping-pong 64 B, C spin ring in the Channel's layout (layout floor)", true),
      cSpin,
    ),
    compare(lat("word", "ping-pong 64 B, plain JS over two shared words (floor)", true), cSpin),
    compare(lat("cSocket", "ping-pong 64 B, C socketpair (peer)", true), cFutex),
  ];
  await emit({ mechanism: "shm", figures: figures.filter((f) => f.runs > 0) }, json);
}

if (import.meta.main) await main();
