// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The contract between each `bench/<mech>_bench.ts` script and the runner
 * (`deno task bench`): a script takes `--quick` and `--json <path>`, measures
 * every figure several times, and writes a {@linkcode BenchReport}.
 */

/** One measured figure: a median over several runs, with its spread. */
export interface Figure {
  /** What was measured, e.g. "one-way 64 B". */
  name: string;
  /** "msgs/s", "MB/s" (higher is better) or "µs" (lower is better). */
  unit: "msgs/s" | "MB/s" | "µs";
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
  /** The target, e.g. "≥ 0.5×" or "≤ 1.5×". */
  target?: string;
  /** Whether the ratio meets the target. */
  pass?: boolean;
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
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
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
    ? summarize(a.map((x, i) => x / b[i])).median
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
    console.log(
      `${report.mechanism.padEnd(8)} ${f.name.padEnd(44)} ${fmt(f.median).padStart(12)} ${
        f.unit.padEnd(7)
      } [${spread}]${ratio}`,
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
