// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The library on Node.js (the npm build, installed as tests/_helpers/npm.ts
 * does) and the messaging libraries a Node user would pick instead, each
 * against a C anchor of the same strategy measured in the same round:
 *
 * - uds: 64 B request/response one at a time (mean, p50, p99 µs) against C
 *   blocking read/write; 64 B requests with 64 in flight (msgs/s) against
 *   ZeroMQ 6 (npm `zeromq`, DEALER/ROUTER over `ipc://`, pipelined with a
 *   window of 64 as its guide does) and node-ipc 9.2.1 as peers;
 * - mq: 64 B ping-pong with `spin: 0` against C blocking, and with the
 *   default spin against C spinning 50 µs on O_NONBLOCK receives;
 * - shm: Channel one-way 64 B (one message per call) against the C spin ring.
 *
 * Placement as in every bench: each pair's measuring main thread on the
 * first CPU, its peer's (the Node server or child, the C program's child)
 * on the second; Node's own threads left free. The Node MessageQueue
 * ping-pong makes the untimed round trips its C anchor makes.
 *
 * Run: deno run -A bench/node_bench.ts [--quick] [--json out.json]
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { MessageQueue } from "../mq/mod.ts";
import { npmProject } from "../tests/_helpers/npm.ts";
import {
  benchArgs,
  compare,
  emit,
  type Figure,
  figure,
  latencyFigure,
  type RunStats,
} from "./_lib/figures.ts";
import { buildBaseline, lastJson } from "./_lib/native.ts";
import { Placement } from "./_lib/placement.ts";
import { NODE_IPC_VERSION, nodeIpc, nodeIpcSetup } from "./_lib/node_ipc.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const ZEROMQ_VERSION = "6.8.0";

/** Install npm zeromq once into .build/zeromq; its directory. */
async function zeromqSetup(): Promise<string> {
  const dir = `${ROOT}.build/zeromq`;
  try {
    await Deno.stat(`${dir}/node_modules/zeromq/package.json`);
  } catch {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/package.json`, '{"private":true}\n');
    const out = await new Deno.Command("npm", {
      args: ["install", "--no-audit", "--no-fund", `zeromq@${ZEROMQ_VERSION}`],
      cwd: dir,
      stdin: "null",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr).slice(0, 500));
  }
  return dir;
}

/**
 * Where each process's main thread runs, as in every bench
 * (bench/_lib/placement.ts): the measuring side on the first CPU, its peer
 * (a server, a child, a C program's forked child) on the second. Set by
 * `main`; undefined: left to the scheduler.
 */
let cpus: readonly [number, number] | undefined;

/** The environment placing a process's main thread (`peer`: on the second CPU) and its children. */
function placed(peer: boolean): Record<string, string> {
  if (cpus === undefined) return {};
  const [mine, theirs] = peer ? [cpus[1], cpus[0]] : cpus;
  return { BENCH_PIN_CPU: String(mine), BENCH_PEER_CPU: String(theirs) };
}

/**
 * A C baseline's JSON line: the program on the first CPU (`taskset`), its
 * forked child on the second (`bench_pin` reads `BENCH_PEER_CPU`); with
 * `self`, a program that places itself on `BENCH_PEER_CPU`, set to `self`.
 */
async function c<T>(exe: string, args: string[], self?: number): Promise<T> {
  const command = cpus && self === undefined
    ? new Deno.Command("taskset", {
      args: ["-c", String(cpus[0]), exe, ...args],
      env: { BENCH_PEER_CPU: String(cpus[1]) },
      stdin: "null",
    })
    : new Deno.Command(exe, { args, env: { BENCH_PEER_CPU: String(self ?? "") }, stdin: "null" });
  const out = await command.output();
  if (!out.success) throw new Error(`${exe} failed: ${new TextDecoder().decode(out.stderr)}`);
  return lastJson(new TextDecoder().decode(out.stdout));
}

/** Run peers.mjs in the npm project with node; its last JSON line. */
async function node<T>(project: string, zmq: string, args: string[]): Promise<T> {
  const out = await new Deno.Command("node", {
    args: [`${project}node_bench_peers.mjs`, ...args],
    cwd: project,
    env: { ZEROMQ: zmq, ...placed(false) },
    stdin: "null",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`node ${args[0]} failed`);
  return lastJson<T>(new TextDecoder().decode(out.stdout));
}

/** A long-running node server (peers.mjs `*-server`), killed by the returned function. */
async function nodeServer(
  project: string,
  zmq: string,
  args: string[],
): Promise<() => Promise<void>> {
  const child = new Deno.Command("node", {
    args: [`${project}node_bench_peers.mjs`, ...args],
    cwd: project,
    env: { ZEROMQ: zmq, ...placed(true) },
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${args[0]} ended`);
    seen += value;
  }
  return async () => {
    child.kill("SIGKILL");
    await child.status;
    await reader.cancel().catch(() => {});
  };
}

/** C mq ping-pong (bench/c/mq_pingpong.c) on two fresh queues. */
async function cMqPingPong(exe: string, trips: number, spin: number): Promise<RunStats> {
  const names = [0, 1].map((i) => `/node_bench_c_${Deno.pid}_${i}`);
  const qs = names.map((n) =>
    MessageQueue.open(n, { create: true, maxMessages: 10, messageSize: 64 })
  );
  try {
    const args = (role: string) => [role, ...names, String(trips), "64", String(spin)];
    // each side pins itself to BENCH_PEER_CPU (bench_pin): the ping to the first CPU
    const env = { BENCH_PEER_CPU: cpus ? String(cpus[1]) : "" };
    const pong = new Deno.Command(exe, { args: args("pong"), env, stdout: "piped" }).spawn();
    const ping = await c<RunStats>(exe, args("ping"), cpus?.[0]);
    const other = lastJson<{ cpu_us: number }>(
      new TextDecoder().decode((await pong.output()).stdout),
    );
    return { ...ping, cpu_us_per_op: ping.cpu_us_per_op! + other.cpu_us / trips };
  } finally {
    for (const q of qs) q.close();
    for (const n of names) MessageQueue.unlink(n);
  }
}

