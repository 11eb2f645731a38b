// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Round-trip latency of 64-byte request/response, like against like, all in
 * one run (the machine is shared: compare the ratios, not the µs):
 *
 * - framed `client.request` on the native transport with `spin` (both ends)
 *   vs a C ping-pong spinning on non-blocking reads for the same time
 *   (bench/c/spin_pingpong.c; target ≤ 1.5×);
 * - framed `client.request` on the native transport without spin vs a raw
 *   `Deno.connect` 64 B ping-pong (target ≤ 1×) and vs C blocking read/write;
 * - the native transport without spin vs the default one;
 * - a raw `UnixSocket` 64 B ping-pong whose receives spin, vs the C spin
 *   ping-pong: the socket and wait path without the framed protocol;
 * - the same without spin, vs raw `Deno.connect`, and the floor of every
 *   wait that does not spin: one hop through the FFI worker pool (a
 *   nonblocking `epoll_wait` that returns at once, awaited). Each side of a
 *   no-spin round trip pays that hop on top of what `Deno.connect` pays (its
 *   reactor runs on the main thread: the kernel wakes it directly, while
 *   the library's shared `epoll_wait` wakes a pool thread, which then wakes
 *   the main thread);
 * - the floor: the C spin loop written in JavaScript on the library's
 *   synchronous FFI calls, in two Deno processes (_lib/ffi_floor.ts): no
 *   promise, no framing, no event loop. What JavaScript and FFI alone cost
 *   on top of C; no library built on them can go below it.
 *
 * Placement: the measuring side's main thread on one CPU, the servers' and
 * the C child's on the other (bench/_lib/placement.ts), as in every bench.
 *
 * Each row: p50, p99 (µs), and the CPU time of BOTH processes per round trip
 * (µs: /proc/<pid>/task/<tid>/schedstat of every thread, summed; CLOCK_PROCESS_CPUTIME_ID
 * for C). Servers run in a child process (_lib/latency_peer.ts).
 *
 * With `--halt-poll` (root), the native row without spin, `Deno.connect` and
 * C blocking run once more with the guest's idle polling at the kernel's
 * default (this VM boots with it off; bench/_lib/halt_poll.ts), then the
 * boot value is put back: the no-spin rows on a machine whose idle CPUs
 * wake fast.
 *
 * Run: `deno run -A bench/latency_bench.ts [--quick] [--only spin|nospin] [--spin 50]
 * [--warmup 5000] [--spin-warmup 30000] [--halt-poll] [--json out.json]` (`--only`: the
 * spinning rows, or the others; the warm-ups: untimed round trips before each row's timed
 * ones, see below).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { connect, UnixSocket } from "../uds/mod.ts";
import { buildBaseline, runBaseline } from "./_lib/native.ts";
import { DEFAULT_HALT_POLL_NS, withGuestHaltPolling } from "./_lib/halt_poll.ts";
import { Placement } from "./_lib/placement.ts";
import { floorRoundTrips } from "./_lib/ffi_floor.ts";
import { type BenchReport, cpuOf, type Figure } from "./_lib/figures.ts";
import { libc } from "../_ffi/libc.ts";

const PEER = fileURLToPath(new URL("./_lib/latency_peer.ts", import.meta.url));
const FLOOR = fileURLToPath(new URL("./_lib/ffi_floor.ts", import.meta.url));

interface Row {
  p50: number;
  p99: number;
  cpu: number;
}

/**
 * Round trips made before measuring, in every row (C's too): the JIT
 * compiles the framed paths in steps over the first thousands of trips.
 * Set per group before each row: {@linkcode plainWarmup} for the rows
 * without spin, {@linkcode spinWarmup} for the spinning ones, whose
 * round trips are short enough that V8 finishes optimizing the framed path
 * only after ~25,000 of them (`--trace-opt`; see bench/README.md).
 */
let warmup = 5000;
let plainWarmup = 5000;
let spinWarmup = 30_000;

/** The rows measured again with the guest's idle polling on (`--halt-poll`), and their suffix. */
const POLLED = ["native, no spin", "Deno.connect raw", "C, blocking"];
const POLLING = ", guest idle polling 200 µs";

async function measure(trips: number, server: number, once: () => Promise<unknown>): Promise<Row> {
  for (let i = 0; i < warmup; i++) await once();
  const times = new Float64Array(trips);
  const cpu0 = cpuOf(Deno.pid) + cpuOf(server);
  for (let i = 0; i < trips; i++) {
    const t = performance.now();
    await once();
    times[i] = (performance.now() - t) * 1000;
  }
  const cpu = cpuOf(Deno.pid) + cpuOf(server) - cpu0;
  times.sort();
  return { p50: times[trips >> 1]!, p99: times[Math.floor(trips * 0.99)]!, cpu: cpu / trips };
}

