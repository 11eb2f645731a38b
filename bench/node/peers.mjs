// Copyright 2026 the @ipc/linux authors. MIT license.
// The Node side of bench/node_bench.ts, run with `node` from the directory
// where the npm build of @ipc/linux is installed (tests/_helpers/npm.ts), with
// ZEROMQ set to the directory holding npm `zeromq`. Modes (each prints one
// JSON line):
//   uds-server <path>                  serve() echoing requests; prints "ready"
//   uds-client <path> <trips> <count>  round trips one at a time, then <count> requests
//                                      with 64 in flight
//   zmq-server <endpoint>              a ROUTER echoing every message; prints "ready"
//   zmq-client <endpoint> <trips> <count>  the same two measurements through a DEALER
//   mq-pingpong <trips> <spin>         MessageQueue ping-pong with a child process, after the
//                                      untimed round trips the C program makes too
//   ch-oneway <count>                  Channel one-way 64 B from a child process
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { connect, serve } from "@ipc/linux/uds";
import { MessageQueue } from "@ipc/linux/mq";
import { Channel } from "@ipc/linux/shm";

const SELF = fileURLToPath(import.meta.url);
const [mode, a, b, c] = process.argv.slice(2);

// Placement as in every bench (bench/_lib/placement.ts): this process's main
// thread on BENCH_PIN_CPU, a child's on BENCH_PEER_CPU; Node's own threads free.
if (process.env.BENCH_PIN_CPU) {
  spawnSync("taskset", ["-p", "-c", process.env.BENCH_PIN_CPU, String(process.pid)], {
    stdio: "ignore",
  });
}
const now = () => performance.now();
/**
 * Untimed socket round trips before the timed ones: a fresh Node process
 * stalls for 1–3 ms at fixed points of its first few thousand round trips
 * (the JIT), so 5000, as bench/latency_bench.ts makes.
 */
const WARM_TRIPS = 5000;

/** mean, p50, p99 (µs) of round trips in ms. */
function stats(times) {
  const t = Float64Array.from(times).sort();
  let sum = 0;
  for (const x of t) sum += x;
  return {
    mean_us: sum / t.length * 1000,
    p50_us: t[t.length >> 1] * 1000,
    p99_us: t[Math.floor(t.length * 0.99)] * 1000,
  };
}

/** The child of a two-process measurement: resolves with its last stdout line. */
function child(args) {
  const env = { ...process.env, BENCH_PIN_CPU: process.env.BENCH_PEER_CPU ?? "" };
  const p = spawn(process.execPath, [SELF, ...args], { stdio: ["ignore", "pipe", "inherit"], env });
  let out = "";
  p.stdout.on("data", (d) => (out += d));
  return new Promise((resolve, reject) =>
    p.on(
      "exit",
      (code) => (code === 0
        ? resolve(out.trim().split("\n").pop())
        : reject(new Error(`${args[0]}: ${code}`))),
    )
  );
}

function zmq() {
  return createRequire(process.env.ZEROMQ + "/")("zeromq");
}

if (mode === "uds-server") {
  await serve({ path: a }, (req) => req.payload);
  console.log("ready");
} else if (mode === "uds-client") {
  const client = await connect({ path: a });
  const msg = new Uint8Array(64);
  const times = [];
  for (let i = -WARM_TRIPS; i < Number(b); i++) {
    const t = now();
    await client.request("echo", msg);
    if (i >= 0) times.push(now() - t);
  }
  const count = Number(c);
  let next = 0;
  const t = now();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next++ < count) await client.request("echo", msg);
  }));
  const rate = count / ((now() - t) / 1000);
  await client.close();
  console.log(JSON.stringify({ ...stats(times), msgs_per_s: rate }));
} else if (mode === "zmq-server") {
  const { Router } = zmq();
  const router = new Router();
  await router.bind(a);
  console.log("ready");
  for await (const [id, msg] of router) await router.send([id, msg]);
} else if (mode === "zmq-client") {
  const { Dealer } = zmq();
  const dealer = new Dealer();
  dealer.connect(a);
  const msg = Buffer.alloc(64);
  const times = [];
  for (let i = -WARM_TRIPS; i < Number(b); i++) {
    const t = now();
    await dealer.send(msg);
    await dealer.receive();
    if (i >= 0) times.push(now() - t);
  }
  // Pipelining as ZeroMQ's guide does it: a window of 64 requests in flight,
  // the sender and the receiver as two independent loops.
  const count = Number(c);
  let sent = 0, got = 0, credit = 64, wake;
  const t = now();
  const receiving = (async () => {
    for await (const _ of dealer) {
      got++;
      credit++;
      wake?.();
      if (got === count) break;
    }
  })();
  while (sent < count) {
    if (credit === 0) await new Promise((r) => (wake = r));
    credit--;
    sent++;
    await dealer.send(msg);
  }
  await receiving;
  const rate = count / ((now() - t) / 1000);
  dealer.close();
  console.log(JSON.stringify({ ...stats(times), msgs_per_s: rate }));
} else if (mode === "mq-pingpong" || mode === "mq-pong") {
  const [pingName, pongName] = mode === "mq-pingpong"
    ? [`/node_bench_a_${process.pid}`, `/node_bench_b_${process.pid}`]
    : [a, b];
  const trips = Number(mode === "mq-pingpong" ? a : c);
  const spin = Number(mode === "mq-pingpong" ? b : process.argv[6]);
  const opts = { maxMessages: 10, messageSize: 64, spin };
  const ping = MessageQueue.open(pingName, { ...opts, create: true });
  const pong = MessageQueue.open(pongName, { ...opts, create: true });
  const buf = new Uint8Array(64);
  // untimed round trips first, as bench/c/mq_pingpong.c makes (1000, 30,000 when spinning)
  const warm = spin > 0 ? 30_000 : 1000;
  if (mode === "mq-pong") {
    for (let i = -warm; i < trips; i++) {
      const { length } = await ping.receiveInto(buf);
      await pong.send(buf.subarray(0, length));
    }
  } else {
    const peer = child(["mq-pong", pingName, pongName, String(trips), String(spin)]);
    const times = [];
    for (let i = -warm; i < trips; i++) {
      const t = now();
      await ping.send(buf);
      await pong.receiveInto(buf);
      if (i >= 0) times.push(now() - t);
    }
    await peer;
    MessageQueue.unlink(pingName);
    MessageQueue.unlink(pongName);
    console.log(JSON.stringify(stats(times)));
  }
  ping.close();
  pong.close();
} else if (mode === "ch-oneway") {
  const name = `node_bench_ch_${process.pid}`;
  const ch = Channel.create(name, { capacity: 1 << 20, unlinkOnClose: true });
  const count = Number(a);
  const peer = child(["ch-send", name, a]);
  const buf = new Uint8Array(ch.maxMessageSize);
  await ch.receiveInto(buf);
  const t = now();
  let got = 1;
  while (got < count) {
    while (ch.tryReceiveInto(buf) >= 0) got++;
    if (got < count) {
      await ch.receiveInto(buf);
      got++;
    }
  }
  const rate = (count - 1) / ((now() - t) / 1000);
  await peer;
  ch.close();
  console.log(JSON.stringify({ msgs_per_s: rate }));
} else if (mode === "ch-send") {
  const ch = Channel.open(a);
  const msg = new Uint8Array(64).fill(7);
  for (let i = 0; i < Number(b); i++) if (!ch.trySend(msg)) await ch.send(msg);
  ch.end();
  ch.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
