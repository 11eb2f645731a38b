// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * POSIX message queue benchmarks, each against a C baseline of the same
 * strategy run in the same round (bench/c/mq_oneway.c, mq_pingpong.c):
 *
 * - blocking: the library with `spin: 0` against C blocking in
 *   mq_send/mq_receive;
 * - spinning: the library's default `spin: 50` against C retrying O_NONBLOCK
 *   calls for 50 µs, yielding the CPU between tries, then blocking.
 *
 * More C ping-pongs sleep in mq_timedreceive with deadlines, as the
 * library's brief sleep does (a bounded sleep keeps the event loop's worst
 * case bounded): with deadlines 200 µs away (the library's `syncWait` as it
 * was), they show what a near deadline costs on this machine: a deadline
 * before the CPU's next scheduler tick becomes its first timer, so arming
 * and cancelling it reprogram the clock-event device (a VM exit under
 * KVM/Firecracker, twice per sleep). With deadlines 200 µs away rounded up
 * to 20 µs past a tick (the ticks sit on multiples of the tick period of
 * CLOCK_MONOTONIC), they do what the library now does: no reprogramming,
 * blocking-class wake-ups, the event loop held at most 200 µs + one tick;
 * the library's `spin: 0` row is set against this one too. With 5 ms
 * deadlines, the same as the library's `spin: 0, syncWait: 5000` row.
 *
 * The "floor" rows are the C ping-pong's loop on the raw FFI calls in Deno
 * (O_NONBLOCK mq_receive retried with sched_yield in between for 50 µs, or
 * none, then a blocking one; no promise, no copy, no event loop): what any
 * library on this runtime's FFI could reach with C's strategy. Every
 * ping-pong, C and Deno alike, makes 1000 untimed round trips first (the
 * first one waits for the peer process to start).
 *
 * One-way: 64-byte messages from one process to another (msgs/s, the
 * library sender calls `trySend` and awaits `send` only when the queue is
 * full, the receiver likewise with `tryReceiveInto`/`receiveInto`).
 * Ping-pong: 64-byte round trips (mean, p50, p99 µs). Both report the CPU
 * time per message of both processes.
 *
 * Run: `deno run -A bench/mq_bench.ts [--quick] [--json out.json] [--runs 7]
 * [--messages 200000] [--trips 10000] [--only oneway|pingpong]`. The C programs are built with `cc` on
 * first use and cached under .build/c/.
 *
 * @module
 */
import { MessageQueue } from "../mq/mod.ts";
import {
  benchArgs,
  compare,
  cpuMicros,
  emit,
  figure,
  Latencies,
  latencyFigure,
  type RunStats,
} from "./_lib/figures.ts";
import { buildBaseline, lastJson, runPairOutputs } from "./_lib/native.ts";
import { backend, libc } from "../_ffi/mod.ts";
import { O_NONBLOCK, O_RDONLY, O_WRONLY } from "../_ffi/constants.ts";

const SIZE = 64;
/**
 * Untimed round trips before the timed ones, as in C (mq_pingpong.c): the
 * first waits for the peer to start, and the JIT settles.
 */
const WARMUP = 1000;
/** The library's default `spin` (µs); the spinning C baselines spin as long. */
const SPIN = 50;
/** The library's default `syncWait` (µs). */
const SYNC_WAIT = 200;
/**
 * A `syncWait` beyond the scheduler tick (4 ms at HZ=250): a deadline that
 * falls after the CPU's next tick does not reprogram the clock-event device
 * when armed or cancelled, so the sleep wakes as fast as a blocking one.
 */
const FAR_WAIT = 5000;

/** What each process of a pair prints. */
interface Printed extends Partial<RunStats> {
  ns?: number;
  cpu_us?: number;
}

