// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Unix-socket messaging benchmarks. The servers run in a child process
 * (`_lib/uds_peer.ts`); every library figure has a baseline measured in the
 * same run:
 *
 * - round trip, 64 B, one at a time (mean, p50, p99 µs): `client.request`
 *   against the C anchor, a blocking read/write ping-pong (the default
 *   transport does not spin: Deno's runtime waits in epoll), and against a
 *   raw `Deno.connect` ping-pong of 64 B (target ≤ 1.5×), with the CPU time
 *   of both processes per round trip. A C ping-pong that spins 50 µs on
 *   MSG_DONTWAIT reads before blocking shows what spinning buys (the
 *   strategy of a native transport). Every pair runs pinned, on two CPUs
 *   (each message wakes the other CPU) and again on one (each wake-up is a
 *   context switch, so the work per round trip decides); 500 round trips
 *   before the timed ones let the JIT settle;
 * - pipelined 64 B requests, 64 in flight (msgs/s): vs raw Deno writes of
 *   64 B, one write per message, echoed back (target ≥ 0.5×), and vs npm
 *   `node-ipc@9.2.1` under Node doing the same exchange (target ≥ 3×);
 * - 1 MiB payloads (MB/s), `client.notify` of one reused 1 MiB buffer to a
 *   server started with `borrowNotifications: true` (each payload is read
 *   into one reused buffer and lent to `onNotification`: the mode meant for
 *   bulk streams) vs raw 1 MiB writes read into one reused buffer (target
 *   ≥ 0.8×); and the default mode (every payload in a fresh buffer the
 *   handler may keep) vs a raw reader that also gives each message a fresh
 *   buffer;
 * - memory: 1 GiB streamed to a slow reader; growth of the writer's RSS
 *   (target < 64 MiB, reported in the notes).
 * - C writing 64 B messages one way, one write each, for scale (no ratio:
 *   the library's 64 in flight batch many frames per write).
 *
 * Run: `deno run -A bench/uds_bench.ts [--quick] [--only rtt,pipe,bw] [--json out.json]`
 * (`--only`: the round trips, the 64 in flight rows, the 1 MiB rows and the
 * memory note; default all).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { connect } from "../uds/mod.ts";
import {
  benchArgs,
  type BenchReport,
  compare,
  cpuOf,
  emit,
  type Figure,
  figure,
  Latencies,
  latencyFigure,
  type RunStats,
} from "./_lib/figures.ts";
import { buildBaseline, lastJson, runBaseline } from "./_lib/native.ts";
import { pinThread, Placement } from "./_lib/placement.ts";
import { NODE_IPC_VERSION, nodeIpc, nodeIpcSetup } from "./_lib/node_ipc.ts";
import { readFull, writeAll } from "./_lib/uds_peer.ts";

const PEER = fileURLToPath(new URL("./_lib/uds_peer.ts", import.meta.url));
const MiB = 1 << 20;

/** Round trips warmed up first (the JIT settles), then `trips` timed: their CPU of both processes. */
async function roundTrips(
  trips: number,
  server: number,
  once: () => Promise<unknown>,
): Promise<RunStats> {
  for (let i = 0; i < 500; i++) await once();
  const lat = new Latencies(trips);
  const other = cpuOf(server);
  lat.startCpu();
  for (let i = 0; i < trips; i++) {
    const t = performance.now();
    await once();
    lat.add(t);
  }
  lat.stopCpu();
  return lat.stats(cpuOf(server) - other);
}

async function rawRoundTrip(dir: string, trips: number, server: number): Promise<RunStats> {
  const conn = await Deno.connect({ transport: "unix", path: `${dir}/echo.sock` });
  const msg = new Uint8Array(64);
  const back = new Uint8Array(64);
  try {
    return await roundTrips(trips, server, async () => {
      await writeAll(conn, msg);
      await readFull(conn, back);
    });
  } finally {
    conn.close();
  }
}

async function framedRoundTrip(dir: string, trips: number, server: number): Promise<RunStats> {
  await using client = await connect({ path: `${dir}/framed.sock` });
  const msg = new Uint8Array(64);
  return await roundTrips(trips, server, () => client.request("echo", msg));
}

async function rawPipelined(dir: string, count: number): Promise<number> {
  const conn = await Deno.connect({ transport: "unix", path: `${dir}/echo.sock` });
  const msg = new Uint8Array(64);
  const t = performance.now();
  const reading = readFull(conn, new Uint8Array(64 * count));
  for (let i = 0; i < count; i++) await conn.write(msg); // one write per message
  await reading;
  const secs = (performance.now() - t) / 1000;
  conn.close();
  return count / secs;
}

async function framedPipelined(dir: string, count: number): Promise<number> {
  return await pipelinedRequests(`${dir}/framed.sock`, count);
}

/** Requests of 64 B, 64 in flight, to the server at `path`: requests per second. */
export async function pipelinedRequests(path: string, count: number): Promise<number> {
  await using client = await connect({ path });
  const msg = new Uint8Array(64);
  let next = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next++ < count) await client.request("echo", msg);
  }));
  return count / ((performance.now() - t) / 1000);
}

