// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the descriptor-based Channel factories (an anonymous memfd
 * channel, and attaching one received as a descriptor).
 *
 * @module
 */
import { errors } from "../_ffi/mod.ts";
import { Mapping } from "./_mapping.ts";
import { closeQuietly } from "./_object_file.ts";
import {
  checkCapacity,
  checkRecordSize,
  checkSpin,
  mapChannel,
  writeHeader,
} from "./_channel_setup.ts";
import { checkReceivedFd, createMemfd } from "./_anonymous.ts";
import * as L from "./_layout.ts";
import type { ChannelAnonymousOptions, ChannelFromFdOptions } from "./types.ts";

/** Builds the channel over `mapping`, owning `fd` (the private constructor). */
export type MakeChannel<T> = (mapping: Mapping, spin: number, fd: number) => T;

/** The body of `Channel.anonymous`; `fd` is closed when `make` fails. */
export function anonymousChannel<T>(options: ChannelAnonymousOptions, make: MakeChannel<T>): T {
  const spin = checkSpin(options.spin, "create an anonymous channel");
  const capacity = checkCapacity(options.capacity, "(anonymous)");
  const record = checkRecordSize(options.recordSize, capacity, "create an anonymous channel");
  const fd = createMemfd(L.HEADER_SIZE + capacity, options, "create an anonymous channel");
  try {
    const mapping = Mapping.map(fd, L.HEADER_SIZE + capacity, true, "memfd");
    writeHeader(mapping, capacity, options.multiProducer ?? false, record);
    return make(mapping, spin, fd);
  } catch (err) {
    closeQuietly(fd);
    throw err;
  }
}

/** The body of `Channel.fromFd`; on failure `fd` stays open, the caller's. */
export function fdChannel<T>(fd: number, options: ChannelFromFdOptions, make: MakeChannel<T>): T {
  const spin = checkSpin(options.spin, "adopt a channel");
  const what = "attach a channel";
  const record = checkRecordSize(options.recordSize, L.MAX_CAPACITY, what);
  const { size, writable } = checkReceivedFd(
    fd,
    { requireSeal: options.requireSeal ?? true, minSize: L.HEADER_SIZE },
    what,
  );
  if (!writable) {
    throw new errors.InvalidData(`Cannot ${what} from fd ${fd}: it is not writable`);
  }
  return make(mapChannel(fd, size, `fd ${fd}`, record), spin, fd);
}