async function framed(
  path: string,
  trips: number,
  server: number,
  spin = 0,
  syncWait?: number,
): Promise<Row> {
  const native = !path.endsWith("default.sock");
  await using client = await connect({
    path,
    transport: native ? "native" : "default",
    ...(spin ? { spin } : {}),
    ...(syncWait !== undefined ? { syncWait } : {}),
  });
  const msg = new Uint8Array(64);
  return await measure(trips, server, () => client.request("echo", msg));
}

async function denoRaw(path: string, trips: number, server: number): Promise<Row> {
  using conn = await Deno.connect({ transport: "unix", path });
  const msg = new Uint8Array(64);
  const buf = new Uint8Array(64);
  return await measure(trips, server, async () => {
    for (let done = 0; done < 64;) done += await conn.write(msg.subarray(done));
    for (let got = 0; got < 64;) got += (await conn.read(buf.subarray(got)))!;
  });
}

async function unixSocketRaw(
  path: string,
  trips: number,
  server: number,
  spin: number,
): Promise<Row> {
  using sock = await UnixSocket.connect(path);
  const msg = new Uint8Array(64);
  return await measure(trips, server, async () => {
    await sock.send(msg);
    for (let got = 0; got < 64;) got += (await sock.receive({ spin }))!.data.length;
  });
}

/** One awaited hop through the FFI worker pool: an epoll_wait that returns at once. */
async function poolHop(trips: number, server: number): Promise<Row> {
  const lib = libc();
  const epfd = lib.epoll_create1(0o2000000);
  const events = new Uint8Array(new ArrayBuffer(16));
  try {
    return await measure(trips, server, () => lib.epoll_wait_blocking(epfd, events, 1, 0));
  } finally {
    lib.close(epfd);
  }
}

async function floor(path: string, trips: number, server: number, spin: number): Promise<Row> {
  let cpu0 = 0;
  const times = await floorRoundTrips(path, trips, spin, warmup, () => {
    cpu0 = cpuOf(Deno.pid) + cpuOf(server);
  });
  const cpu = cpuOf(Deno.pid) + cpuOf(server) - cpu0;
  times.sort();
  return { p50: times[trips >> 1]!, p99: times[Math.floor(trips * 0.99)]!, cpu: cpu / trips };
}

