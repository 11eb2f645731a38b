// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Signal round trips between two processes, each library figure against a
 * baseline of the same kind measured in the same round:
 *
 * - classic signals: the parent sends SIGUSR2, the child's listener answers
 *   with SIGHUP, the parent awaits it (not SIGUSR1: unhandled, it makes a
 *   running Deno start its inspector). `sendSignal` + `onSignal` +
 *   `signals()` against `Deno.kill` + `Deno.addSignalListener` (target
 *   ≤ 1.1×: no slower, within the noise); a C `kill` + `sigwaitinfo`
 *   ping-pong is the floor.
 * - realtime signals with a value: two Deno processes launched with
 *   SIGRTMIN+1/+2 blocked, `sendSignal(pid, "SIGRTMIN+1", { value })`
 *   answered with SIGRTMIN+2 and value + 1, each side reading them from a
 *   `SignalQueue` (default `syncWait`, and `syncWait: 0`), against C
 *   `sigqueue` + `sigwaitinfo` (bench/c/signals_pingpong.c; target ≤ 3×).
 *
 * Latencies are mean, p50 and p99 µs per round trip, with the CPU time per
 * round trip of both processes where measured.
 *
 * Placement: every pair, C and Deno alike, runs with the measuring side's
 * main thread on one CPU and the answering side's on another
 * (bench/_lib/placement.ts, as the other benches): left to the scheduler,
 * the C pair usually stayed on one CPU (a round trip of ~15 µs) while the
 * Deno pairs crossed CPUs (~60 µs a wake-up pair), so the ratio compared
 * placements (one full run: SignalQueue 5.1× C unpinned).
 *
 * Run: deno run -A bench/signals_bench.ts [--quick] [--json out.json] [--rounds N] [--batches N]
 *
 * @module
 */
import { onSignal, sendSignal, signalNumber, SignalQueue, signals } from "../signals/mod.ts";
import {
  benchArgs,
  compare,
  cpuMicros,
  emit,
  Latencies,
  latencyFigure,
  type RunStats,
} from "./_lib/figures.ts";
import { buildBaseline, lastJson, runBaseline } from "./_lib/native.ts";
import { pinPeer, Placement } from "./_lib/placement.ts";

const [role, arg1, arg2, arg3] = Deno.args;
const WARMUP = 100;

if (role === "--peer-raw" || role === "--peer-lib") {
  await pinPeer();
  const ppid = Number(arg1);
  const keepAlive = setInterval(() => {}, 1 << 30);
  if (role === "--peer-raw") {
    Deno.addSignalListener("SIGUSR2", () => Deno.kill(ppid, "SIGHUP"));
  } else {
    onSignal("SIGUSR2", () => sendSignal(ppid, "SIGHUP"));
  }
  console.log("ready");
  // Exit when the parent closes our stdin.
  for await (const _ of Deno.stdin.readable);
  clearInterval(keepAlive);
  Deno.exit(0);
} else if (role === "--queue-echo") {
  await pinPeer();
  // Answer SIGRTMIN+1 with SIGRTMIN+2 carrying value + 1, until value -1; print CPU µs.
  using queue = SignalQueue.open("SIGRTMIN+1", { syncWait: Number(arg1) });
  console.log(`ready ${Deno.pid}`);
  const cpu = cpuMicros();
  for await (const info of queue) {
    if (info.value === -1) break;
    sendSignal(info.pid, "SIGRTMIN+2", { value: info.value + 1 });
  }
  console.log(JSON.stringify({ cpu_us: cpuMicros() - cpu }));
  Deno.exit(0);
} else if (role === "--queue-ping") {
  using queue = SignalQueue.open("SIGRTMIN+2", { syncWait: Number(arg1) });
  const [pid, rounds] = [Number(arg2), Number(arg3)];
  const lat = new Latencies(rounds);
  for (let i = 0; i < WARMUP + rounds; i++) {
    if (i === WARMUP) lat.startCpu();
    const t = performance.now();
    sendSignal(pid, "SIGRTMIN+1", { value: i });
    const info = await queue.receive();
    if (info.value !== i + 1) throw new Error(`round ${i}: value ${info.value}`);
    if (i >= WARMUP) lat.add(t);
  }
  lat.stopCpu();
  sendSignal(pid, "SIGRTMIN+1", { value: -1 });
  console.log(JSON.stringify(lat.stats()));
  Deno.exit(0);
}

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

const { quick, json } = benchArgs();
const ROUNDS = flag("--rounds", quick ? 300 : 2000);
const BATCHES = flag("--batches", quick ? 3 : 7);
const BLOCK = [signalNumber("SIGRTMIN+1"), signalNumber("SIGRTMIN+2")];

