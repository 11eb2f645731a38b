// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * POSIX message queue benchmarks, each against a C baseline of the same
 * strategy run in the same round (bench/c/mq_oneway.c, mq_pingpong.c); the
 * Deno sides run in bench/_lib/mq_peer.ts:
 *
 * - blocking: the library with `spin: 0` against C blocking in
 *   mq_send/mq_receive;
 * - spinning: the library's default `spin: 50` against C retrying O_NONBLOCK
 *   calls for 50 µs, yielding the CPU between tries, then blocking; and the
 *   sleepless try loop (`tryReceiveInto(buf, { spin: 50 })`, then
 *   `receiveInto` on a `spin: 0` handle) against the same C.
 *
 * Placement: every row, C and Deno alike, runs with the measuring process's
 * main thread pinned to the first CPU the bench may use and its peer's to
 * the second (bench/_lib/placement.ts; the C programs pin themselves
 * through `bench_pin`, the Deno peers through `pinPeer`), so a wake-up
 * always crosses CPUs. Left to the scheduler, C pairs were often woken on
 * the waker's CPU (2 µs round trips; a blocking one-way batching 1.3–1.7 M
 * msgs/s against 0.2 M across CPUs) and Deno pairs on the idle one (40–60
 * µs), so a blocking row compared two placements, not two programs. The
 * blocking ping-pongs run once more with both processes on the first CPU,
 * where a wake-up is cheap and the programs' own costs show.
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
 * first one waits for the peer process to start), 30,000 when spinning
 * (bench/_lib/mq_peer.ts says why).
 *
 * One-way: 64-byte messages from one process to another (msgs/s measured
 * after {@linkcode WARM_ONE_WAY} untimed messages, the library sender calls
 * `trySend` and awaits `send` only when the queue is full, the receiver
 * likewise with `tryReceiveInto`/`receiveInto`; the floor runs
 * mq_oneway.c's loop on the raw FFI calls). Ping-pong: 64-byte
 * round trips (mean, p50, p99 µs). Both report the CPU time per message of
 * both processes.
 *
 * Run: `deno run -A bench/mq_bench.ts [--quick] [--json out.json] [--runs 7]
 * [--messages 200000] [--trips 10000] [--warm 300000] [--only oneway|pingpong]`. The C
 * programs are built with `cc` on first use and cached under .build/c/.
 *
 * @module
 */
import { MessageQueue } from "../mq/mod.ts";
import {
  benchArgs,
  compare,
  detail,
  emit,
  type Figure,
  figure,
  latencyFigure,
  type RunStats,
} from "./_lib/figures.ts";
import { buildBaseline, lastJson } from "./_lib/native.ts";
import { Placement } from "./_lib/placement.ts";

const SIZE = 64;
/**
 * Untimed messages before each one-way row's clock starts, C and Deno
 * alike: without them a 200,000-message library row measured 1.3 µs per
 * message against 1.0 for the raw FFI floor, while over 1,000,000 messages
 * the two were even: V8 was still compiling the library's path.
 */
const WARM_ONE_WAY = 300_000;
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
/** The Deno side of every pair. */
const PEER = new URL("./_lib/mq_peer.ts", import.meta.url).pathname;

/** What each process of a pair prints. */
interface Printed extends Partial<RunStats> {
  ns?: number;
  cpu_us?: number;
}

/**
 * One ping-pong row: C (`c`) or Deno (the peer's kinds: "" the library's
 * awaited calls, "sync-" its sleepless try loop, "raw-" the floor), its
 * spin and deadline argument, and whether both processes share one CPU.
 */
interface PingPong {
  c: boolean;
  kind: "" | "sync-" | "raw-";
  spin: number;
  wait?: number;
  sameCpu?: boolean;
}

const PING_PONGS = {
  c0: { c: true, kind: "", spin: 0 },
  f0: { c: false, kind: "raw-", spin: 0 },
  d0: { c: false, kind: "", spin: 0 },
  ct: { c: true, kind: "", spin: 0, wait: SYNC_WAIT },
  ck: { c: true, kind: "", spin: 0, wait: -SYNC_WAIT },
  cf: { c: true, kind: "", spin: 0, wait: FAR_WAIT },
  dw: { c: false, kind: "", spin: 0, wait: FAR_WAIT },
  c1: { c: true, kind: "", spin: 0, sameCpu: true },
  f1: { c: false, kind: "raw-", spin: 0, sameCpu: true },
  d1: { c: false, kind: "", spin: 0, sameCpu: true },
  cs: { c: true, kind: "", spin: SPIN },
  fs: { c: false, kind: "raw-", spin: SPIN },
  ds: { c: false, kind: "", spin: SPIN },
  ys: { c: false, kind: "sync-", spin: SPIN },
} satisfies Record<string, PingPong>;

type OneWayKey = "c0" | "f0" | "d0" | "cs" | "fs" | "ds";

async function main(): Promise<void> {
  const { quick, json } = benchArgs();
  const runs = flag("--runs", quick ? 3 : 7);
  const messages = flag("--messages", quick ? 50_000 : 200_000);
  const trips = flag("--trips", quick ? 3_000 : 10_000);
  const oneway = await buildBaseline("mq_oneway");
  const pingpong = await buildBaseline("mq_pingpong");
  const { cpus } = await Placement.read();
  const rate: Record<OneWayKey, number[]> = { c0: [], f0: [], d0: [], cs: [], fs: [], ds: [] };
  const cpu: Record<OneWayKey, number[]> = { c0: [], f0: [], d0: [], cs: [], fs: [], ds: [] };
  const rtt = Object.fromEntries(
    Object.keys(PING_PONGS).map((k) => [k, [] as RunStats[]]),
  ) as Record<keyof typeof PING_PONGS, RunStats[]>;
  const n = String(messages), size = String(SIZE), t = String(trips);
  const warm = String(flag("--warm", quick ? WARM_ONE_WAY / 6 : WARM_ONE_WAY));
  const only = Deno.args.includes("--only") ? Deno.args[Deno.args.indexOf("--only") + 1] : "";
  for (let run = 0; run < runs; run++) {
    for (const [key, c, raw, spin] of only === "pingpong" ? [] : oneWayCases()) {
      const [r, s] = await withQueues(1, ([q]) =>
        pair(
          c ? oneway : null,
          [`${raw}receive`, q, n, size, spin, warm],
          [`${raw}send`, q, n, size, spin, warm],
          cpus,
        ));
      rate[key].push(messages / r.ns! * 1e9);
      cpu[key].push((r.cpu_us! + s.cpu_us!) / messages);
    }
    if (only === "oneway") continue;
    for (const [key, row] of Object.entries(PING_PONGS) as Array<[keyof typeof rtt, PingPong]>) {
      const args = [
        t,
        size,
        String(row.spin),
        ...(row.wait === undefined ? [] : [String(row.wait)]),
      ];
      const place = cpus && (row.sameCpu ? [cpus[0], cpus[0]] as const : cpus);
      const [r, s] = await withQueues(2, ([a, b]) =>
        pair(
          row.c ? pingpong : null,
          [`${row.kind}ping`, a, b, ...args],
          [`${row.kind}pong`, a, b, ...args],
          place,
        ));
      rtt[key].push({ ...r, cpu_us_per_op: r.cpu_us_per_op! + s.cpu_us! / trips } as RunStats);
    }
  }
  const oneWay = (key: OneWayKey, name: string, baseline = false) =>
    figure(name, "msgs/s", rate[key], {
      baseline,
      size: SIZE,
      cpu: figure("", "µs", cpu[key]).median,
    });
  const c0 = oneWay("c0", "one-way 64 B, C blocking mq_send/mq_receive", true);
  const cs = oneWay("cs", `one-way 64 B, C O_NONBLOCK spin ${SPIN} µs then blocking`, true);
  const oneWays = only === "pingpong" ? [] : [
    c0,
    compare(oneWay("f0", "one-way 64 B, Deno raw FFI blocking (floor)"), c0),
    compare(oneWay("d0", "one-way 64 B, MessageQueue spin: 0"), c0, "≥ 0.7×"),
    cs,
    compare(oneWay("fs", `one-way 64 B, Deno raw FFI O_NONBLOCK spin ${SPIN} µs (floor)`), cs),
    compare(oneWay("ds", `one-way 64 B, MessageQueue spin: ${SPIN} (default)`), cs, "≥ 0.7×"),
  ];
  await emit({
    mechanism: "mq",
    figures: only === "oneway" ? oneWays : [...oneWays, ...pingPongFigures(rtt)],
  }, json);
}

/** The ping-pong figures, each set against its C baseline. */
function pingPongFigures(rtt: Record<keyof typeof PING_PONGS, RunStats[]>): Figure[] {
  const p = (key: keyof typeof rtt, name: string, baseline = false) =>
    latencyFigure(`ping-pong 64 B, ${name}`, rtt[key], { baseline, size: SIZE });
  const c0 = p("c0", "C blocking mq_receive", true);
  const ck = p("ck", `C mq_timedreceive, deadlines ${SYNC_WAIT} µs rounded past a tick`, true);
  const c1 = p("c1", "C blocking mq_receive, one CPU", true);
  const cs = p("cs", `C O_NONBLOCK spin ${SPIN} µs then blocking`, true);
  return [
    c0,
    compare(p("f0", "Deno raw FFI blocking mq_receive (floor)"), c0),
    compare(p("d0", "MessageQueue spin: 0"), c0, "≤ 1.5×"),
    compare(ck, c0),
    compare(p("d0", "MessageQueue spin: 0 (vs C with its deadlines)"), ck),
    compare(p("ct", `C mq_timedreceive, ${SYNC_WAIT} µs deadlines`, true), c0),
    compare(p("cf", `C mq_timedreceive, ${FAR_WAIT} µs deadlines`, true), c0),
    detail(compare(p("dw", `MessageQueue spin: 0, syncWait: ${FAR_WAIT}`), c0, "≤ 1.5×")),
    c1,
    compare(p("f1", "Deno raw FFI blocking mq_receive, one CPU (floor)"), c1),
    compare(p("d1", "MessageQueue spin: 0, one CPU"), c1, "≤ 1.5×"),
    cs,
    compare(p("fs", `Deno raw FFI O_NONBLOCK spin ${SPIN} µs then blocking (floor)`), cs),
    compare(p("ds", `MessageQueue spin: ${SPIN} (default)`), cs, "≤ 2×"),
    detail(compare(
      p("ys", `MessageQueue tryReceiveInto({ spin: ${SPIN} }), then receiveInto`),
      cs,
      "≤ 2×",
    )),
  ];
}

/**
 * The one-way cases of a round: C, the raw FFI floor ("raw-") and the
 * library, blocking and spinning.
 */
function oneWayCases(): Array<[OneWayKey, boolean, "" | "raw-", string]> {
  const spin = String(SPIN);
  return [
    ["c0", true, "", "0"],
    ["f0", false, "raw-", "0"],
    ["d0", false, "", "0"],
    ["cs", true, "", spin],
    ["fs", false, "raw-", spin],
    ["ds", false, "", spin],
  ];
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
    return await fn(names as [string, string, ...string[]]);
  } finally {
    for (const q of queues) q.close();
    for (const name of names) MessageQueue.unlink(name);
  }
}

/**
 * Run a measuring and a helper process together (the C program `exe`, or
 * with null the Deno peer) and return what each printed; with `place`,
 * their main threads pin themselves to those two CPUs.
 */
async function pair(
  exe: string | null,
  measure: string[],
  helper: string[],
  place?: readonly [number, number],
): Promise<[Printed, Printed]> {
  const start = (args: string[], cpu: number | undefined) =>
    new Deno.Command(exe ?? Deno.execPath(), {
      args: exe === null ? ["run", "-A", PEER, ...args] : args,
      env: { BENCH_PEER_CPU: cpu === undefined ? "" : String(cpu) },
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
  const children = [start(measure, place?.[0]), start(helper, place?.[1])];
  const [out, other] = await Promise.all(children.map((child) => child.output()));
  if (!out!.success || !other!.success) throw new Error(`bench process failed: ${measure}`);
  const text = new TextDecoder();
  return [lastJson(text.decode(out!.stdout)), lastJson(text.decode(other!.stdout))];
}

if (import.meta.main) {
  await main();
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