async function rawBandwidth(dir: string, mib: number, sink = "sink"): Promise<number> {
  const conn = await Deno.connect({ transport: "unix", path: `${dir}/${sink}.sock` });
  const chunk = new Uint8Array(MiB);
  const t = performance.now();
  for (let i = 0; i < mib; i++) await writeAll(conn, chunk);
  await conn.closeWrite();
  await readFull(conn, new Uint8Array(1));
  const secs = (performance.now() - t) / 1000;
  conn.close();
  return mib * MiB / secs / 1e6;
}

async function framedBandwidth(dir: string, mib: number, sock = "framed"): Promise<number> {
  await using client = await connect({ path: `${dir}/${sock}.sock` });
  const chunk = new Uint8Array(MiB);
  const t = performance.now();
  for (let i = 0; i < mib; i++) await client.notify("blob", chunk);
  const got = Number(new TextDecoder().decode(await client.request("received")));
  const secs = (performance.now() - t) / 1000;
  if (got !== mib * MiB) throw new Error(`server received ${got} bytes, not ${mib * MiB}`);
  return mib * MiB / secs / 1e6;
}

/**
 * Run the C baseline `exe` on CPU `near`, its forked peer on CPU `far`
 * (`bench_pin`); where the scheduler puts them when `near` is undefined.
 */
async function baselineOn<T>(
  near: number | undefined,
  far: number | undefined,
  exe: string,
  args: string[],
): Promise<T> {
  if (near === undefined) return await runBaseline<T>(exe, args);
  const out = await new Deno.Command("taskset", {
    args: ["-c", String(near), exe, ...args],
    env: { BENCH_PEER_CPU: String(far) },
    stdin: "null",
  }).output();
  if (!out.success) throw new Error(`${exe} failed: ${new TextDecoder().decode(out.stderr)}`);
  return lastJson(new TextDecoder().decode(out.stdout));
}

async function slowReaderRss(dir: string, mib: number): Promise<number> {
  // The writer runs in its own process so its RSS is not this process's.
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", PEER, "--rss-writer", dir, String(mib)],
    stdin: "null",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout)).growthMiB;
}

