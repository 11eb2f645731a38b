// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * `deno task demo`: a short guided tour of what works, between real
 * processes. Each part spawns its own child process, prints what was
 * exchanged, and removes every name it created.
 *
 * Run: `deno run --allow-read --allow-write --allow-net --allow-ffi --allow-run examples/demo.ts`
 *
 * Permissions: exactly these: every mechanism (FFI), a temporary socket directory (read, write,
 * net), starting the child processes; each child gets only what its part needs.
 */
import { demo as ffi, type DemoRow } from "./_demo/ffi.ts";
import { demo as mq } from "./_demo/mq.ts";
import { demo as shm } from "./_demo/shm.ts";
import { demo as signals } from "./_demo/signals.ts";
import { demo as sysv } from "./_demo/sysv.ts";
import { demo as uds } from "./_demo/uds.ts";

type BenchFigure = {
  name: string;
  ratio?: number;
  against?: string;
  target?: string;
  pass?: boolean;
  detail?: boolean;
};

const PARTS: Array<[string, string, () => Promise<DemoRow[]>]> = [
  ["ffi", "native layer", ffi],
  ["uds", "Unix sockets: a server in one process, clients in another", uds],
  ["mq", "message queue: a producer and a consumer process", mq],
  ["shm", "shared memory: Channel, ping-pong (Python where present)", shm],
  ["signals", "signals: graceful shutdown of a child, a realtime signal", signals],
  ["sysv", "System V: typed messages and a SEM_UNDO lock with a child", sysv],
];

const rows: DemoRow[] = [];
let failed = false;
// Ctrl-C: let the running part finish its own cleanup (each part removes
// every name it made in a finally block), skip the rest, exit 130.
let interrupted = false;
const onInterrupt = () => {
  interrupted = true;
  console.log("\ninterrupted: finishing the current part's cleanup …");
};
Deno.addSignalListener("SIGINT", onInterrupt);
const started = performance.now();
for (const [mechanism, title, part] of PARTS) {
  if (interrupted) break;
  const t0 = performance.now();
  let result: DemoRow[] | Error;
  try {
    result = await part();
  } catch (err) {
    result = err instanceof Error ? err : new Error(String(err));
  }
  if (interrupted) {
    // Ctrl-C reached the part's child processes too: what it saw is no result.
    console.log(`• ${title}: interrupted`);
    rows.push({ mechanism, what: "interrupted (Ctrl-C)", result: "stopped; its names removed" });
  } else if (result instanceof Error) {
    failed = true;
    console.log(`• ${title}: FAILED`);
    rows.push({ mechanism, what: "FAILED", result: result.message });
  } else {
    rows.push(...result);
    console.log(`• ${title}: ${(performance.now() - t0).toFixed(0)} ms, child process included`);
  }
}

const widths: [number, number] = [
  Math.max(9, ...rows.map((r) => r.mechanism.length)),
  Math.max(4, ...rows.map((r) => r.what.length)),
];
console.log("");
console.log(`${"mechanism".padEnd(widths[0])}  ${"what".padEnd(widths[1])}  result`);
console.log(`${"-".repeat(widths[0])}  ${"-".repeat(widths[1])}  ${"-".repeat(30)}`);
for (const row of rows) {
  console.log(`${row.mechanism.padEnd(widths[0])}  ${row.what.padEnd(widths[1])}  ${row.result}`);
}

Deno.removeSignalListener("SIGINT", onInterrupt);
if (interrupted) {
  console.log("\nInterrupted: the remaining parts were skipped.");
  Deno.exit(130);
}

// Pointers onward: every story has a runnable example, and the benchmarks'
// latest run (if there is one) gives the key ratios.
const examples = [...Deno.readDirSync(new URL(".", import.meta.url))]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".ts") && n !== "demo.ts")
  .sort();
console.log(
  `\nEach story has a runnable example (its header gives the deno run permissions):`,
);
console.log(`  ${examples.join("  ")}`);
try {
  const latest = JSON.parse(
    Deno.readTextFileSync(new URL("../bench/results/latest.json", import.meta.url)),
  ) as { reports: Array<{ mechanism: string; figures: BenchFigure[] }> };
  // Only the rows with a target (variants and information rows are in latest.md).
  const rows = latest.reports.flatMap((r) =>
    r.figures.filter((f) => f.ratio !== undefined && f.target && !f.detail)
      .map((f) => ({ mechanism: r.mechanism, f }))
  );
  const width = Math.max(...rows.map((row) => row.f.name.length));
  console.log(
    `\nTargets in the last stored benchmark run (not measured now; every row in ` +
      `bench/results/latest.md):`,
  );
  for (const { mechanism, f } of rows) {
    console.log(
      `  ${mechanism.padEnd(10)} ${f.name.padEnd(width)} ${f.ratio!.toFixed(2)}× ` +
        `vs ${f.against} (target ${f.target}: ${f.pass ? "met" : "missed"})`,
    );
  }
} catch {
  console.log(`\nNo benchmark results yet: run \`deno task bench\`.`);
}
console.log(`\nTour finished in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
if (failed) Deno.exit(1);
