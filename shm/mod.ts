// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * POSIX shared memory, named semaphores and a cross-process message channel.
 *
 * - {@linkcode SharedMemory}: a named block of memory mapped by several
 *   processes (Deno, C, Python's `multiprocessing.shared_memory`), with its
 *   memory reserved at creation, exact sizes, read-only attach, and views
 *   that cannot crash the process after close.
 * - {@linkcode Semaphore}: POSIX named semaphores; waiting never blocks the
 *   event loop.
 * - {@linkcode Channel}: a fast ring of messages between processes.
 * - {@linkcode list} / {@linkcode sweep}: find and remove objects whose owner
 *   process died.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * @example A channel between two handles
 * ```ts
 * import assert from "node:assert/strict";
 * import { Channel } from "@ipc/linux/shm";
 *
 * using ch = Channel.create(`doc_mod_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
 * ch.trySend(new Uint8Array([1, 2, 3]));
 * assert.deepEqual(ch.tryReceive(), new Uint8Array([1, 2, 3]));
 * ```
 *
 * @module
 */
export * from "./shared_memory.ts";
export * from "./semaphore.ts";
export * from "./channel.ts";
export * from "./sweep.ts";
export type { AnonymousOptions, FromFdOptions } from "./_anonymous.ts";
export type {
  ChannelAnonymousOptions,
  ChannelCreateOptions,
  ChannelFromFdOptions,
  ChannelOpenOptions,
  ChannelTryOptions,
  ChannelWaitOptions,
  SemaphoreOpenOptions,
  SemaphoreWaitOptions,
  SharedMemoryCreateOptions,
  SharedMemoryOpenOptions,
} from "./types.ts";