async function main(): Promise<void> {
  const { quick, json } = benchArgs();
  // `--only rtt,pipe,bw` measures some groups of rows (default: all).
  const at = Deno.args.indexOf("--only");
  const only = new Set(at >= 0 ? Deno.args[at + 1]!.split(",") : ["rtt", "pipe", "bw"]);
  // The round trips and the 1 MiB rows run pinned (bench/README.md,
  // "Placement"); the 64-in-flight rows where the scheduler puts them.
  const cpus = (await Placement.read()).cpus;
  const allowed = /^Cpus_allowed_list:\s*(.+)$/m.exec(await Deno.readTextFile("/proc/self/status"))
    ?.[1]?.trim() ?? "";
  const runs = quick ? 3 : 5;
  const trips = quick ? 2000 : 5000;
  const count = quick ? 50_000 : 100_000;
  const mib = quick ? 128 : 256;
  const dir = await Deno.makeTempDir({ prefix: "udsb" });
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", PEER, "--child", dir],
    stdout: "piped",
    stdin: "null",
  }).spawn();
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const samples: Record<string, number[]> = {};
  const add = (name: string, value: number) => (samples[name] ??= []).push(value);
  const rtts: Record<string, RunStats[]> = {};
  const addRtt = (name: string, value: RunStats) => (rtts[name] ??= []).push(value);
  const notes: string[] = [];
  try {
    await reader.read(); // "ready"
    const nodeDir = await nodeIpcSetup();
    let nodeError: string | undefined;
    const cExe = await buildBaseline("baseline_uds");
    for (let run = 0; run < runs; run++) {
      if (only.has("rtt")) {
        const [near, far] = cpus ?? [undefined, undefined];
        // Two CPUs: this main thread on one, the servers' (or the C peer)
        // on the other, for every row and its anchor alike.
        if (far !== undefined) await pinThread(server.pid, String(far));
        if (near !== undefined) await pinThread(Deno.pid, String(near));
        addRtt("raw rtt", await rawRoundTrip(dir, trips, server.pid));
        addRtt("framed rtt", await framedRoundTrip(dir, trips, server.pid));
        addRtt("C rtt", await baselineOn<RunStats>(near, far, cExe, [String(trips), "1"]));
        addRtt(
          "C spin rtt",
          await baselineOn<RunStats>(near, far, cExe, [String(trips), "1", "50"]),
        );
        if (far !== undefined) {
          // One CPU (this main thread joins the servers'): each wake-up is a
          // context switch instead of a wake-up of another CPU, so the work
          // per round trip decides.
          await pinThread(Deno.pid, String(far));
          addRtt("raw rtt 1", await rawRoundTrip(dir, trips, server.pid));
          addRtt("framed rtt 1", await framedRoundTrip(dir, trips, server.pid));
          addRtt("C rtt 1", await baselineOn<RunStats>(far, far, cExe, [String(trips), "1"]));
          await pinThread(Deno.pid, allowed);
          await pinThread(server.pid, allowed);
        }
      }
      if (only.has("pipe")) {
        add("raw pipelined", await rawPipelined(dir, count));
        add("framed pipelined", await framedPipelined(dir, count));
        if (nodeDir && !nodeError) {
          try {
            add("node-ipc pipelined", await nodeIpc(nodeDir, dir, count / 2));
          } catch (err) {
            nodeError = (err as Error).message;
          }
        }
        const c = await runBaseline<{ msgs_per_s: number }>(cExe, ["1", String(count * 2)]);
        add("C one-way", c.msgs_per_s);
      }
      if (!only.has("bw")) continue;
      // Placed like the round trips (the client's main thread on one CPU, the
      // server's on the other), the library and its raw anchor alike: left
      // to the scheduler the borrowed row ranged 0.49–0.81× raw over five
      // runs, placed 0.80–0.96× (quick runs, bench/README.md).
      if (cpus) {
        await pinThread(server.pid, String(cpus[1]));
        await pinThread(Deno.pid, String(cpus[0]));
      }
      // One untimed transfer first: in full runs the first 1 MiB row of a
      // round (after the 64-in-flight rows and the pinning) ran at a third
      // of the speed of the next, whichever it was (bench/README.md).
      await rawBandwidth(dir, mib / 4);
      // Each library mode next to its baseline, in alternating order.
      const pairs: Array<[string, () => Promise<number>]> = run % 2 === 0
        ? [
          ["raw 1 MiB", () => rawBandwidth(dir, mib)],
          ["borrowed 1 MiB", () => framedBandwidth(dir, mib, "borrow")],
          ["raw fresh 1 MiB", () => rawBandwidth(dir, mib, "fresh")],
          ["framed 1 MiB", () => framedBandwidth(dir, mib)],
        ]
        : [
          ["borrowed 1 MiB", () => framedBandwidth(dir, mib, "borrow")],
          ["raw 1 MiB", () => rawBandwidth(dir, mib)],
          ["framed 1 MiB", () => framedBandwidth(dir, mib)],
          ["raw fresh 1 MiB", () => rawBandwidth(dir, mib, "fresh")],
        ];
      for (const [key, measure] of pairs) add(key, await measure());
      if (cpus) {
        await pinThread(Deno.pid, allowed);
        await pinThread(server.pid, allowed);
      }
    }
    if (only.has("pipe") && !nodeDir) {
      notes.push("node-ipc could not be installed: no node-ipc figure");
    }
    if (nodeError) notes.push(`node-ipc failed to run: ${nodeError}`);
    if (only.has("bw")) {
      const rss = await slowReaderRss(dir, quick ? 512 : 1024);
      notes.push(
        `Streaming ${quick ? "512 MiB" : "1 GiB"} to a slow reader grew the writer's RSS by ${
          rss.toFixed(1)
        } MiB (target < 64 MiB: ${rss < 64 ? "met" : "MISSED"}).`,
      );
    }
    const NAMES: Record<string, string> = {
      "raw rtt": "raw Deno ping-pong 64 B (peer)",
      "framed rtt": "request/response 64 B",
      "raw pipelined": "raw Deno 64 B writes, echoed",
      "framed pipelined": "requests 64 B, 64 in flight",
      "node-ipc pipelined": `node-ipc ${NODE_IPC_VERSION} (Node), 64 in flight`,
      "raw 1 MiB": "raw Deno 1 MiB writes",
      "raw fresh 1 MiB": "raw Deno 1 MiB, fresh buffer per message",
      "framed 1 MiB": "notify 1 MiB, default (fresh buffer each)",
      "borrowed 1 MiB": "notify 1 MiB, borrowNotifications",
      "C rtt": "C blocking read/write ping-pong 64 B",
      "C spin rtt": "C ping-pong 64 B, MSG_DONTWAIT spin 50 µs then read",
      "C rtt 1": "C blocking read/write ping-pong 64 B, one CPU",
      "raw rtt 1": "raw Deno ping-pong 64 B (peer), one CPU",
      "framed rtt 1": "request/response 64 B, one CPU",
      "C one-way": "C 64 B writes, one-way",
    };
    const f = (key: string, unit: Figure["unit"], extra: Partial<Figure> = {}) =>
      figure(NAMES[key]!, unit, samples[key]!, { size: unit === "MB/s" ? MiB : 64, ...extra });
    const l = (key: string, extra: Partial<Figure> = {}) =>
      latencyFigure(NAMES[key]!, rtts[key]!, { size: 64, ...extra });
    const figures: Figure[] = [];
    if (only.has("rtt")) {
      const cRtt = l("C rtt", { baseline: true });
      const rawRtt = compare(l("raw rtt", { baseline: true }), cRtt);
      figures.push(
        cRtt,
        { ...compare(l("framed rtt"), cRtt), readme: true },
        rawRtt,
        compare(l("framed rtt"), rawRtt, "≤ 1.5×"),
        compare(l("C spin rtt", { baseline: true }), cRtt),
      );
      if (rtts["C rtt 1"]) {
        const cOne = l("C rtt 1", { baseline: true });
        const rawOne = compare(l("raw rtt 1", { baseline: true }), cOne);
        figures.push(
          cOne,
          { ...compare(l("framed rtt 1"), cOne), readme: true },
          rawOne,
          compare(l("framed rtt 1"), rawOne, "≤ 1.5×"),
        );
      }
    }
    if (only.has("pipe")) {
      const rawPipe = f("raw pipelined", "msgs/s", { baseline: true });
      figures.push(
        f("C one-way", "msgs/s", { baseline: true }),
        rawPipe,
        compare(f("framed pipelined", "msgs/s"), rawPipe, "≥ 0.5×"),
      );
      if (samples["node-ipc pipelined"]) {
        const node = f("node-ipc pipelined", "msgs/s", { baseline: true });
        figures.push(node, compare(f("framed pipelined", "msgs/s"), node, "≥ 3×"));
      }
    }
    if (only.has("bw")) {
      const rawBw = f("raw 1 MiB", "MB/s", { baseline: true });
      const rawFresh = f("raw fresh 1 MiB", "MB/s", { baseline: true });
      notes.push(
        `1 MiB notify, default mode (a fresh buffer per payload, kept by the handler): ${
          (f("framed 1 MiB", "MB/s").median / rawBw.median).toFixed(2)
        }× raw Deno 1 MiB writes into one reused buffer.`,
      );
      figures.push(
        rawBw,
        compare(f("borrowed 1 MiB", "MB/s"), rawBw, "≥ 0.8×"),
        rawFresh,
        compare(f("framed 1 MiB", "MB/s"), rawFresh), // information: the default, safe mode
      );
    }
    await emit({ mechanism: "uds", figures, notes } as BenchReport, json);
    for (const note of notes) console.log(`uds      note: ${note}`);
  } finally {
    server.kill("SIGKILL");
    await server.status;
    await reader.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
