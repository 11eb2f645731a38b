// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Demo helper: runs a TypeScript snippet in a child Deno process with only
 * the permissions it needs (`deno eval` would grant them all): the snippet is
 * fed to `deno run -` through the child's stdin.
 *
 * @module
 */

/**
 * Spawns `command args` (whose Deno is run as `deno run --ext=ts <permissions> - …`)
 * and writes `code` to its stdin.
 */
export function spawnScript(
  command: string,
  args: string[],
  code: string,
  output: { stdout?: "piped" | "null" | "inherit"; stderr?: "piped" | "null" | "inherit" } = {},
): Deno.ChildProcess {
  const child = new Deno.Command(command, { args, stdin: "piped", ...output }).spawn();
  const writer = child.stdin.getWriter();
  writer.write(new TextEncoder().encode(code)).then(() => writer.close()).catch(() => {
    // the child died before reading its code: its status says so
  });
  return child;
}

/** `deno run` arguments for a snippet read from stdin, with `permissions` only. */
export function denoScript(permissions: string[], args: string[] = []): string[] {
  return ["run", "--ext=ts", ...permissions, "-", ...args];
}
