// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The contract between each `bench/<mech>_bench.ts` script and the runner
 * (`deno task bench`): a script takes `--quick` and `--json <path>`, measures
 * every figure several times, and writes a {@linkcode BenchReport}.
 */
import process from "node:process";

/** One measured figure: a median over several runs, with its spread. */
export interface Figure {
  /** What was measured, e.g. "one-way 64 B". */
  name: string;
  /** "msgs/s", "MB/s", "conns/s" (higher is better), "µs" or "KiB" (lower is better). */
  unit: "msgs/s" | "MB/s" | "conns/s" | "µs" | "KiB";
  /** Message size in bytes, for the chart. */
  size?: number;
  /** Median of the runs. */
  median: number;
  /** Smallest run. */
  min: number;
  /** Largest run. */
  max: number;
  /** Number of runs. */
  runs: number;
  /** Every run's value, in the order of the rounds. */
  samples?: number[];
  /** True for a baseline (raw sockets, C, plain JS ring, node-ipc …). */
  baseline?: boolean;
  /** For a library figure: the name of the baseline it is compared with. */
  against?: string;
  /**
   * Library ÷ baseline (for µs lower is better, else higher): the median of
   * the per-round ratios when both were measured in the same rounds, else
   * the ratio of the medians.
   */
  ratio?: number;
  /** The issue's target, e.g. "≥ 0.5×" or "≤ 1.5×" (or an absolute one, "≤ 16 KiB"). */
  target?: string;
  /** Whether the ratio meets the target. */
  pass?: boolean;
  /**
   * Listed in the README's table though it has no target: the C anchor of a
   * mechanism whose target is set against a peer (raw Deno), so the table
   * shows every mechanism's ratio to C.
   */
  readme?: boolean;
  /**
   * A variant of a row already in the README's table (another option, another
   * API for the same thing): listed in bench/results/latest.md only.
   */
  detail?: boolean;
  /** For a latency: the median over the runs of each run's 50th percentile, µs. */
  p50?: number;
  /** For a latency: the median over the runs of each run's 99th percentile, µs. */
  p99?: number;
  /**
   * CPU time (user + system) per operation, µs, of both processes together:
   * the price of spinning. Median over the runs.
   */
  cpu?: number;
}

/** What one run of a latency measurement reports (the C baselines print the same keys). */
export interface RunStats {
  /** Mean round trip, µs. */
  mean_us: number;
  /** 50th percentile, µs. */
  p50_us: number;
  /** 99th percentile, µs. */
  p99_us: number;
  /** CPU µs per round trip of both processes, when measured. */
  cpu_us_per_op?: number;
}

/**
 * Build a latency figure from several runs: the samples (and so the ratios)
 * are the runs' means; p50, p99 and CPU per operation are the medians of
 * the runs' own.
 */
export function latencyFigure(name: string, runs: RunStats[], extra: Partial<Figure> = {}): Figure {
  const f = figure(name, "µs", runs.map((r) => r.mean_us), extra);
  f.p50 = summarize(runs.map((r) => r.p50_us)).median;
  f.p99 = summarize(runs.map((r) => r.p99_us)).median;
  const cpu = runs.map((r) => r.cpu_us_per_op).filter((x): x is number => x !== undefined);
  if (cpu.length) f.cpu = summarize(cpu).median;
  return f;
}

/** Records round trips in JS and summarizes them like the C baselines do. */
export class Latencies {
  readonly #times: Float64Array;
  #n = 0;
  #cpu0 = 0;
  #cpu: number | undefined;

  constructor(capacity: number) {
    this.#times = new Float64Array(capacity);
  }

  /** Start counting this process's CPU time. */
  startCpu(): void {
    this.#cpu0 = cpuMicros();
  }

  /** Stop counting CPU time. */
  stopCpu(): void {
    this.#cpu = cpuMicros() - this.#cpu0;
  }

  /** The CPU µs counted between `startCpu` and `stopCpu`. */
  get cpu(): number {
    return this.#cpu ?? 0;
  }

  /** Record one round trip that started at `start` (a `performance.now()`). */
  add(start: number): void {
    this.#times[this.#n++] = performance.now() - start;
  }

