// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the bounded waits that must finish before a synchronous call
 * returns (an open that finds an object still being made), and the short
 * synchronous sleep between their looks. `Atomics.wait` on a word
 * nobody ever notifies: Deno, Node and Bun allow it on the main thread.
 *
 * @module
 */

const parked = new Int32Array(new SharedArrayBuffer(4));

/** Block the calling thread for `ms` milliseconds (fractions allowed). */
function sleepSync(ms: number): void {
  Atomics.wait(parked, 0, 0, ms);
}

/**
 * Call `look` until `settled` accepts what it found or `ms` milliseconds
 * have passed, sleeping synchronously in between (50 µs at first, doubling
 * up to 5 ms): an open waiting, boundedly, for an object its creator is
 * still making. Returns the last thing found.
 */
export function lookUntil<T>(ms: number, look: () => T, settled: (found: T) => boolean): T {
  const deadline = performance.now() + ms;
  let nap = 0.05;
  for (;;) {
    const found = look();
    const left = deadline - performance.now();
    if (settled(found) || left <= 0) return found;
    sleepSync(Math.min(nap, left));
    nap = Math.min(nap * 2, 5);
  }
}
