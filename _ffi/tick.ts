// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the scheduler tick, and delays lengthened to end just past it
 * (the brief sleeps of `mq/_wait.ts` and `uds/_spin.ts`).
 *
 * `mq_timedreceive`/`mq_timedsend` sleep until an absolute CLOCK_REALTIME
 * deadline, on a high-resolution timer with no slack. A deadline that falls
 * before the CPU's next scheduler tick becomes the CPU's first timer: arming
 * it and cancelling it (when a message ends the sleep early, the common
 * case) each reprogram the clock-event device, a VM exit under KVM. Measured
 * in C on a 2-vCPU Firecracker guest (HZ=250, nested), per round trip of a
 * blocking ping-pong: +14 µs with deadlines 200 µs away, +8 at 1 ms, +3 at
 * 3 ms, none at 5 ms or beyond the tick (bench/mq_bench.ts has the rows; a `ppoll` ping-pong with 200 µs
 * timeouts measured 74 µs per round trip where one with timeouts past the
 * tick took 7 µs).
 *
 * So a delay is lengthened up to 20 µs past a scheduler tick: the kernel
 * puts every CPU's tick on the multiples of the tick period of
 * CLOCK_MONOTONIC (Linux ≥ 5.14 aligns them so; `skew_tick=1` would
 * offset them), and the period is the resolution of the coarse clocks.
 * Such a timer is never the CPU's first while the tick is pending, and
 * wakes-ups are as fast as a blocking C program's. The price: the sleep
 * lasts up to one tick longer than asked (4 ms at HZ=250) when nothing
 * comes. Where the tick is longer than 4 ms (HZ=100) or unknown, deadlines
 * are not lengthened.
 *
 * @module
 */
import { libc } from "./libc.ts";
import { CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_REALTIME } from "./constants.ts";
import { TIMESPEC_SIZE } from "./struct.ts";

/** How far past a tick a rounded deadline falls (the tick's own handler runs first). */
const PAST_TICK_NS = 20_000n;
/** Ticks longer than this (HZ below 250) are not waited for. */
const LONGEST_TICK_NS = 4_000_000n;
/**
 * The widest gap between the two CLOCK_MONOTONIC reads around a
 * CLOCK_REALTIME one that {@linkcode realPastTick} takes as one instant
 * (about 0.1 µs unless the thread is preempted between them).
 */
export const CLOCK_PAIR_SPREAD_NS = 10_000n;
/** How many times {@linkcode realPastTick} reads the clocks for a pair that close. */
const CLOCK_PAIR_TRIES = 4;
const SECOND = 1_000_000_000n;

/** The tick period in ns, 0n when deadlines are not rounded; undefined before it is read. */
let tickNs: bigint | undefined;

/** The scheduler tick's period, or 0n when unknown or too long to wait for. */
export function tickPeriod(): bigint {
  if (tickNs !== undefined) return tickNs;
  const res = new BigInt64Array(TIMESPEC_SIZE / 8);
  if (libc().clock_getres(CLOCK_MONOTONIC_COARSE, new Uint8Array(res.buffer)) !== 0) {
    return tickNs = 0n;
  }
  const period = res[0]! * SECOND + res[1]!;
  return tickNs = period > 0n && period <= LONGEST_TICK_NS ? period : 0n;
}

/** Three timespecs: CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_MONOTONIC again. */
const clocks = new BigInt64Array(3 * TIMESPEC_SIZE / 8);
const monoBytes = new Uint8Array(clocks.buffer, 0, TIMESPEC_SIZE);
const realBytes = new Uint8Array(clocks.buffer, TIMESPEC_SIZE, TIMESPEC_SIZE);
const monoAfterBytes = new Uint8Array(clocks.buffer, 2 * TIMESPEC_SIZE, TIMESPEC_SIZE);

/** The CLOCK_MONOTONIC time, 20 µs past the first multiple of `tick` after `now + delay`. */
function tickAfter(now: bigint, delay: bigint, tick: bigint): bigint {
  return ((now + delay) / tick + 1n) * tick + PAST_TICK_NS;
}

/**
 * `delay` ns from now, lengthened to end 20 µs past the first scheduler tick
 * after it; unchanged where the tick is unknown or longer than 4 ms.
 */
export function pastTick(delay: bigint): bigint {
  const tick = tickPeriod();
  if (tick === 0n) return delay;
  libc().clock_gettime(CLOCK_MONOTONIC, monoBytes);
  const now = clocks[0]! * SECOND + clocks[1]!;
  return tickAfter(now, delay, tick) - now;
}

/**
 * The CLOCK_REALTIME time (ns) `delay` ns from now, lengthened like
 * {@linkcode pastTick}: the deadline of `mq_timedreceive`/`mq_timedsend`.
 * Ticks fall on CLOCK_MONOTONIC, so the two clocks are read as one instant:
 * CLOCK_REALTIME between two CLOCK_MONOTONIC reads, again (a few times at
 * most) while those lie more than {@linkcode CLOCK_PAIR_SPREAD_NS} apart; a
 * preemption between separate reads would move the deadline off the tick by
 * as long as it lasted.
 */
export function realPastTick(delay: bigint): bigint {
  const lib = libc();
  const tick = tickPeriod();
  if (tick === 0n) {
    lib.clock_gettime(CLOCK_REALTIME, realBytes);
    return clocks[2]! * SECOND + clocks[3]! + delay;
  }
  let spread = 0n;
  let mono = 0n;
  let real = 0n;
  for (let tries = 0; tries < CLOCK_PAIR_TRIES; tries++) {
    lib.clock_gettime(CLOCK_MONOTONIC, monoBytes);
    lib.clock_gettime(CLOCK_REALTIME, realBytes);
    lib.clock_gettime(CLOCK_MONOTONIC, monoAfterBytes);
    const before = clocks[0]! * SECOND + clocks[1]!;
    const after = clocks[4]! * SECOND + clocks[5]!;
    if (tries === 0 || after - before < spread) {
      spread = after - before;
      mono = before + spread / 2n;
      real = clocks[2]! * SECOND + clocks[3]!;
    }
    if (spread <= CLOCK_PAIR_SPREAD_NS) break;
  }
  return real + tickAfter(mono, delay, tick) - mono;
}
