// Copyright 2026 the @ipc/linux authors. MIT license.
/** Turn the bench reports of one run into latest.json, a Markdown table and an SVG chart. */
import { type BenchReport, type Figure, fmt } from "./figures.ts";

/** The machine a run was measured on. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  kernel: string;
  deno: string;
  date: string;
}

/** Describe this machine. */
export function machine(): Machine {
  const cpuinfo = Deno.readTextFileSync("/proc/cpuinfo");
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? "unknown CPU";
  return {
    cpus: navigator.hardwareConcurrency,
    cpuModel: model.trim(),
    kernel: Deno.osRelease(),
    deno: Deno.version.deno,
    date: new Date().toISOString(),
  };
}

/** "p50 / p99" of a latency figure, and its CPU time per operation, as table cells. */
function extra(f: Figure): [string, string] {
  return [
    f.p50 === undefined ? "" : `${fmt(f.p50)} / ${fmt(f.p99!)}`,
    f.cpu === undefined ? "" : `${fmt(f.cpu)} µs`,
  ];
}

/** The target cell of a figure. */
function targetCell(f: Figure): string {
  if (f.target) return `${f.target} ${f.pass ? "✅" : "❌"}`;
  return f.ratio === undefined ? "" : "(information)";
}

/** The Markdown table for a run. */
export function markdown(m: Machine, reports: BenchReport[], quick: boolean): string {
  const lines = [
    `# Benchmark results`,
    ``,
    `Measured ${
      m.date.slice(0, 10)
    } on ${m.cpus} vCPUs (${m.cpuModel}), Linux ${m.kernel}, Deno ${m.deno}` +
    `${quick ? " — quick run (fewer repetitions)" : ""}.`,
    ``,
    `Each figure is the median of several runs, with the min–max range; latencies are mean`,
    `round trips, with the medians of the runs' p50 and p99. CPU is the CPU time (user +`,
    `system) of both processes per operation. Every library figure is compared with an anchor`,
    `of the same strategy (blocking against blocking, spinning against spinning), measured in`,
    `the same rounds: the ratio is the median of the rounds' ratios. See bench/README.md.`,
    ``,
    `| mechanism | figure | median | range | p50 / p99 µs | CPU per op | vs anchor | target |`,
    `| --- | --- | ---: | --- | --- | ---: | --- | --- |`,
  ];
  for (const r of reports) {
    for (const f of r.figures) {
      const vs = f.ratio === undefined
        ? (f.baseline ? "anchor" : "")
        : `${f.ratio.toFixed(2)}× ${f.against}`;
      const [pct, cpu] = extra(f);
      lines.push(
        `| ${r.mechanism} | ${f.name} | ${fmt(f.median)} ${f.unit} | ${fmt(f.min)}–${
          fmt(f.max)
        } | ${pct} | ${cpu} | ${vs} | ${targetCell(f)} |`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * A horizontal bar chart: one panel for latency (µs, lower is better), one
 * for throughput (msgs/s and MB/s, higher is better); baselines in grey.
 * Bars use a log scale so C and JS figures fit on one chart.
 */
export function svg(m: Machine, reports: BenchReport[]): string {
  const rows: Array<{ label: string; f: Figure }> = [];
  for (const r of reports) {
    for (const f of r.figures) rows.push({ label: `${r.mechanism}: ${f.name}`, f });
  }
  const panels: Array<[string, Array<{ label: string; f: Figure }>]> = [
    ["Latency, µs (lower is better)", rows.filter((x) => x.f.unit === "µs")],
    ["Throughput, msgs/s (higher is better)", rows.filter((x) => x.f.unit === "msgs/s")],
    ["Bandwidth, MB/s (higher is better)", rows.filter((x) => x.f.unit === "MB/s")],
  ];
  const W = 980, LABEL = 420, BAR = 16, GAP = 6;
  let y = 40;
  const parts: string[] = [
    `<text x="10" y="22" font-size="15" font-weight="bold">@ipc/linux benchmarks — ${m.cpus} vCPUs, Linux ${
      escape(m.kernel)
    }, ${m.date.slice(0, 10)}</text>`,
  ];
  for (const [title, items] of panels) {
    if (items.length === 0) continue;
    parts.push(
      `<text x="10" y="${y + 14}" font-size="13" font-weight="bold">${escape(title)}</text>`,
    );
    y += 24;
    const max = Math.max(...items.map((x) => x.f.median));
    const min = Math.min(...items.map((x) => x.f.median));
    const lo = Math.log10(Math.max(min / 2, 1e-3)), hi = Math.log10(max * 1.1);
    for (const { label, f } of items) {
      const w = Math.max(2, ((Math.log10(f.median) - lo) / (hi - lo)) * (W - LABEL - 110));
      const color = f.baseline ? "#9e9e9e" : f.pass === false ? "#e53935" : "#1e88e5";
      parts.push(
        `<text x="${LABEL - 6}" y="${y + 12}" font-size="11" text-anchor="end">${
          escape(label)
        }</text>`,
        `<rect x="${LABEL}" y="${y}" width="${w.toFixed(1)}" height="${BAR}" fill="${color}"/>`,
        `<text x="${LABEL + w + 4}" y="${y + 12}" font-size="11">${fmt(f.median)}${
          f.ratio === undefined ? "" : ` (${f.ratio.toFixed(2)}×)`
        }</text>`,
      );
      y += BAR + GAP;
    }
    y += 12;
  }
  parts.push(
    `<text x="10" y="${
      y + 10
    }" font-size="11" fill="#555">Blue: this library; grey: baselines (C, raw Deno, plain JS, node-ipc); red: misses its target. Log scale.</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${
    y + 24
  }" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>${
    parts.join("")
  }</svg>\n`;
}

/**
 * The README's table: every figure compared with another, next to its
 * anchor from the same run (a C program of the same strategy wherever one
 * exists), the ratio, p50/p99, CPU time per operation, and the target.
 */
export function targetsTable(m: Machine, reports: BenchReport[], quick: boolean): string {
  const lines = [
    `Last run: ${m.date.slice(0, 10)}, ${m.cpus} vCPUs (${m.cpuModel}), Linux ${m.kernel}, ` +
    `Deno ${m.deno}${
      quick ? ", quick run" : ""
    }. Ratio: median of per-round ratios to a same-strategy anchor; CPU: both processes per op.`,
    ``,
    `| mechanism | figure | median | p50 / p99 µs | CPU per op | anchor (same run) | anchor median | ratio | target |`,
    `| --- | --- | ---: | --- | ---: | --- | ---: | ---: | --- |`,
  ];
  for (const r of reports) {
    const byName = new Map(r.figures.map((f) => [f.name, f]));
    for (const f of r.figures) {
      if (f.ratio === undefined || f.detail || (f.target === undefined && !f.readme)) continue;
      const anchor = byName.get(f.against!);
      const [pct, cpu] = extra(f);
      lines.push(
        `| ${r.mechanism} | ${f.name} | ${
          fmt(f.median)
        } ${f.unit} | ${pct} | ${cpu} | ${f.against} | ${
          anchor ? `${fmt(anchor.median)} ${anchor.unit}` : ""
        } | ${f.ratio.toFixed(2)}× | ${targetCell(f)} |`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

/** Replace the text between the bench markers in README.md with `table`. */
export function updateReadme(readme: string, table: string): string {
  const start = "<!-- bench:start -->", end = "<!-- bench:end -->";
  const a = readme.indexOf(start), b = readme.indexOf(end);
  if (a < 0 || b < a) return readme;
  return `${readme.slice(0, a + start.length)}\n${table}${readme.slice(b)}`;
}
