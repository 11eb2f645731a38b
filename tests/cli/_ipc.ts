// Copyright 2026 the @ipc/linux authors. MIT license.
/** Run the `ipc` command line as a subprocess of Deno. */
import { fileURLToPath } from "node:url";
import { run, type RunResult } from "../_helpers/mod.ts";

/** The command line's entry point. */
export const CLI = fileURLToPath(new URL("../../cli/mod.ts", import.meta.url));

/** Run `ipc …` with every permission and NO_COLOR set. */
export function ipc(...args: string[]): Promise<RunResult> {
  return ipcWith(["-A", "--unstable-net"], ...args);
}

/** Run `ipc …` with these Deno permission flags. */
export function ipcWith(flags: string[], ...args: string[]): Promise<RunResult> {
  return run(Deno.execPath(), ["run", ...flags, CLI, ...args], { env: { NO_COLOR: "1" } });
}

/**
 * Run `ipc …` on a pseudo-terminal (through script(1)), with NO_COLOR removed
 * from the environment or set as given; returns what the terminal showed.
 */
export async function ipcOnTerminal(
  noColor: string | undefined,
  ...args: string[]
): Promise<string> {
  const quoted = [Deno.execPath(), "run", "-A", CLI, ...args]
    .map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  const env = noColor === undefined ? "env -u NO_COLOR" : `env NO_COLOR=${noColor}`;
  const out = await run("script", ["-qec", `${env} ${quoted}`, "/dev/null"]);
  if (out.code !== 0) throw new Error(`script failed (${out.code}): ${out.stdout}${out.stderr}`);
  return out.stdout;
}

/** Run `ipc …` as another user (setpriv(1); this test runs as root), with only `--allow-ffi`. */
export async function ipcAs(uid: number, ...args: string[]): Promise<RunResult> {
  const denoDir = await Deno.makeTempDir({ prefix: "ipct_denodir_" });
  await Deno.chown(denoDir, uid, uid);
  try {
    return await run("setpriv", [
      `--reuid=${uid}`,
      `--regid=${uid}`,
      "--clear-groups",
      Deno.execPath(),
      "run",
      "--allow-ffi",
      CLI,
      ...args,
    ], { env: { NO_COLOR: "1", DENO_DIR: denoDir } });
  } finally {
    await Deno.remove(denoDir, { recursive: true });
  }
}
