// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the one check of an integer argument or option, for every
 * mechanism, before any syscall.
 *
 * @module
 */

/**
 * The largest `spin` or `syncWait` (µs) any mechanism accepts: one second.
 * A longer spin burns a CPU for nothing a sleep would not do as well.
 */
export const MAX_WAIT_MICROS = 1_000_000;

/**
 * Check that `value` is an integer in `min..max`: a TypeError when it is not
 * an integer at all (a string, NaN, 1.5), a RangeError when it is out of
 * range (`Cannot <action>: <name> <value> is not an integer in <min>..<max>`).
 *
 * @param value The value given.
 * @param action What was being done, completing "Cannot …".
 * @param name The argument's or option's name.
 * @param min The smallest value allowed.
 * @param max The largest value allowed.
 * @returns The value.
 */
export function checkInteger(
  value: unknown,
  action: string,
  name: string,
  min: number,
  max: number,
): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    const shown = typeof value === "number" ? String(value) : typeof value;
    throw new TypeError(`Cannot ${action}: ${name} must be an integer, got ${shown}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`Cannot ${action}: ${name} ${value} is not an integer in ${min}..${max}`);
  }
  return value;
}