async function main(): Promise<void> {
  const { quick, json } = benchArgs();
  const runs = quick ? 2 : 5;
  const trips = quick ? 2000 : 5000;
  const count = quick ? 20_000 : 50_000;
  cpus = (await Placement.read()).cpus;
  const project = await npmProject();
  await Deno.copyFile(`${ROOT}bench/node/peers.mjs`, `${project}node_bench_peers.mjs`);
  const zmq = await zeromqSetup();
  const nodeIpcDir = await nodeIpcSetup();
  const udsC = await buildBaseline("baseline_uds");
  const mqC = await buildBaseline("mq_pingpong");
  const ringC = await buildBaseline("shm_ring");
  const dir = await Deno.makeTempDir({ prefix: "nodeb" });
  type Both = RunStats & { msgs_per_s: number };
  const l: Record<string, RunStats[]> = {};
  const r: Record<string, number[]> = {};
  const addL = (k: string, v: RunStats) => (l[k] ??= []).push(v);
  const addR = (k: string, v: number) => (r[k] ??= []).push(v);
  const stopUds = await nodeServer(project, zmq, ["uds-server", `${dir}/uds.sock`]);
  const stopZmq = await nodeServer(project, zmq, ["zmq-server", `ipc://${dir}/zmq.sock`]);
  try {
    for (let round = 0; round < runs; round++) {
      addL("c uds", await c<RunStats>(udsC, [String(trips), "1"]));
      const u = await node<Both>(project, zmq, [
        "uds-client",
        `${dir}/uds.sock`,
        String(trips),
        String(count),
      ]);
      addL("node uds", u);
      addR("node uds", u.msgs_per_s);
      const z = await node<Both>(project, zmq, [
        "zmq-client",
        `ipc://${dir}/zmq.sock`,
        String(trips),
        String(count),
      ]);
      addL("zmq", z);
      addR("zmq", z.msgs_per_s);
      if (nodeIpcDir) addR("node-ipc", await nodeIpc(nodeIpcDir, dir, count / 2));
      addL("c mq 0", await cMqPingPong(mqC, trips, 0));
      addL("node mq 0", await node<RunStats>(project, zmq, ["mq-pingpong", String(trips), "0"]));
      addL("c mq 50", await cMqPingPong(mqC, trips, 50));
      addL("node mq 50", await node<RunStats>(project, zmq, ["mq-pingpong", String(trips), "50"]));
      const ring = await c<{ msgs_per_s: number }>(ringC, [
        String(count * 20),
        "64",
        String(1 << 20),
      ]);
      addR("c ring", ring.msgs_per_s);
      addR(
        "node ch",
        (await node<{ msgs_per_s: number }>(project, zmq, [
          "ch-oneway",
          String(count * 20),
        ])).msgs_per_s,
      );
    }
  } finally {
    await stopUds();
    await stopZmq();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  const lat = (k: string, name: string, baseline = false) =>
    latencyFigure(name, l[k]!, { size: 64, baseline });
  const rate = (k: string, name: string, baseline = false) =>
    figure(name, "msgs/s", r[k]!, { size: 64, baseline });
  const cUds = lat("c uds", "uds: C blocking read/write ping-pong 64 B", true);
  const zmqRate = rate(
    "zmq",
    `uds: ZeroMQ ${ZEROMQ_VERSION} DEALER/ROUTER ipc://, 64 in flight`,
    true,
  );
  const nodeRate = rate("node uds", "uds on Node: requests 64 B, 64 in flight");
  const cMq0 = lat("c mq 0", "mq: C blocking ping-pong 64 B", true);
  const cMq50 = lat("c mq 50", "mq: C O_NONBLOCK spin 50 µs ping-pong 64 B", true);
  const cRing = rate("c ring", "shm: C spin ring of 64 B records", true);
  // The README's table shows the Node figures next to the Deno ones, and ZeroMQ as a peer.
  const shown = (f: Figure): Figure => ({ ...f, readme: true });
  const figures: Figure[] = [
    cUds,
    shown(compare(lat("node uds", "uds on Node: request/response 64 B"), cUds)),
    shown(compare(lat("zmq", `uds: ZeroMQ ${ZEROMQ_VERSION} request/response 64 B`, true), cUds)),
    zmqRate,
    shown(compare(nodeRate, zmqRate)),
  ];
  if (r["node-ipc"]) {
    const ipc = rate("node-ipc", `uds: node-ipc ${NODE_IPC_VERSION}, 64 in flight`, true);
    figures.push(ipc, compare(rate("node uds", "uds on Node: requests 64 B, 64 in flight"), ipc));
  }
  figures.push(
    cMq0,
    shown(compare(lat("node mq 0", "mq on Node: ping-pong 64 B, spin: 0"), cMq0)),
    cMq50,
    shown(compare(lat("node mq 50", "mq on Node: ping-pong 64 B, spin: 50"), cMq50)),
    cRing,
    shown(compare(rate("node ch", "shm on Node: Channel one-way 64 B"), cRing)),
  );
  await emit({ mechanism: "node", figures }, json);
}

if (import.meta.main) await main();
