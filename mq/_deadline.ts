// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: when a brief sleep on the main thread ends.
 *
 * `mq_timedreceive`/`mq_timedsend` sleep until an absolute CLOCK_REALTIME
 * deadline, on a high-resolution timer with no slack. A deadline that falls
 * before the CPU's next scheduler tick becomes the CPU's first timer: arming
 * it and cancelling it (when a message ends the sleep early, the common
 * case) each reprogram the clock-event device, a VM exit under KVM. Measured
 * in C on a 2-vCPU Firecracker guest (HZ=250, nested), per round trip of a
 * blocking ping-pong: +14 µs with deadlines 200 µs away, +8 at 1 ms, +3 at
 * 3 ms, none at 5 ms or beyond the tick (bench/mq_bench.ts has the rows).
 *
 * So a deadline is rounded up to 20 µs past a scheduler tick: the kernel
 * puts every CPU's tick on the multiples of the tick period of
 * CLOCK_MONOTONIC (Linux ≥ 5.14 aligns them so; `skew_tick=1` would
 * offset them), and the period is the resolution of the coarse clocks.
 * Such a timer is never the CPU's first while the tick is pending, and
 * wakes-ups are as fast as a blocking C program's. The price: the sleep
 * lasts up to one tick longer than asked (4 ms at HZ=250) when nothing
 * comes. Where the tick is longer than 4 ms (HZ=100) or unknown, deadlines
 * are not rounded.
 *
 * @module
 */
import { libc } from "../_ffi/mod.ts";
import { CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_REALTIME } from "../_ffi/constants.ts";
import { TIMESPEC_SIZE } from "../_ffi/struct.ts";

/** How far past a tick a rounded deadline falls (the tick's own handler runs first). */
const PAST_TICK_NS = 20_000n;
/** Ticks longer than this (HZ below 250) are not waited for. */
const LONGEST_TICK_NS = 4_000_000n;
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

/** Writes absolute CLOCK_REALTIME deadlines into one reused timespec. */
export class Deadline {
  /** The timespec the kernel reads. */
  readonly bytes: Uint8Array = new Uint8Array(TIMESPEC_SIZE);
  readonly #real = new BigInt64Array(this.bytes.buffer);
  readonly #monoBytes = new Uint8Array(TIMESPEC_SIZE);
  readonly #mono = new BigInt64Array(this.#monoBytes.buffer);

  /**
   * Set the deadline `ns` nanoseconds from now; with `round`, moved on to
   * 20 µs past the first scheduler tick after that.
   */
  in(ns: number, round: boolean): Uint8Array {
    const lib = libc();
    let delay = BigInt(Math.round(ns));
    const tick = round ? tickPeriod() : 0n;
    if (tick > 0n) {
      lib.clock_gettime(CLOCK_MONOTONIC, this.#monoBytes);
      const mono = this.#mono[0]! * SECOND + this.#mono[1]!;
      delay = ((mono + delay) / tick + 1n) * tick + PAST_TICK_NS - mono;
    }
    lib.clock_gettime(CLOCK_REALTIME, this.bytes);
    const nsec = this.#real[1]! + delay;
    this.#real[0] = this.#real[0]! + nsec / SECOND;
    this.#real[1] = nsec % SECOND;
    return this.bytes;
  }
}
