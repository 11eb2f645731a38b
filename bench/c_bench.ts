// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The C baseline for Unix sockets: a 64 B ping-pong and a one-way stream
 * between two processes. It shows the floor the kernel and this 2-vCPU
 * machine allow (mq, shm and signals benches build their own C baselines).
 *
 * Run: deno run -A bench/c_bench.ts [--quick] [--json out.json]
 */
import { benchArgs, emit, figure } from "./_lib/figures.ts";
import { buildBaseline, runBaseline } from "./_lib/native.ts";

const { quick, json } = benchArgs();
const runs = quick ? 3 : 7;
const rounds = quick ? 5_000 : 20_000;
const count = quick ? 100_000 : 500_000;

const uds = await buildBaseline("baseline_uds");
const udsRtt: number[] = [], udsRate: number[] = [];
for (let i = 0; i < runs; i++) {
  const u = await runBaseline<{ rtt_us: number; msgs_per_s: number }>(uds, [
    String(rounds),
    String(count),
  ]);
  udsRtt.push(u.rtt_us);
  udsRate.push(u.msgs_per_s);
}
await emit({
  mechanism: "c",
  figures: [
    figure("C: UDS 64 B round trip", "µs", udsRtt, { baseline: true, size: 64 }),
    figure("C: UDS 64 B one-way, one write each", "msgs/s", udsRate, { baseline: true, size: 64 }),
  ],
}, json);
