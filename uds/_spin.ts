// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the spin phase of a native socket's wait. Before a read waits on
 * the shared poll loop (a thread hop and a cross-CPU wake-up, tens of µs on
 * a busy machine), it retries the non-blocking call on the JavaScript thread
 * for up to `spin` µs, yielding the CPU in between (`sched_yield`, so a peer
 * waiting for this CPU runs at once). A reply that arrives within that time
 * is taken without any wake-up.
 *
 * Cost: up to `spin` µs of one CPU per wait that finds nothing, during which
 * the event loop does not run. After a few waits in a row that came up empty
 * (an idle peer), the spin shrinks to an eighth (all of it every eighth
 * time) until one succeeds again.
 *
 * The brief sleep that may follow ({@linkcode waitBriefly}: the native
 * stream transport's `syncWait`) costs no CPU: the kernel wakes this thread
 * directly when the socket turns readable, one wake-up where the poll loop
 * takes two; the event loop waits meanwhile.
 *
 * @module
 */
import { libc } from "../_ffi/libc.ts";
import { socketLib } from "../_ffi/socket.ts";
import { POLLIN } from "../_ffi/constants.ts";
import { pastTick } from "../_ffi/tick.ts";
import { MAX_WAIT_MICROS as MAX_SPIN } from "../_ffi/validate.ts";
import { wide } from "../_ffi/wide.ts";

/** Check a `spin` option (µs). */
export function checkSpin(value: unknown, action: string): number {
  const spin = value ?? 0;
  if (!Number.isInteger(spin) || (spin as number) < 0 || (spin as number) > MAX_SPIN) {
    throw new RangeError(
      `Cannot ${action}: spin ${String(value)} is not an integer in 0..${MAX_SPIN}`,
    );
  }
  return spin as number;
}

const MISSES_BEFORE_BACKOFF = 4;
/** While backing off, every PROBE_EVERY-th spin still gets the whole budget. */
const PROBE_EVERY = 8;
let misses = 0;

/** The clock is read every CLOCK_EVERY tries: `performance.now()` costs a third of a try. */
const CLOCK_EVERY = 8;

/**
 * Call `attempt` until it returns something other than `none`, for at most
 * `micros` µs (an eighth of it after repeated misses, but the whole of it
 * every eighth time: a peer that answers within the budget but not within
 * an eighth of it would otherwise never be caught again); returns `none` if
 * nothing came. The clock is read every {@linkcode CLOCK_EVERY} tries and
 * the µs count from the first read, as sysv/_wait.ts does: a spin makes at
 * least that many tries.
 */
export function spinUntil<T, N>(micros: number, attempt: () => T | N, none: N): T | N {
  const lib = libc();
  const budget = misses < MISSES_BEFORE_BACKOFF || misses % PROBE_EVERY === 0 ? micros : micros / 8;
  let deadline = 0;
  for (let tries = 1;; tries++) {
    lib.sched_yield();
    const result = attempt();
    if (result !== none) {
      misses = 0;
      return result;
    }
    if (tries % CLOCK_EVERY !== 0) continue;
    const now = performance.now();
    if (deadline === 0) deadline = now + budget / 1000;
    else if (now >= deadline) break;
  }
  misses++;
  return none;
}

/** The native stream transport's `syncWait` when none is given (µs), as `MessageQueue`'s. */
export const DEFAULT_SYNC_WAIT = 200;

/** Room for the socket and 64 more (uds/_spin_conn.ts watches at most 64 others). */
const POLLFDS = 65;
const pollfd = new Uint8Array(new ArrayBuffer(8 * POLLFDS));
const pollView = new DataView(pollfd.buffer);
const timeout = new BigInt64Array(2);
const timeoutBytes = new Uint8Array(timeout.buffer);
const NONE: ReadonlySet<number> = new Set();

/** Make entry `i` of the pollfd array watch `fd` for input. */
function watch(i: number, fd: number): void {
  pollView.setInt32(i * 8, fd, true);
  pollView.setInt16(i * 8 + 4, POLLIN, true);
  pollView.setInt16(i * 8 + 6, 0, true);
}

/**
 * Sleep on the JavaScript thread until `fd` is readable or `micros` µs have
 * passed (`ppoll`: the kernel wakes this thread directly, as a blocking C
 * read would; no CPU is used meanwhile, but the event loop waits). The sleep
 * also ends when one of `others` (at most 64 more descriptors; `fd` among
 * them is skipped) is readable. Returns whether `fd` was reported ready.
 */
export function sleepUntilReadable(
  fd: number,
  micros: number,
  others: ReadonlySet<number> = NONE,
): boolean {
  if (micros <= 0) return false;
  watch(0, fd);
  let n = 1;
  for (const other of others) {
    if (n === POLLFDS) break;
    if (other !== fd) watch(n++, other);
  }
  timeout[0] = BigInt(Math.floor(micros / 1e6));
  timeout[1] = BigInt(Math.round((micros % 1e6) * 1000));
  return socketLib().ppoll(pollfd, wide(n), timeoutBytes, null) > 0 &&
    pollView.getInt16(6, true) !== 0;
}

/**
 * `micros` µs, lengthened to end 20 µs past the first scheduler tick after
 * them (`_ffi/tick.ts`: a sleep's timer before the CPU's next tick costs
 * VM exits; the price, a sleep that nothing ends lasts up to one tick
 * longer, 4 ms at HZ=250).
 */
export function afterTick(micros: number): number {
  return Number(pastTick(BigInt(Math.round(micros * 1000)))) / 1000;
}

/**
 * {@linkcode spinUntil} for `spin` µs, then sleep in the kernel on the
 * JavaScript thread for up to `syncWait` µs ({@linkcode sleepUntilReadable}:
 * ended early when one of `others` is readable), retrying `attempt`
 * whenever `fd` is reported readable. A peer that
 * answers meanwhile hands its bytes over as to a blocked C program: no
 * thread hop, no event-loop wake-up. While answers come, the sleep ends just
 * past a scheduler tick ({@linkcode afterTick}); after repeated misses it,
 * like the spin, shrinks to an eighth (all of it every eighth time) and is
 * not rounded.
 */
export function waitBriefly<T, N>(
  fd: number,
  spin: number,
  syncWait: number,
  attempt: () => T | N,
  none: N,
  others?: ReadonlySet<number>,
): T | N {
  if (spin > 0) {
    const result = spinUntil(spin, attempt, none);
    if (result !== none || syncWait <= 0) return result;
    misses--; // counted once, below
  }
  const hot = misses < MISSES_BEFORE_BACKOFF;
  const budget = hot || misses % PROBE_EVERY === 0 ? syncWait : syncWait / 8;
  // While answers come, the sleep ends just past a scheduler tick (see afterTick).
  const first = hot ? afterTick(budget) : budget;
  const deadline = performance.now() + first / 1000;
  for (let left = first; left > 0; left = (deadline - performance.now()) * 1000) {
    if (!sleepUntilReadable(fd, left, others)) break; // timed out, or another is readable
    const result = attempt();
    if (result !== none) {
      misses = 0;
      return result;
    }
  }
  misses++;
  return none;
}
