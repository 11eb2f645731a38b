// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Signal round trip between two Deno processes: the parent sends SIGUSR2,
 * the child's listener answers with SIGHUP, the parent awaits it. (Not
 * SIGUSR1: unhandled, it makes a running Deno start its inspector.)
 *
 *   raw      Deno.kill + Deno.addSignalListener on both sides (the baseline)
 *   library  sendSignal + onSignal in the child, sendSignal + signals() in the parent
 *   queue    (informational) sendSignal(SIGRTMIN+1, { value }) to a child started with it
 *            blocked, which reads it from a SignalQueue and answers with sendSignal(SIGHUP)
 *   C        (informational floor) two C processes, kill + sigwaitinfo (bench/c/signals_pingpong.c)
 *
 * Batches alternate in one run; the medians of the per-batch mean round trip
 * are reported with the ratio library/raw (target ≤ 1.2×).
 *
 * Run: deno run -A bench/signals_bench.ts [--quick] [--json out.json] [--rounds N] [--batches N]
 *
 * @module
 */
import { onSignal, sendSignal, signalNumber, SignalQueue, signals } from "../signals/mod.ts";
import { benchArgs, compare, emit, figure } from "./_lib/figures.ts";
import { buildC } from "../tests/_helpers/peer.ts";

const [role, parentPid] = Deno.args;

if (role === "--peer-raw" || role === "--peer-lib" || role === "--peer-queue") {
  const ppid = Number(parentPid);
  const keepAlive = setInterval(() => {}, 1 << 30);
  if (role === "--peer-raw") {
    Deno.addSignalListener("SIGUSR2", () => Deno.kill(ppid, "SIGHUP"));
  } else if (role === "--peer-lib") {
    onSignal("SIGUSR2", () => sendSignal(ppid, "SIGHUP"));
  } else {
    const queue = SignalQueue.open("SIGRTMIN+1");
    (async () => {
      for await (const _ of queue) sendSignal(ppid, "SIGHUP");
    })();
  }
  console.log("ready");
  // Exit when the parent closes our stdin.
  for await (const _ of Deno.stdin.readable);
  clearInterval(keepAlive);
  Deno.exit(0);
}

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

const { quick, json } = benchArgs();
const ROUNDS = flag("--rounds", quick ? 300 : 2000);
const BATCHES = flag("--batches", quick ? 3 : 7);
const WARMUP = 100;

function spawnPeer(kind: "raw" | "lib" | "queue"): Deno.ChildProcess {
  const deno = [Deno.execPath(), "run", "-A", import.meta.filename!, `--peer-${kind}`];
  const argv = kind === "queue"
    ? [
      "python3",
      "-c",
      "import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, [int(sys.argv[1])]); " +
      "os.execvp(sys.argv[2], sys.argv[2:])",
      String(signalNumber("SIGRTMIN+1")),
      ...deno,
    ]
    : deno;
  return new Deno.Command(argv[0], {
    args: [...argv.slice(1), String(Deno.pid)],
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

async function rawBatch(pid: number, n: number): Promise<number> {
  let wake: () => void = () => {};
  const listener = () => wake();
  Deno.addSignalListener("SIGHUP", listener);
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const answered = new Promise<void>((resolve) => (wake = resolve));
    Deno.kill(pid, "SIGUSR2");
    await answered;
  }
  const elapsed = performance.now() - start;
  Deno.removeSignalListener("SIGHUP", listener);
  return (elapsed * 1000) / n;
}

async function libBatch(
  pid: number,
  n: number,
  signal: "SIGUSR2" | "SIGRTMIN+1",
): Promise<number> {
  using answers = signals(["SIGHUP"]);
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    if (signal === "SIGUSR2") sendSignal(pid, signal);
    else sendSignal(pid, signal, { value: i });
    await answers.next();
  }
  return ((performance.now() - start) * 1000) / n;
}

const raw = spawnPeer("raw");
const lib = spawnPeer("lib");
const queue = spawnPeer("queue");
try {
  await Promise.all([ready(raw), ready(lib), ready(queue)]);
  await rawBatch(raw.pid, WARMUP);
  await libBatch(lib.pid, WARMUP, "SIGUSR2");
  await libBatch(queue.pid, WARMUP, "SIGRTMIN+1");
  const times = { raw: [] as number[], library: [] as number[], queue: [] as number[] };
  for (let b = 0; b < BATCHES; b++) {
    times.raw.push(await rawBatch(raw.pid, ROUNDS));
    times.library.push(await libBatch(lib.pid, ROUNDS, "SIGUSR2"));
    times.queue.push(await libBatch(queue.pid, ROUNDS, "SIGRTMIN+1"));
  }
  const c = await buildC(new URL("./c/signals_pingpong.c", import.meta.url).pathname);
  const floor: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const out = await new Deno.Command(c, { args: [String(ROUNDS)] }).output();
    if (!out.success) throw new Error("signals_pingpong failed");
    floor.push(Number(new TextDecoder().decode(out.stdout)));
  }
  const rawFigure = figure("round trip Deno.kill + addSignalListener", "µs", times.raw, {
    baseline: true,
  });
  await emit({
    mechanism: "signals",
    figures: [
      rawFigure,
      compare(figure("round trip sendSignal + onSignal", "µs", times.library), rawFigure, "≤ 1.2×"),
      figure("round trip SIGRTMIN+1 value via SignalQueue", "µs", times.queue),
      figure("round trip C kill + sigwaitinfo", "µs", floor, { baseline: true }),
    ],
  }, json);
} finally {
  for (const child of [raw, lib, queue]) {
    await child.stdin.close().catch(() => {});
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
}
