// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * What diagnostics cost: pipelined 64 B requests (64 in flight) to a server
 * in this process, round by round with nobody subscribed to the library's
 * diagnostics channels and with a no-op subscriber on the request channels
 * (start, end, error). Nobody subscribed, each request pays three
 * `hasSubscribers` reads and the counters; subscribed, it also builds and
 * publishes two messages and reads the clock twice.
 *
 * Run: `deno run -A bench/diagnostics_bench.ts [--quick] [--json out.json]`.
 *
 * @module
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { channels } from "../mod.ts";
import { serve } from "../uds/mod.ts";
import { benchArgs, type BenchReport, compare, emit, figure } from "./_lib/figures.ts";
import { pipelinedRequests } from "./uds_bench.ts";

async function main(): Promise<void> {
  const { quick, json } = benchArgs();
  const rounds = quick ? 3 : 7;
  const count = quick ? 20_000 : 100_000;
  const dir = await Deno.makeTempDir({ prefix: "ipc_bench_diag_" });
  const names = [channels.requestStart, channels.requestEnd, channels.requestError];
  const noop = () => {};
  const off: number[] = [];
  const on: number[] = [];
  try {
    await using _server = await serve({ path: `${dir}/s.sock` }, (req) => req.payload);
    await pipelinedRequests(`${dir}/s.sock`, count / 10); // warm up
    for (let round = 0; round < rounds; round++) {
      off.push(await pipelinedRequests(`${dir}/s.sock`, count));
      for (const name of names) subscribe(name, noop);
      try {
        on.push(await pipelinedRequests(`${dir}/s.sock`, count));
      } finally {
        for (const name of names) unsubscribe(name, noop);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  const baseline = figure("requests 64 B, 64 in flight, nobody subscribed", "msgs/s", off, {
    size: 64,
    baseline: true,
  });
  const subscribed = compare(
    figure("requests 64 B, 64 in flight, request channels subscribed", "msgs/s", on, { size: 64 }),
    baseline,
  );
  await emit({ mechanism: "diagnostics", figures: [baseline, subscribed] } as BenchReport, json);
}

if (import.meta.main) await main();
