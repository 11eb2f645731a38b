// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the only place that touches native code. Mechanisms import from
 * here; users never do.
 *
 * @module
 */
export * from "./libc.ts";
export * from "./errno.ts";
export * from "./errors.ts";
export * from "./names.ts";
export * from "./poller.ts";
export type { Backend, Pointer } from "./_backend.ts";
export * from "./fs.ts";
export * from "./trust.ts";
export * from "./env.ts";
