// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The process environment through the host seam: `Deno.env` on Deno,
 * `process.env` on Node.js and Bun. A variable removed here is removed from
 * the C library's `environ` too (Bun's `process.env` is a copy of it: the
 * removal calls `unsetenv(3)` as well), so no child process inherits it.
 *
 * @module
 */
import { backend, cstring, libc } from "./libc.ts";

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
  return {
    get: (name) => env[name],
    delete: (name) => {
      delete env[name];
      libc().unsetenv(cstring(name));
    },
  };
}

/** The value of environment variable `name`, or undefined. */
export function getEnv(name: string): string | undefined {
  return host().get(name);
}

/** Remove environment variable `name` (no error when it is not set). */
export function unsetEnv(name: string): void {
  host().delete(name);
}