async function main(): Promise<void> {
  const { quick, json } = benchArgs();
  const runs = flag("--runs", quick ? 3 : 7);
  const messages = flag("--messages", quick ? 50_000 : 200_000);
  const trips = flag("--trips", quick ? 3_000 : 10_000);
  const oneway = await buildBaseline("mq_oneway");
  const pingpong = await buildBaseline("mq_pingpong");
  const rate = { c0: [] as number[], d0: [] as number[], cs: [] as number[], ds: [] as number[] };
  const cpu = { c0: [] as number[], d0: [] as number[], cs: [] as number[], ds: [] as number[] };
  const rtt = {
    ct: [] as RunStats[],
    ck: [] as RunStats[],
    cf: [] as RunStats[],
    dw: [] as RunStats[],
    f0: [] as RunStats[],
    fs: [] as RunStats[],
    c0: [] as RunStats[],
    d0: [] as RunStats[],
    cs: [] as RunStats[],
    ds: [] as RunStats[],
  };
  const n = String(messages), size = String(SIZE), t = String(trips);
  const only = Deno.args.includes("--only") ? Deno.args[Deno.args.indexOf("--only") + 1] : "";
  for (let run = 0; run < runs; run++) {
    for (const [key, exe, spin] of only === "pingpong" ? [] : cases(oneway)) {
      const [r, s] = await withQueues(
        1,
        ([q]) => pair(exe, ["receive", q, n, size, spin], ["send", q, n, size, spin]),
      );
      rate[key].push(messages / r.ns! * 1e9);
      cpu[key].push((r.cpu_us! + s.cpu_us!) / messages);
    }
    const timed: Array<["ct" | "ck" | "cf" | "dw", string | null, string, string]> = [
      ["ct", pingpong, "0", String(SYNC_WAIT)],
      ["ck", pingpong, "0", String(-SYNC_WAIT)],
      ["cf", pingpong, "0", String(FAR_WAIT)],
      ["dw", null, "0", String(FAR_WAIT)],
    ];
    const raw: Array<["f0" | "fs", string | null, string]> = [
      ["f0", null, "0"],
      ["fs", null, String(SPIN)],
    ];
    for (
      const [key, exe, ...spin] of only === "oneway" ? [] : [...cases(pingpong), ...timed, ...raw]
    ) {
      const [ping, pong] = key[0] === "f" ? ["raw-ping", "raw-pong"] : ["ping", "pong"];
      const [r, s] = await withQueues(
        2,
        ([a, b]) => pair(exe, [ping, a, b, t, size, ...spin], [pong, a, b, t, size, ...spin]),
      );
      rtt[key].push({ ...r, cpu_us_per_op: r.cpu_us_per_op! + s.cpu_us! / trips } as RunStats);
    }
  }
  const oneWay = (key: keyof typeof rate, name: string, baseline = false) =>
    figure(name, "msgs/s", rate[key], {
      baseline,
      size: SIZE,
      cpu: figure("", "µs", cpu[key]).median,
    });
  const c0 = oneWay("c0", "one-way 64 B, C blocking mq_send/mq_receive", true);
  const cs = oneWay("cs", `one-way 64 B, C O_NONBLOCK spin ${SPIN} µs then blocking`, true);
  const d0 = oneWay("d0", "one-way 64 B, MessageQueue spin: 0");
  const ds = oneWay("ds", `one-way 64 B, MessageQueue spin: ${SPIN} (default)`);
  const p = (key: keyof typeof rtt, name: string, baseline = false) =>
    latencyFigure(name, rtt[key], { baseline, size: SIZE });
  const pc0 = p("c0", "ping-pong 64 B, C blocking mq_receive", true);
  const pcs = p("cs", `ping-pong 64 B, C O_NONBLOCK spin ${SPIN} µs then blocking`, true);
  const pd0 = p("d0", "ping-pong 64 B, MessageQueue spin: 0");
  const pct = p("ct", `ping-pong 64 B, C mq_timedreceive, ${SYNC_WAIT} µs deadlines`, true);
  const pds = p("ds", `ping-pong 64 B, MessageQueue spin: ${SPIN} (default)`);
  const pck = p(
    "ck",
    `ping-pong 64 B, C mq_timedreceive, deadlines ${SYNC_WAIT} µs rounded past a tick`,
    true,
  );
  const pcf = p("cf", `ping-pong 64 B, C mq_timedreceive, ${FAR_WAIT} µs deadlines`, true);
  const pdw = p("dw", `ping-pong 64 B, MessageQueue spin: 0, syncWait: ${FAR_WAIT}`);
  const pf0 = p("f0", "ping-pong 64 B, Deno raw FFI blocking mq_receive (floor)");
  const pfs = p(
    "fs",
    `ping-pong 64 B, Deno raw FFI O_NONBLOCK spin ${SPIN} µs then blocking (floor)`,
  );
  const oneWays = only === "pingpong"
    ? []
    : [c0, compare(d0, c0, "≥ 0.7×"), cs, compare(ds, cs, "≥ 0.7×")];
  await emit({
    mechanism: "mq",
    figures: only === "oneway" ? oneWays : [
      ...oneWays,
      pc0,
      compare(pf0, pc0),
      compare(pd0, pc0, "≤ 1.5×"),
      compare(pck, pc0),
      compare(p("d0", "ping-pong 64 B, MessageQueue spin: 0 (vs C with its deadlines)"), pck),
      compare(pct, pc0),
      compare(pcf, pc0),
      compare(pdw, pc0, "≤ 1.5×"),
      pcs,
      compare(pfs, pcs),
      compare(pds, pcs, "≤ 2×"),
    ],
  }, json);
}

