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
import { checkSpin } from "./_channel_setup.ts";
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
  if (n < 0) guard.takeInto(buffer, ring.peekLength()); // throws: it does not fit
  return n;
}

/** The body of `Channel.trySendRecords`. */
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
  const record = guard.records("send records on");
  const whole = Math.floor(data.length / record);
  if (count === undefined && whole * record !== data.length) {
    throw new RangeError(
      `Cannot send records on channel: ${data.length} bytes are not a whole number of ${record}-byte records`,
    );
  }
  const n = count === undefined
    ? whole
    : checkInteger(count, "send records on channel", "count", 0, whole);
  if (n === 0 || waits.sends.pending !== 0) return 0; // keep order behind waiting sends
  return ring.trySendRecords(data, n);
}

/** The body of `Channel.tryReceiveRecords`. */
export function tryReceiveRecords(
  ring: Ring,
  guard: ChannelGuard,
  waits: ChannelWaiter,
  buffer: Uint8Array,
  options: ChannelTryOptions | undefined,
): number {
  if (!guard.canReceive || !(buffer instanceof Uint8Array)) guard.prepareReceive(buffer);
  const record = guard.records("receive records on");
  if (buffer.length < record) {
    throw new RangeError(
      `Cannot receive records on channel: a buffer of ${buffer.length} bytes holds no ${record}-byte record`,
    );
  }
  const spin = options?.spin === undefined ? 0 : checkSpin(options.spin, "use channel");
  if (waits.receives.pending !== 0) return 0;
  const max = Math.floor(buffer.length / record);
  let n = ring.takeRecords(buffer, max);
  if (n === 0 && spin > 0 && waits.spinForDataFor(spin)) n = ring.takeRecords(buffer, max);
  return n;
}
