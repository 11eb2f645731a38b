// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The process environment through the host seam: `Deno.env` on Deno,
 * `process.env` on Node.js and Bun. Both change the C library's `environ`
 * too, so a variable removed here is not inherited by child processes.
 *
 * @module
 */
import { backend } from "./libc.ts";

interface Env {
  get(name: string): string | undefined;
  delete(name: string): void;
}

function host(): Env {
  const g = globalThis as {
    Deno?: { env: Env };
    process?: { env: Record<string, string | undefined> };
  };
  if (backend().runtime === "deno") return g.Deno!.env;
  const env = g.process!.env;
  return { get: (name) => env[name], delete: (name) => void delete env[name] };
}

/** The value of environment variable `name`, or undefined. */
export function getEnv(name: string): string | undefined {
  return host().get(name);
}

/** Remove environment variable `name` (no error when it is not set). */
export function unsetEnv(name: string): void {
  host().delete(name);
}