/** The four cases of a round: C and Deno, blocking and spinning (exe null = Deno). */
function cases(exe: string): Array<["c0" | "d0" | "cs" | "ds", string | null, string]> {
  return [["c0", exe, "0"], ["d0", null, "0"], ["cs", exe, String(SPIN)], [
    "ds",
    null,
    String(SPIN),
  ]];
}

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

/** Create `n` fresh queues, run `fn` with their names, always unlink them. */
async function withQueues<T>(
  n: number,
  fn: (names: [string, string, ...string[]]) => Promise<T>,
): Promise<T> {
  const names = Array.from(
    { length: n },
    (_, i) => `/mq_bench_${Deno.pid}_${i}_${Math.random().toString(36).slice(2, 8)}`,
  );
  const queues = names.map((name) =>
    MessageQueue.open(name, { exclusive: true, maxMessages: 10, messageSize: SIZE })
  );
  try {
    return await fn(names as [string, string, ...string[]] as [string, string, ...string[]]);
  } finally {
    for (const q of queues) q.close();
    for (const name of names) MessageQueue.unlink(name);
  }
}

/** Run a measuring and a helper process together; return what each printed. */
async function pair(
  exe: string | null,
  measure: string[],
  helper: string[],
): Promise<[Printed, Printed]> {
  const [out, other] = await runPairOutputs(import.meta.filename!, exe, measure, helper);
  return [lastJson(out), lastJson(other)];
}

/** The Deno side of each measurement, in a child process. */
async function role(args: string[]): Promise<void> {
  const [kind, a, b, c, d, e, f] = args as [string, string, string, string, string, string, string];
  if (kind.startsWith("raw-")) return rawRole(kind, a, b, Number(c), Number(d), Number(e));
  if (kind === "send" || kind === "receive") {
    const spin = Number(d);
    using q = MessageQueue.open(a, {
      readOnly: kind === "receive",
      writeOnly: kind === "send",
      spin,
    });
    const count = Number(b);
    const buffer = new Uint8Array(Math.max(q.messageSize, Number(c)));
    const bytes = buffer.subarray(0, Number(c));
    if (kind === "send") {
      const cpu = cpuMicros();
      for (let i = count; i > 0; i--) if (!q.trySend(bytes)) await q.send(bytes);
      console.log(JSON.stringify({ cpu_us: cpuMicros() - cpu }));
      return;
    }
    const cpu = cpuMicros();
    await q.receiveInto(buffer);
    const start = performance.now();
    for (let i = 1; i < count; i++) {
      if (q.tryReceiveInto(buffer) === undefined) await q.receiveInto(buffer);
    }
    const ns = Math.round((performance.now() - start) * 1e6);
    console.log(JSON.stringify({ ns, cpu_us: cpuMicros() - cpu }));
    return;
  }
  const spin = Number(e);
  const syncWait = f === undefined ? undefined : Number(f);
  using ping = MessageQueue.open(a, {
    readOnly: kind === "pong",
    writeOnly: kind === "ping",
    spin,
    syncWait,
  });
  using pong = MessageQueue.open(b, {
    readOnly: kind === "ping",
    writeOnly: kind === "pong",
    spin,
    syncWait,
  });
  const buffer = new Uint8Array(SIZE);
  const count = Number(c);
  // the views are made once, as C passes a pointer and a length: no allocation per trip
  const out = buffer.subarray(0, Number(d));
  const lat = new Latencies(count);
  for (let i = -WARMUP; i < count; i++) {
    if (i === 0) lat.startCpu();
    if (kind === "ping") {
      const t = performance.now();
      await ping.send(out);
      await pong.receiveInto(buffer);
      if (i >= 0) lat.add(t);
    } else {
      const { length } = await ping.receiveInto(buffer);
      await pong.send(length === out.length ? out : buffer.subarray(0, length));
    }
  }
  lat.stopCpu();
  console.log(JSON.stringify(kind === "ping" ? lat.stats() : { cpu_us: lat.cpu }));
}

