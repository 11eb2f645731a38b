// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the buffers a frame writer's queue (uds/_write_queue.ts) encodes
 * small frames into, and the pool they go back to.
 *
 * The accumulator of small frames starts at ACC_MIN bytes, taken on the
 * first frame, doubles up to ACC_MAX as frames fill it (jumps to ACC_MAX
 * when they queue behind a write in flight: a burst), and is given back once
 * everything is written: an idle connection holds none. Given-back ACC_MIN
 * buffers wait in a pool shared by every writer of the process (at most
 * POOL_MAX of them), so a connection answering one request at a time reuses
 * one instead of allocating one per reply.
 *
 * @module
 */
const ACC_MIN = 1024;
const ACC_MAX = 64 * 1024;
const POOL_MAX = 64;
const pool: Uint8Array[] = [];

/** The accumulator of a writer that holds none. */
export const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * The accumulator to follow `old` (EMPTY if none) with room for `need`
 * bytes: twice `old`, from ACC_MIN to ACC_MAX, or ACC_MAX at once in a
 * `burst`; an ACC_MIN one comes from the pool when it has one.
 */
export function renewAccumulator(old: Uint8Array, need: number, burst: boolean): Uint8Array {
  const grown = burst ? ACC_MAX : old.length === 0 ? ACC_MIN : Math.min(ACC_MAX, old.length * 2);
  return grown === ACC_MIN && need <= ACC_MIN
    ? pool.pop() ?? new Uint8Array(ACC_MIN)
    : new Uint8Array(Math.max(need, grown));
}

/** Gives back an accumulator no write uses any more (kept in the pool if it is ACC_MIN bytes). */
export function giveBack(acc: Uint8Array): void {
  if (acc.length === ACC_MIN && pool.length < POOL_MAX) pool.push(acc);
}