/** The SignalQueue launch recipe: block the signals, then exec Deno. */
function blocked(args: string[], stdout: "piped" | "null" = "piped"): Deno.ChildProcess {
  return new Deno.Command("python3", {
    args: [
      "-c",
      "import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, " +
      "[int(s) for s in sys.argv[1].split(',')]); os.execvp(sys.argv[2], sys.argv[2:])",
      BLOCK.join(","),
      Deno.execPath(),
      "run",
      "-A",
      import.meta.filename!,
      ...args,
    ],
    stdin: "null",
    stdout,
  }).spawn();
}

/** A SignalQueue ping-pong between two blocked Deno processes. */
async function queueRoundTrips(syncWait: number, rounds: number): Promise<RunStats> {
  const echo = blocked(["--queue-echo", String(syncWait)]);
  const reader = echo.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) text += (await reader.read()).value ?? "";
  const pid = Number(/^ready (\d+)/.exec(text)![1]);
  text = text.slice(text.indexOf("\n") + 1);
  const ping = await blocked(["--queue-ping", String(syncWait), String(pid), String(rounds)])
    .output();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  if (!ping.success || !(await echo.status).success) throw new Error("queue ping-pong failed");
  const stats = lastJson<RunStats>(new TextDecoder().decode(ping.stdout));
  const echoCpu = lastJson<{ cpu_us: number }>(text).cpu_us * rounds / (rounds + WARMUP);
  return { ...stats, cpu_us_per_op: stats.cpu_us_per_op! + echoCpu / rounds };
}

function spawnPeer(kind: "raw" | "lib"): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, `--peer-${kind}`, String(Deno.pid)],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
}

async function ready(child: Deno.ChildProcess): Promise<void> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("ready\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("peer ended before ready");
    text += value;
  }
  reader.releaseLock();
}

async function rawBatch(pid: number, n: number): Promise<RunStats> {
  let wake: () => void = () => {};
  const listener = () => wake();
  Deno.addSignalListener("SIGHUP", listener);
  const lat = new Latencies(n);
  for (let i = 0; i < n; i++) {
    const answered = new Promise<void>((resolve) => (wake = resolve));
    const t = performance.now();
    Deno.kill(pid, "SIGUSR2");
    await answered;
    lat.add(t);
  }
  Deno.removeSignalListener("SIGHUP", listener);
  return lat.stats();
}

async function libBatch(pid: number, n: number): Promise<RunStats> {
  using answers = signals(["SIGHUP"]);
  const lat = new Latencies(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    sendSignal(pid, "SIGUSR2");
    await answers.next();
    lat.add(t);
  }
  return lat.stats();
}

// Pin this main thread; peers inherit its CPU and move their main thread to the other one.
await (await Placement.read()).pin();
const raw = spawnPeer("raw");
const lib = spawnPeer("lib");
try {
  await Promise.all([ready(raw), ready(lib)]);
  await rawBatch(raw.pid, WARMUP);
  await libBatch(lib.pid, WARMUP);
  const c = await buildBaseline("signals_pingpong");
  const t = {
    raw: [] as RunStats[],
    lib: [] as RunStats[],
    cKill: [] as RunStats[],
    cRt: [] as RunStats[],
    queue: [] as RunStats[],
    queue0: [] as RunStats[],
  };
  for (let b = 0; b < BATCHES; b++) {
    t.raw.push(await rawBatch(raw.pid, ROUNDS));
    t.lib.push(await libBatch(lib.pid, ROUNDS));
    t.cKill.push(await runBaseline<RunStats>(c, ["kill", String(ROUNDS)]));
    t.cRt.push(await runBaseline<RunStats>(c, ["rt", String(ROUNDS)]));
    t.queue.push(await queueRoundTrips(200, ROUNDS));
    t.queue0.push(await queueRoundTrips(0, ROUNDS));
  }
  const rawFigure = latencyFigure("round trip Deno.kill + addSignalListener", t.raw, {
    baseline: true,
  });
  const cKill = latencyFigure("round trip C kill + sigwaitinfo", t.cKill, { baseline: true });
  const cRt = latencyFigure("round trip C sigqueue + sigwaitinfo, realtime + value", t.cRt, {
    baseline: true,
  });
  await emit({
    mechanism: "signals",
    figures: [
      cKill,
      compare(rawFigure, cKill),
      compare(
        latencyFigure("round trip sendSignal + onSignal + signals()", t.lib),
        rawFigure,
        "≤ 1.1×",
      ),
      cRt,
      compare(latencyFigure("round trip SignalQueue, realtime + value", t.queue), cRt, "≤ 3×"),
      compare(latencyFigure("round trip SignalQueue, syncWait: 0", t.queue0), cRt),
    ],
  }, json);
} finally {
  for (const child of [raw, lib]) {
    await child.stdin.close().catch(() => {});
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
}
