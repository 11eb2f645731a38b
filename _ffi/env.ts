// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The process environment through the host seam: `Deno.env` on Deno,
 * `process.env` on Node.js and Bun. A variable removed here is removed from
 * the C library's `environ` too (Bun's `process.env` is a copy of it: the
 * removal calls `unsetenv(3)` as well), so no child process inherits it.
 *
 * @module
 */
import { host } from "./host.ts";
import { cstring, libc } from "./libc.ts";

/** The value of environment variable `name`, or undefined. */
export function getEnv(name: string): string | undefined {
  return host().env.get(name);
}

/** Remove environment variable `name` (no error when it is not set). */
export function unsetEnv(name: string): void {
  host().env.delete(name);
  // Bun's process.env does not reach the C library's environment: unsetenv(3)
  // makes sure native code, and children started from it, no longer see it
  // (already done by Deno and Node; harmless there).
  libc().unsetenv(cstring(name));
}