  /**
   * The summary, with `otherCpu` µs of the peer process added to this one's
   * CPU time (left out when `startCpu`/`stopCpu` were not called).
   */
  stats(otherCpu = 0): RunStats {
    const t = this.#times.subarray(0, this.#n).sort();
    let sum = 0;
    for (const x of t) sum += x;
    return {
      mean_us: sum / t.length * 1000,
      p50_us: t[t.length >> 1]! * 1000,
      p99_us: t[Math.floor(t.length * 0.99)]! * 1000,
      ...(this.#cpu === undefined ? {} : { cpu_us_per_op: (this.#cpu + otherCpu) / t.length }),
    };
  }
}

/** `f` marked as a variant row, listed in bench/results/latest.md but not in the README's table. */
export function detail(f: Figure): Figure {
  return { ...f, detail: true };
}

/** CPU time (user + system) of this process, µs. */
export function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** CPU time (µs) of every thread of process `pid` so far (/proc/<pid>/task/<tid>/schedstat). */
export function cpuOf(pid: number): number {
  let ns = 0;
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/schedstat`).split(" ")[0]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ns / 1000;
}

/** What one bench script reports. */
export interface BenchReport {
  /** "uds", "mq", "shm", "signals". */
  mechanism: string;
  /** The figures, baselines included. */
  figures: Figure[];
}

/** Median, min and max of samples. */
export function summarize(samples: number[]): { median: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Build a figure from samples. */
export function figure(
  name: string,
  unit: Figure["unit"],
  samples: number[],
  extra: Partial<Figure> = {},
): Figure {
  return { name, unit, ...summarize(samples), runs: samples.length, samples, ...extra };
}

/**
 * Compare a library figure with its baseline: sets `against`, `ratio`
 * (library ÷ baseline) and, for a target like "≥ 0.5×" or "≤ 1.5×", `target`
 * and `pass`. Without a target the ratio is for information only.
 *
 * Every bench measures its library figures and their baselines round by
 * round, each pair back to back; the ratio is then the median of the rounds'
 * ratios, so that a machine that is busier in one round than in the next
 * (a shared machine) moves both sides of a ratio together.
 */
export function compare(library: Figure, baseline: Figure, target?: string): Figure {
  const a = library.samples;
  const b = baseline.samples;
  const ratio = a && b && a.length === b.length && a.length > 0
    ? summarize(a.map((x, i) => x / b[i]!)).median
    : library.median / baseline.median;
  if (target === undefined) return Object.assign(library, { against: baseline.name, ratio });
  const m = /^([≥≤])\s*([\d.]+)×$/.exec(target);
  if (!m) throw new RangeError(`Cannot read target "${target}": expected "≥ 0.5×" or "≤ 1.5×"`);
  const bound = Number(m[2]);
  const pass = m[1] === "≥" ? ratio >= bound : ratio <= bound;
  return Object.assign(library, { against: baseline.name, ratio, target, pass });
}

/** Parse `--quick` and `--json <path>` from a bench script's arguments. */
export function benchArgs(args: string[] = Deno.args): { quick: boolean; json?: string } {
  const i = args.indexOf("--json");
  return { quick: args.includes("--quick"), json: i >= 0 ? args[i + 1] : undefined };
}

/** Print a report as a table, and write it as JSON when asked. */
export async function emit(report: BenchReport, json?: string): Promise<void> {
  for (const f of report.figures) {
    const spread = `${fmt(f.min)}–${fmt(f.max)}`;
    const ratio = f.ratio === undefined ? "" : `  ${f.ratio.toFixed(2)}× vs ${f.against}` +
      (f.target === undefined ? "" : ` (target ${f.target}: ${f.pass ? "met" : "MISSED"})`);
    const tail = [
      f.p50 === undefined ? "" : `p50 ${fmt(f.p50)} p99 ${fmt(f.p99!)}`,
      f.cpu === undefined ? "" : `cpu ${fmt(f.cpu)} µs/op`,
    ].filter(Boolean).join(", ");
    console.log(
      `${report.mechanism.padEnd(8)} ${f.name.padEnd(52)} ${fmt(f.median).padStart(10)} ${
        f.unit.padEnd(7)
      } [${spread}]${tail ? ` (${tail})` : ""}${ratio}`,
    );
  }
  if (json) await Deno.writeTextFile(json, JSON.stringify(report, null, 2));
}

/** A number with sensible precision. */
export function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  if (n >= 100) return n.toFixed(0);
  return n.toFixed(2);
}