/** A peer process running `args` under this Deno, with its output's reader. */
function peer(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    stdout: "piped",
    stdin: "null",
  }).spawn();
  return { child, reader: child.stdout.pipeThrough(new TextDecoderStream()).getReader() };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function main(): Promise<void> {
  const quick = Deno.args.includes("--quick");
  const at = Deno.args.indexOf("--spin");
  const spin = at >= 0 ? Number(Deno.args[at + 1]) : 50;
  const jsonAt = Deno.args.indexOf("--json");
  const warmupAt = Deno.args.indexOf("--warmup");
  if (warmupAt >= 0) plainWarmup = Number(Deno.args[warmupAt + 1]);
  const spinWarmupAt = Deno.args.indexOf("--spin-warmup");
  if (spinWarmupAt >= 0) spinWarmup = Number(Deno.args[spinWarmupAt + 1]);
  const onlyAt = Deno.args.indexOf("--only");
  const only = onlyAt >= 0 ? Deno.args[onlyAt + 1] : undefined;
  const haltPoll = Deno.args.includes("--halt-poll");
  if (only !== undefined && only !== "spin" && only !== "nospin") {
    throw new Error(`--only ${only}: expected spin or nospin`);
  }
  if (only !== undefined && jsonAt >= 0) throw new Error("--json needs every row: drop --only");
  const runs = quick ? 3 : 5;
  const trips = quick ? 2000 : 5000;
  const dir = await Deno.makeTempDir({ prefix: "latb" });
  // Pairs placed on two CPUs as in every bench: this main thread on one, the
  // servers' (and the C child's) on the other.
  await (await Placement.read()).pin();
  const peers = [
    peer([PEER, dir, String(spin)]),
    peer([FLOOR, "server", `${dir}/floor.sock`, String(spin)]),
    peer([FLOOR, "server", `${dir}/floor0.sock`, "0"]),
  ];
  const [server, floorServer, floorServer0] = peers.map((p) => p.child);
  const rows: Record<string, Row[]> = {};
  const add = (name: string, row: Row) => (rows[name] ??= []).push(row);
  try {
    for (const p of peers) await p.reader.read(); // "ready"
    const c = await buildBaseline("spin_pingpong");
    // `--only spin` measures the spinning rows, `--only nospin` the others.
    const cases: Array<[string, boolean, () => Promise<Row>]> = [
      [`native, spin ${spin}`, true, () => framed(`${dir}/spin.sock`, trips, server!.pid, spin)],
      [
        `C, spin ${spin}`,
        true,
        () => runBaseline<Row>(c, [String(trips), String(spin), String(warmup)]),
      ],
      [
        `raw UnixSocket, spin ${spin}`,
        true,
        () => unixSocketRaw(`${dir}/unixsocket.sock`, trips, server!.pid, spin),
      ],
      [
        `JS floor: sync FFI ping-pong, spin ${spin}`,
        true,
        () => floor(`${dir}/floor.sock`, trips, floorServer!.pid, spin),
      ],
      ["native, no spin", false, () => framed(`${dir}/native.sock`, trips, server!.pid)],
      [
        "native, no spin, syncWait 0",
        false,
        () => framed(`${dir}/native0.sock`, trips, server!.pid, 0, 0),
      ],
      [
        "raw UnixSocket, no spin",
        false,
        () => unixSocketRaw(`${dir}/unixsocket0.sock`, trips, server!.pid, 0),
      ],
      [
        "JS floor: sync FFI ping-pong, blocking",
        false,
        () => floor(`${dir}/floor0.sock`, trips, floorServer0!.pid, 0),
      ],
      ["one worker-pool hop", false, () => poolHop(trips, server!.pid)],
      ["Deno.connect raw", false, () => denoRaw(`${dir}/deno.sock`, trips, server!.pid)],
      ["C, blocking", false, () => runBaseline<Row>(c, [String(trips), "0", String(warmup)])],
      ["default transport", false, () => framed(`${dir}/default.sock`, trips, server!.pid)],
    ];
    const selected = cases.filter(([, spinning]) =>
      only === undefined || only === (spinning ? "spin" : "nospin")
    );
    for (let run = 0; run < runs; run++) {
      for (const [name, spinning, once] of selected) {
        warmup = spinning ? spinWarmup : plainWarmup; // the same for each row of a group
        add(name, await once());
      }
    }
    // `--halt-poll`: the rows without spin once more, with the guest's idle
    // polling at the kernel's default (bench/_lib/halt_poll.ts).
    if (haltPoll && only !== "spin") {
      warmup = plainWarmup;
      await withGuestHaltPolling(DEFAULT_HALT_POLL_NS, async () => {
        for (let run = 0; run < runs; run++) {
          for (const [name, , once] of cases.filter(([n]) => POLLED.includes(n))) {
            add(`${name}${POLLING}`, await once());
          }
        }
      });
    }
  } finally {
    for (const { child, reader } of peers) {
      child.kill("SIGKILL");
      await child.status;
      await reader.cancel().catch(() => {});
    }
    await Deno.remove(dir, { recursive: true });
  }
  const med = (name: string, key: keyof Row) => median(rows[name]!.map((r) => r[key]));
  /** Median over runs of the per-run ratio a/b. */
  const ratio = (a: string, b: string, key: keyof Row = "p50") =>
    median(rows[a]!.map((r, i) => r[key] / rows[b]![i]![key]!));
  const pairs: Array<[string, string, string]> = [
    [`native, spin ${spin}`, `C, spin ${spin}`, "≤ 1.5"],
    [`raw UnixSocket, spin ${spin}`, `C, spin ${spin}`, "(no framing: the wait path alone)"],
    [`JS floor: sync FFI ping-pong, spin ${spin}`, `C, spin ${spin}`, "(the floor of JS + FFI)"],
    [
      `native, spin ${spin}`,
      `JS floor: sync FFI ping-pong, spin ${spin}`,
      "(framing over the floor)",
    ],
    [
      `native, spin ${spin}`,
      `raw UnixSocket, spin ${spin}`,
      "(the framed client and server over the socket they use)",
    ],
    ["native, no spin", "Deno.connect raw", "≤ 1"],
    ["native, no spin", "C, blocking", "as close as the wake-up path allows"],
    ["native, no spin", "default transport", "< 1"],
    [
      "JS floor: sync FFI ping-pong, blocking",
      "Deno.connect raw",
      "(the floor of a wait asleep on the JS thread)",
    ],
    [
      "native, no spin, syncWait 0",
      "Deno.connect raw",
      "(every wait through the poll loop's thread: two wake-ups)",
    ],
    ["raw UnixSocket, no spin", "Deno.connect raw", "(no framing: the wait path alone)"],
    ["one worker-pool hop", "Deno.connect raw", "(the floor: each side pays it once more)"],
    [`native, spin ${spin}`, "default transport", "< 1"],
    [`native, no spin${POLLING}`, `Deno.connect raw${POLLING}`, "(where idle CPUs wake fast)"],
    [`native, no spin${POLLING}`, `C, blocking${POLLING}`, "(where idle CPUs wake fast)"],
  ];
  const lines = [
    `64 B round trips, ${runs} runs × ${trips} (medians of runs; ratios are medians of per-run ratios)`,
    "",
    "| row | p50 µs | p99 µs | CPU µs/rt |",
    "| --- | ---: | ---: | ---: |",
    ...Object.keys(rows).map((name) =>
      `| ${name} | ${med(name, "p50").toFixed(1)} | ${med(name, "p99").toFixed(1)} | ${
        med(name, "cpu").toFixed(1)
      } |`
    ),
    "",
    "| library | baseline | p50 ratio | p99 ratio | CPU ratio | target (p50) |",
    "| --- | --- | ---: | ---: | ---: | --- |",
    ...pairs.filter(([a, b]) => rows[a] && rows[b]).map(([a, b, target]) =>
      `| ${a} | ${b} | ${ratio(a, b).toFixed(2)} | ${ratio(a, b, "p99").toFixed(2)} | ${
        ratio(a, b, "cpu").toFixed(2)
      } | ${target} |`
    ),
  ];
  console.log(lines.join("\n"));
  if (jsonAt >= 0) {
    await Deno.writeTextFile(Deno.args[jsonAt + 1]!, JSON.stringify(report(rows, spin), null, 2));
  }
}

