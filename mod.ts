// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Inter-process communication between processes on one Linux machine: Unix
 * domain sockets with a framed, versioned protocol (also over TCP), POSIX
 * message queues, POSIX shared memory with semaphores and a cross-process
 * channel, signals with values, and System V message queues, shared memory
 * and semaphore sets (`@ipc/linux/sysv`).
 *
 * Importing this module needs no permission; native code is loaded on first
 * use. Requires `--allow-ffi` permission for mq, shm, signals and sysv.
 *
 * What the library does can be watched on `node:diagnostics_channel`
 * ({@linkcode channels}: connections, requests, reconnects, waits that
 * slept); servers, clients and Channels also keep counters (`stats`).
 *
 * NOTE: This API is only available on Linux.
 *
 * @example Errors carry the errno name
 * ```ts
 * import assert from "node:assert/strict";
 * import { errors, OsError } from "@ipc/linux";
 *
 * assert.equal(errors.NotFound, Deno.errors.NotFound);
 * assert.equal(new OsError("x", 28, "ENOSPC").code, "ENOSPC");
 * ```
 *
 * @module
 */
export { errors, OsError } from "./_ffi/errors.ts";
export type { ErrorClass, ErrorClassName } from "./_ffi/errors.ts";
export * from "./diagnostics.ts";
