// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: a short synchronous sleep of the calling thread, for the few
 * bounded waits that must finish before a synchronous call returns (an
 * open that finds an object still being made). `Atomics.wait` on a word
 * nobody ever notifies: Deno, Node and Bun allow it on the main thread.
 *
 * @module
 */

const parked = new Int32Array(new SharedArrayBuffer(4));

/** Block the calling thread for `ms` milliseconds (fractions allowed). */
export function sleepSync(ms: number): void {
  Atomics.wait(parked, 0, 0, ms);
}
