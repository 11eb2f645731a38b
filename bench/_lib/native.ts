// Copyright 2026 the @ipc/linux authors. MIT license.
/** Build the C baselines in bench/c/ with the machine's `cc`, cached by content hash. */
import { buildC } from "../../tests/_helpers/peer.ts";

/** Compile bench/c/<name>.c (with -O2 -lrt -lpthread); returns the executable path. */
export function buildBaseline(name: string): Promise<string> {
  return buildC(new URL(`../c/${name}.c`, import.meta.url).pathname);
}

/** Run a built baseline and parse the JSON line it prints. */
export async function runBaseline<T>(exe: string, args: string[]): Promise<T> {
  const out = await new Deno.Command(exe, { args, stdin: "null" }).output();
  if (!out.success) throw new Error(`${exe} failed: ${new TextDecoder().decode(out.stderr)}`);
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}

/**
 * Run a measuring and a helper process together and return the number the
 * measuring one printed (ns). With `exe` null both are `script --role …`
 * under this Deno, else both are the C program `exe`.
 */
export async function runPair(
  script: string,
  exe: string | null,
  measure: string[],
  helper: string[],
): Promise<number> {
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
  return Number(new TextDecoder().decode(out.stdout).trim());
}
