// Copyright 2026 the @ipc/linux authors. MIT license.
/** Start a Deno fixture with signals blocked in every thread (the SignalQueue launch recipe). */
import { fileURLToPath } from "node:url";
import { buildC, Peer } from "../_helpers/mod.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** The Python one-liner from the docs: block, then exec. */
export const PYTHON_WRAPPER =
  "import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, [int(s) for s in " +
  "sys.argv[1].split(',')]); os.execvp(sys.argv[2], sys.argv[2:])";

/** Run `fixture` under the Python launcher with `signos` blocked. */
export function spawnBlockedPython(
  signos: number[],
  fixture: string,
  args: string[],
  flags = ["-A"],
): Peer {
  return new Peer("python3", [
    "-c",
    PYTHON_WRAPPER,
    signos.join(","),
    Deno.execPath(),
    "run",
    ...flags,
    FIXTURES + fixture,
    ...args,
  ]);
}

/** Run `fixture` under the C launcher (tests/fixtures/signals_blockexec.c) with `signos` blocked. */
export async function spawnBlockedC(
  signos: number[],
  fixture: string,
  args: string[],
): Promise<Peer> {
  const launcher = await buildC("signals_blockexec.c");
  return new Peer(launcher, [
    signos.join(","),
    Deno.execPath(),
    "run",
    "-A",
    FIXTURES + fixture,
    ...args,
  ]);
}
