// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The process environment through the host seam: `Deno.env` on Deno,
 * `process.env` on Node.js and Bun. Both change the C library's `environ`
 * too, so a variable removed here is not inherited by child processes.
 *
 * @module
 */
import { host } from "./host.ts";

/** The value of environment variable `name`, or undefined. */
export function getEnv(name: string): string | undefined {
  return host().env.get(name);
}

/** Remove environment variable `name` (no error when it is not set). */
export function unsetEnv(name: string): void {
  host().env.delete(name);
}
