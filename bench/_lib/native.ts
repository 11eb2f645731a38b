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
