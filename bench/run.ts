// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * `deno task bench [-- --quick] [--halt-poll]`: runs every `bench/*_bench.ts` (each in its
 * own process, one after another so they do not disturb each other), then
 * writes bench/results/latest.json, latest.md and latest.svg.
 */
import { fileURLToPath } from "node:url";
import type { BenchReport } from "./_lib/figures.ts";
import { machine, markdown, svg, targetsTable, updateReadme } from "./_lib/report.ts";

const DIR = fileURLToPath(new URL(".", import.meta.url));
const quick = Deno.args.includes("--quick");
const only = Deno.args.filter((a) => !a.startsWith("--"));

const scripts = [...Deno.readDirSync(DIR)]
  .map((e) => e.name)
  .filter((n) => n.endsWith("_bench.ts"))
  .filter((n) => only.length === 0 || only.some((o) => n.startsWith(o)))
  .sort();

const reports: BenchReport[] = [];
let failed = false;
const started = performance.now();
for (const script of scripts) {
  const json = await Deno.makeTempFile({ suffix: ".json" });
  console.log(`\n== ${script}${quick ? " (quick)" : ""}`);
  const status = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-net",
      `${DIR}${script}`,
      "--json",
      json,
      ...(quick ? ["--quick"] : []),
      // `deno task bench --halt-poll`: the latency bench's pass with the guest's idle polling on.
      ...(script === "latency_bench.ts" && Deno.args.includes("--halt-poll")
        ? ["--halt-poll"]
        : []),
    ],
    stdin: "null",
  }).spawn().status;
  try {
    if (!status.success) throw new Error(`exit code ${status.code}`);
    reports.push(JSON.parse(await Deno.readTextFile(json)));
  } catch (err) {
    failed = true;
    console.error(`${script} failed: ${(err as Error).message}`);
  } finally {
    await Deno.remove(json).catch(() => {});
  }
}

const m = machine();
const out = `${DIR}results/`;
await Deno.mkdir(out, { recursive: true });
await Deno.writeTextFile(
  `${out}latest.json`,
  JSON.stringify({ machine: m, quick, reports }, null, 2) + "\n",
);
await Deno.writeTextFile(`${out}latest.md`, markdown(m, reports, quick));
await Deno.writeTextFile(`${out}latest.svg`, svg(m, reports));
// A full run of every bench also refreshes the README's summary table.
if (!quick && only.length === 0) {
  const readme = `${DIR}../README.md`;
  await Deno.writeTextFile(
    readme,
    updateReadme(await Deno.readTextFile(readme), targetsTable(m, reports, quick)),
  );
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "-q", readme] }).output();
}
console.log(
  `\nWrote bench/results/latest.{json,md,svg} in ${
    ((performance.now() - started) / 1000).toFixed(0)
  } s.`,
);
if (failed) Deno.exit(1);