/** The rows as the bench runner's report: p50 figures, the two targets as same-run ratios. */
function report(rows: Record<string, Row[]>, spin: number): BenchReport {
  const figure = (name: string): Figure => {
    const p50s = rows[name]!.map((r) => r.p50);
    return {
      name: `64 B round trip, ${name} (p50)`,
      unit: "µs",
      median: median(p50s),
      min: Math.min(...p50s),
      max: Math.max(...p50s),
      runs: p50s.length,
      p50: median(p50s),
      p99: median(rows[name]!.map((r) => r.p99)),
      cpu: median(rows[name]!.map((r) => r.cpu)),
    };
  };
  const figures = Object.keys(rows).map(figure);
  const byName = new Map(Object.keys(rows).map((n, i) => [n, figures[i]!]));
  const targets: Array<[string, string, string | undefined]> = [
    [`native, spin ${spin}`, `C, spin ${spin}`, "≤ 1.5×"],
    [`raw UnixSocket, spin ${spin}`, `C, spin ${spin}`, undefined],
    [`JS floor: sync FFI ping-pong, spin ${spin}`, `C, spin ${spin}`, undefined],
    ["native, no spin", "Deno.connect raw", "≤ 1×"],
    ["raw UnixSocket, no spin", "Deno.connect raw", undefined],
    ["native, no spin, syncWait 0", "Deno.connect raw", undefined],
    ["JS floor: sync FFI ping-pong, blocking", "Deno.connect raw", undefined],
    ["one worker-pool hop", "Deno.connect raw", undefined],
    [`native, no spin${POLLING}`, `Deno.connect raw${POLLING}`, undefined],
  ];
  for (const [a, b, target] of targets) {
    const f = byName.get(a);
    if (!f || !rows[b]) continue; // a pass not run (--halt-poll)
    const ratio = median(rows[a]!.map((r, i) => r.p50 / rows[b]![i]!.p50));
    Object.assign(f, { against: byName.get(b)!.name, ratio });
    if (target !== undefined) {
      Object.assign(f, {
        target,
        pass: target.startsWith("≤") ? ratio <= parseFloat(target.slice(2)) : false,
      });
    }
  }
  // The no-spin target is against a peer (raw Deno); the README also shows its ratio to C.
  const { target: _t, pass: _p, ...noSpin } = byName.get("native, no spin")!;
  figures.push({
    ...noSpin,
    against: byName.get("C, blocking")!.name,
    ratio: median(rows["native, no spin"]!.map((r, i) => r.p50 / rows["C, blocking"]![i]!.p50)),
    readme: true,
  });
  const polled = byName.get(`native, no spin${POLLING}`);
  if (polled) polled.readme = true; // what would reach the no-spin target
  for (const name of [`C, spin ${spin}`, "Deno.connect raw", "C, blocking"]) {
    byName.get(name)!.baseline = true;
    const withPolling = byName.get(`${name}${POLLING}`);
    if (withPolling) withPolling.baseline = true;
  }
  return { mechanism: "uds native", figures };
}

if (import.meta.main) await main();