/**
 * The floor of a ping-pong: the C program's loop (bench/c/mq_pingpong.c)
 * on the raw FFI calls in Deno, no promise, no copy, no event loop. With
 * `spin` µs: non-blocking mq_receive on an O_NONBLOCK descriptor retried
 * with sched_yield in between, then a blocking one; with 0: blocking at
 * once. What any library on this runtime's FFI could reach with C's
 * strategy.
 */
function rawRole(kind: string, a: string, b: string, count: number, size: number, spin: number) {
  const lib = libc();
  const open = (name: string, flags: number) => {
    const fd = lib.mq_open(new TextEncoder().encode(name + "\0"), flags, 0, null);
    if (fd < 0) throw new Error(`mq_open ${name}: errno ${backend().errno()}`);
    return fd;
  };
  const ping = kind === "raw-ping";
  const tx = open(ping ? a : b, O_WRONLY);
  const rx = open(ping ? b : a, O_RDONLY);
  const nb = open(ping ? b : a, O_RDONLY | O_NONBLOCK);
  const buf = new Uint8Array(SIZE);
  const prio = new Uint8Array(4);
  const cap = BigInt(SIZE);
  const length = BigInt(size);
  const spinMs = spin / 1000;
  const receive = () => {
    if (spinMs > 0) {
      const end = performance.now() + spinMs;
      do {
        if (lib.mq_timedreceive(nb, buf, cap, prio, null) >= 0) return;
        lib.sched_yield();
      } while (performance.now() < end);
    }
    while (lib.mq_timedreceive(rx, buf, cap, prio, null) < 0) { /* EINTR: again */ }
  };
  const send = () => {
    while (lib.mq_timedsend(tx, buf, length, 0, null) !== 0) { /* EINTR: again */ }
  };
  const lat = new Latencies(count);
  for (let i = -WARMUP; i < count; i++) {
    if (i === 0) lat.startCpu();
    if (ping) {
      const t = performance.now();
      send();
      receive();
      if (i >= 0) lat.add(t);
    } else {
      receive();
      send();
    }
  }
  lat.stopCpu();
  for (const fd of [tx, rx, nb]) lib.mq_close(fd);
  console.log(JSON.stringify(ping ? lat.stats() : { cpu_us: lat.cpu }));
}

if (import.meta.main) {
  if (Deno.args[0] === "--role") await role(Deno.args.slice(1));
  else await main();
} else {
  // Under `deno bench`: the cost of the calls themselves, in one process.
  const bytes = new Uint8Array(SIZE);
  const buffer = new Uint8Array(SIZE);
  const bench = (name: string, op: (q: MessageQueue) => unknown) =>
    Deno.bench(name, { group: "mq" }, async (b) => {
      const path = `/mq_bench_${Deno.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const q = MessageQueue.open(path, { exclusive: true, maxMessages: 10, messageSize: SIZE });
      try {
        b.start();
        for (let i = 0; i < 100; i++) await op(q);
        b.end();
      } finally {
        q.close();
        MessageQueue.unlink(path);
      }
    });
  bench("mq: 100 × trySend + tryReceiveInto (64 B)", (q) => {
    q.trySend(bytes);
    q.tryReceiveInto(buffer);
  });
  bench("mq: 100 × await send + await receiveInto (64 B)", async (q) => {
    await q.send(bytes);
    await q.receiveInto(buffer);
  });
}
