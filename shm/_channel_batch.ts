// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: a Channel's batch operations (many messages per call, one
 * publication or hand-back and one wake-up check for all of them), and those
 * of fixed-record channels (records back to back: one copy, two at the
 * ring's wrap).
 *
 * @module
 */
import { checkInteger } from "../_ffi/validate.ts";
import { checkSpin, MAX_SPIN } from "./_channel_setup.ts";
import type { ChannelGuard } from "./_channel_guard.ts";
import type { ChannelWaiter } from "./_channel_wait.ts";
import type { Ring } from "./_ring.ts";
import type { ChannelTryOptions } from "./types.ts";

/** The body of `Channel.trySendBatch`. */
export function trySendBatch(
  ring: Ring,
  guard: ChannelGuard,
  waits: ChannelWaiter,
  data: Uint8Array,
  lengths: ArrayLike<number>,
  count: number,
): number {
  if (!guard.canSend || !(data instanceof Uint8Array) || (ring.multi && ring.ended)) {
    guard.prepareSend(data);
  }
  if (
    typeof lengths !== "object" || lengths === null || (count >>> 0) !== count ||
    !(count <= lengths.length)
  ) refuseBatch(lengths, count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const len = lengths[i]!;
    if (!(len >= 0 && Number.isInteger(len))) {
      throw new RangeError(`Cannot send on channel: length ${String(len)} is not a size`);
    }
    if (len > ring.maxMessage || len < ring.minMessage) guard.badSize(len);
    total += len;
  }
  if (total > data.length) {
    throw new RangeError(
      `Cannot send on channel: the lengths add up to ${total} bytes, more than the ${data.length} given`,
    );
  }
  if (waits.sends.pending !== 0) return 0; // keep order behind waiting sends
  return ring.trySendBatch(data, lengths, count);
}

/** Throw the error of a `trySendBatch` whose lengths or count are not usable. */
function refuseBatch(lengths: unknown, count: unknown): never {
  const length = (lengths as { length?: unknown } | null)?.length;
  if (typeof lengths !== "object" || lengths === null || typeof length !== "number") {
    throw new TypeError(
      `Cannot send on channel: lengths must be an array of sizes, got ${
        lengths === null ? "null" : typeof lengths
      }`,
    );
  }
  checkInteger(count, "send on channel", "count", 0, length);
  throw new RangeError(`Cannot send on channel: count ${count} is not an integer in 0..${length}`);
}

/** The body of `Channel.tryReceiveBatch`. */
export function tryReceiveBatch(
  ring: Ring,
  guard: ChannelGuard,
  waits: ChannelWaiter,
  buffer: Uint8Array,
  lengths: Uint32Array,
  options: ChannelTryOptions | undefined,
): number {
  if (!guard.canReceive || !(buffer instanceof Uint8Array)) guard.prepareReceive(buffer);
  if (!(lengths instanceof Uint32Array)) {
    throw new TypeError("Cannot receive on channel: lengths must be a Uint32Array");
  }
  const spin = options?.spin === undefined ? 0 : checkSpin(options.spin, "use channel");
  if (waits.receives.pending !== 0) return 0;
  let n = ring.takeBatch(buffer, lengths);
  if (n === 0 && spin > 0 && waits.spinForDataFor(spin)) {
    n = ring.takeBatch(buffer, lengths);
  }
  if (n < 0) {
    // It does not fit: takeInto throws. (A peer that rewrote the ring since
    // may have made it fit, or garbled the tail: -1. Then report what was taken.)
    const len = ring.peekLength();
    if (len < 0) return 0;
    lengths[0] = guard.takeInto(buffer, len);
    return 1;
  }
  return n;
}

/**
 * The body of `Channel.trySendRecords`. Its hot path is one check of the
 * handle's state and one of the arguments, then the ring: every error is
 * found and thrown out of line, by {@linkcode refuseSendRecords}.
 */
export function trySendRecords(
  ring: Ring,
  guard: ChannelGuard,
  waits: ChannelWaiter,
  data: Uint8Array,
  count: number | undefined,
): number {
  if (!guard.canSend || !(data instanceof Uint8Array) || (ring.multi && ring.ended)) {
    guard.prepareSend(data);
  }
  const record = ring.record, length = data.length;
  if (
    record === 0 ||
    (count === undefined
      ? length % record !== 0
      : (count >>> 0) !== count || count * record > length)
  ) refuseSendRecords(guard, record, length, count);
  if (waits.sends.pending !== 0) return 0; // keep order behind waiting sends
  return ring.trySendRecords(data, count === undefined ? length / record : count);
}

/** Throw the error of a bad `trySendRecords` call. */
function refuseSendRecords(
  guard: ChannelGuard,
  record: number,
  length: number,
  count: number | undefined,
): never {
  guard.records("send records on"); // TypeError: not a channel of records
  if (count === undefined) {
    throw new RangeError(
      `Cannot send records on channel: ${length} bytes are not a whole number of ${record}-byte records`,
    );
  }
  const whole = Math.floor(length / record);
  checkInteger(count, "send records on channel", "count", 0, whole);
  throw new RangeError(
    `Cannot send records on channel: count ${count} is not an integer in 0..${whole}`,
  );
}

/**
 * The body of `Channel.tryReceiveRecords`, with the same hot path (errors
 * out of line, in {@linkcode refuseReceiveRecords}).
 */
export function tryReceiveRecords(
  ring: Ring,
  guard: ChannelGuard,
  waits: ChannelWaiter,
  buffer: Uint8Array,
  options: ChannelTryOptions | undefined,
): number {
  if (!guard.canReceive || !(buffer instanceof Uint8Array)) guard.prepareReceive(buffer);
  const spin = options?.spin;
  const record = ring.record;
  if (
    record === 0 || buffer.length < record ||
    (spin !== undefined && ((spin >>> 0) !== spin || spin > MAX_SPIN))
  ) refuseReceiveRecords(guard, record, buffer.length, spin);
  if (waits.receives.pending !== 0) return 0;
  const n = ring.takeRecords(buffer);
  if (n !== 0 || spin === undefined || spin === 0 || !waits.spinForDataFor(spin)) return n;
  return ring.takeRecords(buffer);
}

/** Throw the error of a bad `tryReceiveRecords` call. */
function refuseReceiveRecords(
  guard: ChannelGuard,
  record: number,
  length: number,
  spin: unknown,
): never {
  guard.records("receive records on"); // TypeError: not a channel of records
  if (length < record) {
    throw new RangeError(
      `Cannot receive records on channel: a buffer of ${length} bytes holds no ${record}-byte record`,
    );
  }
  checkSpin(spin, "use channel");
  throw new RangeError(`Cannot use channel: spin ${spin} is not an integer in 0..${MAX_SPIN}`);
}
