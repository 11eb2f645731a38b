// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * System V IPC benchmarks, each against a C baseline run in the same round
 * with the same strategy:
 *
 * - one-way: 64-byte messages from one process to another (msgs/s);
 * - ping-pong: 64-byte round trips on one queue, typed 1 out and 2 back (µs);
 * - semop round trip: post one semaphore, take the other (µs).
 *
 * Every row, C and Deno alike, starts with the same untimed warm-up (messages
 * or round trips): the first waits for the peer process to start (Deno takes
 * far longer to start than C), and the JIT compiles the Deno sides' loops
 * meanwhile (see {@linkcode WARM}).
 *
 * Each library row is set against C with the same strategy:
 *
 * - "blocking" / "spin: 0": C sleeps in msgsnd/msgrcv/semop at once; the
 *   library sleeps in the kernel in 200 µs slices (`semtimedop` with a
 *   timeout, which it also starts with; for queues a blocking msgrcv/msgsnd
 *   that a per-thread timer's SIGRTMAX ends, which it starts with for three
 *   calls after a failed try), with event-loop turns between.
 * - "spin 50 µs then blocking" / "default": both retry IPC_NOWAIT with
 *   sched_yield for 50 µs first (the library's default for queues).
 * - "spinning": both retry IPC_NOWAIT with sched_yield in between (the
 *   library with a spin budget of one second).
 *
 * The library's queue roles receive with `receiveInto` into one buffer (as
 * C, and the mq bench's roles, reuse one), and send with `send`.
 *
 * The "floor" rows are the same Deno loop with the raw FFI calls of C's
 * strategy (blocking `msgsnd`/`msgrcv` on the main thread, or IPC_NOWAIT
 * tries with sched_yield between; no promise, no copy, no abort): what any
 * library on this FFI could reach with that strategy. The "floor of an
 * awaited API" rows add one `await` per call to that loop (of an
 * already-settled value, as the library's calls that need no wait return):
 * what any library whose calls return a promise could reach.
 *
 * Every pair, C and Deno alike, runs pinned to two CPUs: the measuring
 * side's main thread on the first CPU the bench may use, the other side's on
 * the second (bench/README.md, "Placement").
 *
 * Run: `deno run -A bench/sysv_bench.ts [--quick] [--json out.json] [--runs 5]
 * [--messages 100000] [--trips 5000] [--warm 30000] [--only one-way,semop] [--no-pin]`
 * (`--only`: the rows whose name contains one of the comma-separated words;
 * `--no-pin`: leave the pairs' placement to the scheduler, for comparison). The C programs are built with `cc` on
 * first use and cached under .build/c/.
 *
 * @module
 */
import { IPC_PRIVATE, SysvMessageQueue, SysvSemaphoreSet } from "../sysv/mod.ts";
import { benchArgs, compare, detail, emit, type Figure, figure } from "./_lib/figures.ts";
import { buildBaseline, runPair } from "./_lib/native.ts";
import { Placement } from "./_lib/placement.ts";
import type { Mode } from "./_lib/sysv_peer.ts";

const PEER = new URL("./_lib/sysv_peer.ts", import.meta.url).pathname;

const SIZE = 64;
/**
 * Untimed messages or round trips before the timed ones, the same for every
 * row (C too). The JIT compiles and recompiles a Deno loop over its first tens
 * of thousands of iterations (bench/shm_bench.ts measured ~30 000 for a
 * ping-pong); while both CPUs are busy with the pair, each compile job waits
 * for a CPU and the loop runs unoptimized meanwhile. Blocking round trips
 * take ~10× longer each: an eighth as many of them warm up as long.
 */
const WARM = 30_000;
const C_WAY: Record<Mode, string> = {
  block: "C blocking",
  blocktick: "C blocking",
  spinblock: "C spin 50 µs then blocking",
  spin: "C spinning",
};
const LIB_WAY: Record<Mode, string> = {
  block: "spin: 0",
  blocktick: "spin: 0, syncWait: 5000",
  spinblock: "spin: 50 (default)",
  spin: "spinning",
};

/** The floor's strategy per mode: C's, with the raw calls ("rawspin": IPC_NOWAIT and sched_yield). */
type Raw = "raw" | "rawspin" | "raw-await" | "rawspin-await";
const RAW: Partial<Record<Mode, "raw" | "rawspin">> = { block: "raw", spin: "rawspin" };

async function main(): Promise<void> {
  const { quick, json } = benchArgs();
  const runs = flag("--runs", quick ? 3 : 5);
  const messages = flag("--messages", quick ? 20_000 : 100_000);
  const trips = flag("--trips", quick ? 2_000 : 5_000);
  const warm = flag("--warm", quick ? WARM / 3 : WARM);
  /** The warm-up of a row: blocking round trips are fewer (see WARM). */
  const warmFor = (mode: Mode) =>
    mode === "block" || mode === "blocktick" ? Math.ceil(warm / 8) : warm;
  const msgC = await buildBaseline("sysv_msg");
  const semC = await buildBaseline("sysv_sem");
  cpus = Deno.args.includes("--no-pin") ? undefined : (await Placement.read()).cpus;
  console.error(
    cpus
      ? `sysv: pairs pinned to CPUs ${cpus[0]} (measuring side) and ${cpus[1]} (other side)`
      : "sysv: fewer than two CPUs: pairs unpinned",
  );
  type Measure = (exe: string | null, mode?: Mode | Raw) => Promise<number>;
  const rows: Array<[string, "msgs/s" | "µs", Measure]> = [];
  for (const mode of ["block", "spinblock", "spin"] as const) {
    rows.push([
      `one-way 64 B, ${mode}`,
      "msgs/s",
      async (exe, m = mode) =>
        messages / await withQueue((id) =>
          pair(exe, ["receive", id, messages, warm, SIZE, m], [
            "send",
            id,
            messages,
            warm,
            SIZE,
            m,
          ])
        ) *
        1e9,
    ]);
    rows.push([
      `ping-pong 64 B, ${mode}`,
      "µs",
      async (exe, m = mode) =>
        await withQueue((id) => {
          const w = warmFor(mode);
          return pair(exe, ["ping", id, trips, w, SIZE, m], ["pong", id, trips, w, SIZE, m]);
        }) / trips /
        1e3,
    ]);
  }
  rows.push([
    "semop round trip, block",
    "µs",
    async (exe) =>
      await withSet((id) =>
        pair(exe === null ? null : semC, ["sem-ping", id, trips, warmFor("block"), "block"], [
          "sem-pong",
          id,
          trips,
          warmFor("block"),
          "block",
        ])
      ) / trips / 1e3,
  ]);
  // Slices past the scheduler tick (4 ms here): a timer due before the tick
  // costs the sleep several µs in a VM (bench/README.md, message queues).
  rows.push([
    "ping-pong 64 B, blocktick",
    "µs",
    async (_exe, m = "blocktick") =>
      await withQueue((id) => {
        const w = warmFor("blocktick");
        return pair(null, ["ping", id, trips, w, SIZE, m], ["pong", id, trips, w, SIZE, m]);
      }) / trips / 1e3,
  ]);
  rows.push([
    "semop round trip, blocktick",
    "µs",
    async () =>
      await withSet((id) =>
        pair(null, ["sem-ping", id, trips, warmFor("blocktick"), "blocktick"], [
          "sem-pong",
          id,
          trips,
          warmFor("blocktick"),
          "blocktick",
        ])
      ) / trips / 1e3,
  ]);
  const only = Deno.args.indexOf("--only");
  if (only >= 0) {
    const words = Deno.args[only + 1]!.split(",");
    const keep = rows.filter(([name]) => words.some((w) => name.includes(w)));
    rows.splice(0, rows.length, ...keep);
  }
  const samples = new Map<string, number[]>();
  for (let run = 0; run < runs; run++) {
    for (const [name, , measure] of rows) {
      // the floor: Deno processes making the raw calls of C's strategy (blocking or spinning msg rows)
      const raw = name.startsWith("semop") ? undefined : RAW[name.split(", ")[1] as Mode];
      const floor = raw === undefined ? [] : ["floor", "floor-await"];
      // the "blocktick" rows share the C samples of their "block" rows
      const sides = name.endsWith(", blocktick") ? ["Deno"] : ["C", "Deno", ...floor];
      for (const side of sides) {
        const key = `${name}|${side}`;
        const value = await measure(
          side === "C" ? msgC : null,
          side === "floor" ? raw : side === "floor-await" ? `${raw!}-await` : undefined,
        );
        samples.set(key, [...(samples.get(key) ?? []), value]);
      }
    }
  }
  const figures: Figure[] = [];
  for (const [name, unit] of rows) {
    const [what = "", mode] = name.split(", ") as [string, Mode];
    const lib = what.startsWith("semop") ? "SysvSemaphoreSet" : "SysvMessageQueue";
    const anchor = samples.get(`${what}, ${mode === "blocktick" ? "block" : mode}|C`)!;
    const c = figure(`${what}, ${C_WAY[mode]}`, unit, anchor, { baseline: true, size: SIZE });
    const d = figure(`${what}, ${lib} ${LIB_WAY[mode]}`, unit, samples.get(`${name}|Deno`)!, {
      size: SIZE,
    });
    // the targets, as for POSIX mq (#16): one-way ≥ 0.7× C; a blocking
    // round trip ≤ 1.5× C blocking; a spinning one (spin 50, spinning) ≤ 2× C
    const target = unit === "msgs/s"
      ? "≥ 0.7×"
      : mode === "spin" || mode === "spinblock"
      ? "≤ 2×"
      : "≤ 1.5×";
    if (mode === "blocktick") figures.push(detail(compare(d, c, target)));
    else figures.push(c, compare(d, c, target));
    const floor = samples.get(`${name}|floor`);
    if (floor !== undefined) {
      const how = mode === "spin" ? "spinning" : "blocking";
      const f = figure(`${what}, Deno raw FFI ${how} calls (floor)`, unit, floor, { size: SIZE });
      const awaited = samples.get(`${name}|floor-await`)!;
      const a = figure(
        `${what}, Deno raw FFI ${how} calls + an await each (floor of an awaited API)`,
        unit,
        awaited,
        { size: SIZE },
      );
      figures.push(compare(f, c), compare(a, c));
    }
  }
  await emit({ mechanism: "sysv", figures }, json);
}

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

async function withQueue(fn: (id: number) => Promise<number>): Promise<number> {
  const q = SysvMessageQueue.open(IPC_PRIVATE);
  try {
    return await fn(q.id);
  } finally {
    q.remove();
    q.close();
  }
}

async function withSet(fn: (id: number) => Promise<number>): Promise<number> {
  const set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 2 });
  try {
    return await fn(set.id);
  } finally {
    set.remove();
    set.close();
  }
}

/** The two CPUs the pairs run on (undefined: unpinned). */
let cpus: [number, number] | undefined;

/**
 * Run a measuring and a helper process together; return the ns the measuring
 * one printed. Each gets its CPU as a last argument (C and Deno alike).
 */
function pair(
  exe: string | null,
  measure: Array<string | number>,
  helper: Array<string | number>,
): Promise<number> {
  // the C programs take the role without the "sem-" prefix
  const args = (a: Array<string | number>, cpu: number | undefined) =>
    [...a, ...(cpu === undefined ? [] : [cpu])]
      .map((x, i) => i === 0 && exe !== null ? String(x).replace(/^sem-/, "") : String(x));
  return runPair(PEER, exe, args(measure, cpus?.[0]), args(helper, cpus?.[1]));
}

if (import.meta.main) await main();
