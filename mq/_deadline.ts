// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: when a brief sleep on the main thread ends: an absolute
 * CLOCK_REALTIME deadline for `mq_timedreceive`/`mq_timedsend`, rounded
 * past a scheduler tick where asked (see `_ffi/tick.ts` for why).
 *
 * @module
 */
import { libc } from "../_ffi/mod.ts";
import { CLOCK_REALTIME } from "../_ffi/constants.ts";
import { TIMESPEC_SIZE } from "../_ffi/struct.ts";
import { realPastTick } from "../_ffi/tick.ts";

const SECOND = 1_000_000_000n;

/** Writes absolute CLOCK_REALTIME deadlines into one reused timespec. */
export class Deadline {
  /** The timespec the kernel reads. */
  readonly bytes: Uint8Array = new Uint8Array(TIMESPEC_SIZE);
  readonly #real = new BigInt64Array(this.bytes.buffer);

  /**
   * Set the deadline `ns` nanoseconds from now; with `round`, moved on to
   * 20 µs past the first scheduler tick after that.
   */
  in(ns: number, round: boolean): Uint8Array {
    const delay = BigInt(Math.round(ns));
    if (round) {
      const at = realPastTick(delay);
      this.#real[0] = at / SECOND;
      this.#real[1] = at % SECOND;
      return this.bytes;
    }
    libc().clock_gettime(CLOCK_REALTIME, this.bytes);
    const nsec = this.#real[1]! + delay;
    this.#real[0] = this.#real[0]! + nsec / SECOND;
    this.#real[1] = nsec % SECOND;
    return this.bytes;
  }
}
