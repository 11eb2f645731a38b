// Copyright 2026 the @ipc/linux authors. MIT license.
/** Build the C baselines in bench/c/ with the machine's `cc`, cached by content hash. */
import { buildC } from "../../tests/_helpers/peer.ts";

const HEADER = new URL("../c/_bench.h", import.meta.url);

/**
 * Compile bench/c/<name>.c (with -O2 -lrt -lpthread); returns the executable
 * path. The shared header's hash goes into the flags, so that editing it
 * rebuilds every baseline.
 */
export async function buildBaseline(name: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(HEADER));
  const hash = [...new Uint8Array(digest).slice(0, 8)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  return buildC(new URL(`../c/${name}.c`, import.meta.url).pathname, [`-DBENCH_H=${hash}`]);
}

/** Run a built baseline and parse the JSON line it prints last. */
export async function runBaseline<T>(exe: string, args: string[]): Promise<T> {
  const out = await new Deno.Command(exe, { args, stdin: "null" }).output();
  if (!out.success) throw new Error(`${exe} failed: ${new TextDecoder().decode(out.stderr)}`);
  return lastJson(new TextDecoder().decode(out.stdout));
}

/** The last line of a program's output, parsed as JSON. */
export function lastJson<T>(stdout: string): T {
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!);
}

/**
 * Run a measuring and a helper process together and return what each
 * printed on stdout. With `exe` null both are `script --role …` under this
 * Deno, else both are the C program `exe`.
 */
export async function runPairOutputs(
  script: string,
  exe: string | null,
  measure: string[],
  helper: string[],
): Promise<[string, string]> {
  const command = (args: string[]) =>
    exe === null
      ? new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", script, "--role", ...args],
        stdout: "piped",
        stderr: "inherit",
      })
      : new Deno.Command(exe, { args, stdout: "piped", stderr: "inherit" });
  const measuring = command(measure).spawn();
  const helping = command(helper).spawn();
  const [out, other] = await Promise.all([measuring.output(), helping.output()]);
  if (!out.success || !other.success) throw new Error(`bench process failed: ${measure.join(" ")}`);
  const text = new TextDecoder();
  return [text.decode(out.stdout), text.decode(other.stdout)];
}

/** {@linkcode runPairOutputs}, returning the number the measuring process printed (ns). */
export async function runPair(
  script: string,
  exe: string | null,
  measure: string[],
  helper: string[],
): Promise<number> {
  return Number((await runPairOutputs(script, exe, measure, helper))[0].trim());
}
