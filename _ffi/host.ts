// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: which runtime this is, decided once, here and nowhere else. Every
 * other module asks {@linkcode host} for what differs between runtimes.
 *
 * @module
 */
import type { Host } from "./_backend.ts";
import { bunHost } from "./_bun.ts";
import { denoHost } from "./_deno.ts";
import { nodeHost } from "./_node.ts";

export type { Host } from "./_backend.ts";

let chosen: Host | undefined;

/**
 * The host for the running runtime, chosen on first use by looking at the
 * globals (no permission needed): Deno, else Bun, else Node.js.
 */
export function host(): Host {
  if (chosen) return chosen;
  const g = globalThis as { Deno?: { dlopen?: unknown }; Bun?: unknown };
  if (typeof g.Deno?.dlopen === "function") return chosen = denoHost();
  if (g.Bun !== undefined) return chosen = bunHost();
  return chosen = nodeHost();
}
