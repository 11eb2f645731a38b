// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private helpers shared by the signal senders: argument checks.
 *
 * @module
 */

/** Check a pid argument's shape: an integer in the pid_t range. */
export function checkPid(pid: unknown, action: string): number {
  if (typeof pid !== "number" || !Number.isInteger(pid)) {
    throw new TypeError(`Cannot ${action}: pid ${show(pid)} is not an integer`);
  }
  if (pid < -0x8000_0000 || pid > 0x7fff_ffff) {
    throw new RangeError(`Cannot ${action}: pid ${pid} is outside the pid_t range`);
  }
  return pid;
}

/**
 * Check a `sigval` value: an integer number fitting C `int` (read by the
 * receiver as `si_value.sival_int`), or a bigint fitting 64 bits (read as
 * `si_value.sival_ptr`). Returns it as the signed 64-bit word the kernel gets.
 */
export function checkValue(value: unknown, action: string): bigint {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) {
      throw new TypeError(`Cannot ${action}: value ${value} is not an integer`);
    }
    if (value < -0x8000_0000 || value > 0x7fff_ffff) {
      throw new RangeError(
        `Cannot ${action}: value ${value} does not fit a C int (use a bigint for 64 bits)`,
      );
    }
    return BigInt(value);
  }
  if (typeof value === "bigint") {
    if (value < -(1n << 63n) || value >= (1n << 64n)) {
      throw new RangeError(`Cannot ${action}: value ${value} does not fit 64 bits`);
    }
    return BigInt.asIntN(64, value);
  }
  throw new TypeError(
    `Cannot ${action}: value ${show(value)} is not a number or bigint`,
  );
}

/** Quote a bad argument for an error message, whatever its type. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  try {
    return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
