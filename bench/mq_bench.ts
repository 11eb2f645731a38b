// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * POSIX message queue benchmarks, each against a C baseline run in the same job:
 *
 * - one-way: 64-byte messages from one process to another (msgs/s),
 *   @ipc/linux/mq on both ends vs a C sender/receiver pair (mq_send/mq_receive);
 * - ping-pong: 64-byte round trips between two processes (µs per round trip),
 *   Deno vs Deno against C vs C.
 *
 * Run: `deno run -A bench/mq_bench.ts [--quick] [--json out.json] [--runs 7]
 * [--messages 200000] [--trips 10000]`. The C programs are built with `cc` on
 * first use and cached under .build/c/.
 *
 * @module
 */
import { MessageQueue } from "../mq/mod.ts";
import { benchArgs, compare, emit, figure } from "./_lib/figures.ts";
import { buildBaseline, runPair } from "./_lib/native.ts";

const SIZE = 64;

async function main(): Promise<void> {
  const { quick, json } = benchArgs();
  const runs = flag("--runs", quick ? 3 : 7);
  const messages = flag("--messages", quick ? 50_000 : 200_000);
  const trips = flag("--trips", quick ? 3_000 : 10_000);
  const oneway = await buildBaseline("mq_oneway");
  const pingpong = await buildBaseline("mq_pingpong");
  const results: Record<string, number[]> = {
    "one-way C (msgs/s)": [],
    "one-way Deno (msgs/s)": [],
    "ping-pong C (µs/rt)": [],
    "ping-pong Deno (µs/rt)": [],
  };
  for (let run = 0; run < runs; run++) {
    const n = String(messages);
    const size = String(SIZE);
    results["one-way C (msgs/s)"].push(
      messages / await withQueues(1, ([q]) =>
        pair(oneway, ["receive", q, n, size], ["send", q, n, size])) *
        1e9,
    );
    results["one-way Deno (msgs/s)"].push(
      messages / await withQueues(1, ([q]) =>
        pair(null, ["receive", q, n, size], ["send", q, n, size])) *
        1e9,
    );
    const t = String(trips);
    results["ping-pong C (µs/rt)"].push(
      await withQueues(
        2,
        ([a, b]) => pair(pingpong, ["ping", a, b, t, size], ["pong", a, b, t, size]),
      ) / trips / 1e3,
    );
    results["ping-pong Deno (µs/rt)"].push(
      await withQueues(
        2,
        ([a, b]) => pair(null, ["ping", a, b, t, size], ["pong", a, b, t, size]),
      ) / trips / 1e3,
    );
  }
  const c1 = figure("one-way 64 B, C mq_send/mq_receive", "msgs/s", results["one-way C (msgs/s)"], {
    baseline: true,
    size: SIZE,
  });
  const d1 = figure("one-way 64 B, MessageQueue", "msgs/s", results["one-way Deno (msgs/s)"], {
    size: SIZE,
  });
  const c2 = figure("ping-pong 64 B, C", "µs", results["ping-pong C (µs/rt)"], {
    baseline: true,
    size: SIZE,
  });
  const d2 = figure("ping-pong 64 B, MessageQueue", "µs", results["ping-pong Deno (µs/rt)"], {
    size: SIZE,
  });
  await emit({
    mechanism: "mq",
    figures: [c1, compare(d1, c1, "≥ 0.5×"), c2, compare(d2, c2, "≤ 1.5×")],
  }, json);
}

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

/** Create `n` fresh queues, run `fn` with their names, always unlink them. */
async function withQueues(n: number, fn: (names: string[]) => Promise<number>): Promise<number> {
  const names = Array.from(
    { length: n },
    (_, i) => `/mq_bench_${Deno.pid}_${i}_${Math.random().toString(36).slice(2, 8)}`,
  );
  const queues = names.map((name) =>
    MessageQueue.open(name, { exclusive: true, maxMessages: 10, messageSize: SIZE })
  );
  try {
    return await fn(names);
  } finally {
    for (const q of queues) q.close();
    for (const name of names) MessageQueue.unlink(name);
  }
}

/** Run a measuring and a helper process together; return the ns the measuring one printed. */
function pair(exe: string | null, measure: string[], helper: string[]): Promise<number> {
  return runPair(import.meta.filename!, exe, measure, helper);
}

/** The Deno side of each measurement, in a child process. */
async function role(args: string[]): Promise<void> {
  const [kind, a, b, c, d] = args;
  if (kind === "send") {
    using q = MessageQueue.open(a, { writeOnly: true });
    const bytes = new Uint8Array(Number(c));
    for (let i = Number(b); i > 0; i--) await q.send(bytes);
  } else if (kind === "receive") {
    using q = MessageQueue.open(a, { readOnly: true });
    const buffer = new Uint8Array(q.messageSize);
    const count = Number(b);
    await q.receiveInto(buffer);
    const start = performance.now();
    for (let i = 1; i < count; i++) await q.receiveInto(buffer);
    console.log(Math.round((performance.now() - start) * 1e6));
  } else {
    using ping = MessageQueue.open(a, { readOnly: kind === "pong", writeOnly: kind === "ping" });
    using pong = MessageQueue.open(b, { readOnly: kind === "ping", writeOnly: kind === "pong" });
    const buffer = new Uint8Array(SIZE);
    const count = Number(c);
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      if (kind === "ping") {
        await ping.send(buffer.subarray(0, Number(d)));
        await pong.receiveInto(buffer);
      } else {
        const { length } = await ping.receiveInto(buffer);
        await pong.send(buffer.subarray(0, length));
      }
    }
    if (kind === "ping") console.log(Math.round((performance.now() - start) * 1e6));
  }
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
