// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: a Channel's batch operations (many messages per call, one
 * publication or hand-back and one wake-up check for all of them).
 *
 * @module
 */
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
    if (len > ring.maxMessage) guard.tooBig(len);
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
