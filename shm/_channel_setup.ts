// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: creating and attaching a Channel's shared memory (header written
 * and checked here), the ring its header shapes, and the check of its spin
 * option.
 *
 * @module
 */
import { lookUntil } from "../_ffi/sleep.ts";
import { checkAllowOtherOwner, checkMode, errors, inspect, libc } from "../_ffi/mod.ts";
import { checkInteger, MAX_WAIT_MICROS } from "../_ffi/validate.ts";
import { createMapped, CREATING_MS } from "./_create.ts";
import * as L from "./_layout.ts";
import { Mapping } from "./_mapping.ts";
import { closeQuietly, shmOpen } from "./_object_file.ts";
import { Ring } from "./_ring.ts";

/** The creation options that shape the shared memory. */
export interface ChannelShape {
  capacity?: number;
  mode?: number;
  multiProducer?: boolean;
  recordSize?: number;
}

/**
 * Validate, create exclusively, reserve, record the owner and write the
 * header (magic last, so an attacher sees all of it or none).
 */
export function createChannelMapping(posix: string, options: ChannelShape): Mapping {
  const capacity = checkCapacity(options.capacity, posix);
  const record = checkRecordSize(
    options.recordSize,
    capacity,
    `create channel ${JSON.stringify(posix)}`,
  );
  const mode = checkMode(options.mode ?? 0o600, `create channel ${JSON.stringify(posix)}`);
  const total = L.HEADER_SIZE + capacity;
  const { fd, mapping } = createMapped(
    posix,
    mode,
    total,
    `channel ${JSON.stringify(posix)}`,
    (created) => writeHeader(created, capacity, options.multiProducer ?? false, record),
  );
  closeQuietly(fd);
  return mapping;
}

/** Check a channel capacity: a power of two in range (1 MiB when undefined). */
export function checkCapacity(value: number | undefined, posix: string): number {
  const capacity = value ?? 1 << 20;
  if (
    !Number.isInteger(capacity) || capacity < L.MIN_CAPACITY || capacity > L.MAX_CAPACITY ||
    (capacity & (capacity - 1)) !== 0
  ) {
    throw new RangeError(
      `Cannot create channel ${
        JSON.stringify(posix)
      }: capacity ${capacity} is not a power of two in ${L.MIN_CAPACITY}..${L.MAX_CAPACITY}`,
    );
  }
  return capacity;
}

/**
 * Check the `recordSize` option: undefined (length-prefixed messages: 0), or
 * a power of two from 8 to half of `capacity` (so records tile the ring and
 * never straddle a 64-byte line). `capacity` is the one being created, or
 * {@linkcode L.MAX_CAPACITY} when only the value itself can be checked. Not
 * an integer: TypeError (the project's rule for integers); out of range or
 * not a power of two: RangeError.
 */
export function checkRecordSize(value: unknown, capacity: number, action: string): number {
  if (value === undefined) return 0;
  const record = checkInteger(value, action, "recordSize", L.MIN_RECORD, capacity / 2);
  if (!L.validRecord(record, capacity)) {
    throw new RangeError(
      `Cannot ${action}: recordSize ${record} is not a power of two from ${L.MIN_RECORD} to half the capacity (${
        capacity / 2
      })`,
    );
  }
  return record;
}

/** Write the header of a new channel (magic last, so an attacher sees all of it or none). */
export function writeHeader(
  mapping: Mapping,
  capacity: number,
  multiProducer: boolean,
  record: number,
): void {
  const i32 = new Int32Array(mapping.buffer);
  i32[L.I_RECORD_SIZE] = record;
  i32[L.I_VERSION] = L.VERSION;
  i32[L.I_HEADER_SIZE] = L.HEADER_SIZE;
  i32[L.I_CAPACITY] = capacity;
  i32[L.I_FLAGS] = multiProducer ? L.FLAG_MULTI_PRODUCER : 0;
  i32[L.I_CREATOR_PID] = libc().getpid();
  i32[L.I_TOTAL_SIZE] = L.HEADER_SIZE + capacity;
  Atomics.store(i32, L.I_MAGIC, L.MAGIC);
}

/**
 * The size of the object at `fd` (checked by `inspect`) once it looks like
 * a channel: while it is empty or its magic word is 0 (a creator between
 * its `shm_open` and its last header store: `Channel.create` reserves the
 * memory, up to 1 GiB, before it writes the header, magic last) it is looked
 * at again, for up to {@linkcode CREATING_MS}; then `mapChannel` judges what
 * is there.
 */
function settledSize(fd: number, what: string, allowOtherOwner: boolean): number {
  const word = new Uint8Array(4);
  return lookUntil(CREATING_MS, () => {
    const { size } = inspect(fd, what, { allowOtherOwner });
    if (size > L.HEADER_SIZE + L.MAX_CAPACITY) return { size, fresh: false }; // refused without a look
    const n = size < L.HEADER_SIZE ? 0 : Number(libc().pread(fd, word, 4n, 0n));
    return {
      size,
      fresh: size === 0 || (n === 4 && new DataView(word.buffer).getUint32(0, true) === 0),
    };
  }, (found) => !found.fresh).size;
}

/**
 * Attach and check, before trusting anything in it: a regular file owned by
 * this process's effective uid (unless `allowOtherOwner`), at least a header
 * long; then the header: magic, version, capacity and size.
 */
export function openChannelMapping(
  posix: string,
  options: { allowOtherOwner?: unknown; recordSize?: unknown },
): Mapping {
  const what = `channel ${JSON.stringify(posix)}`;
  const trustOther = checkAllowOtherOwner(options.allowOtherOwner, `open ${what}`);
  const record = checkRecordSize(options.recordSize, L.MAX_CAPACITY, `open ${what}`);
  const fd = shmOpen(posix, false, true, 0, what);
  try {
    const size = settledSize(fd, what, trustOther);
    const mapping = mapChannel(fd, size, what, record);
    closeQuietly(fd);
    return mapping;
  } catch (err) {
    closeQuietly(fd);
    throw err;
  }
}

/**
 * Map `size` bytes of `fd` and check the channel header there; throws
 * InvalidData (after unmapping) for anything that is not a channel, or not
 * of the record size `expected` (when not 0). `what` names it in messages
 * (e.g. `channel "/name"`).
 */
export function mapChannel(fd: number, size: number, what: string, expected: number): Mapping {
  const bad = (why: string) => new errors.InvalidData(`Cannot open ${what}: ${why}`);
  if (size < L.HEADER_SIZE) throw bad(`its size ${size} is smaller than a channel header`);
  if (size > L.HEADER_SIZE + L.MAX_CAPACITY) {
    // Not mapped to look: a peer's sparse object of terabytes would take that much address space.
    throw bad(`its size ${size} is over the largest channel (${L.HEADER_SIZE + L.MAX_CAPACITY})`);
  }
  const mapping = Mapping.map(fd, size, true, what);
  try {
    checkHeader(mapping, size, bad);
    const record = new Int32Array(mapping.buffer)[L.I_RECORD_SIZE]!;
    if (expected !== 0 && record !== expected) {
      const has = record === 0 ? "length-prefixed messages" : `records of ${record} bytes`;
      throw bad(`it holds ${has}, not the records of ${expected} bytes expected`);
    }
    return mapping;
  } catch (err) {
    mapping.unmap();
    throw err;
  }
}

/** Check a mapped channel header against the mapping's size. */
export function checkHeader(mapping: Mapping, size: number, bad: (why: string) => Error): void {
  const i32 = new Int32Array(mapping.buffer);
  if (Atomics.load(i32, L.I_MAGIC) !== L.MAGIC) throw bad("it is not a channel (bad magic)");
  if (i32[L.I_VERSION] !== L.VERSION) {
    throw bad(`layout version ${i32[L.I_VERSION]} is not the supported ${L.VERSION}`);
  }
  const capacity = i32[L.I_CAPACITY]!;
  const total = i32[L.I_TOTAL_SIZE];
  if (
    i32[L.I_HEADER_SIZE] !== L.HEADER_SIZE || (capacity & (capacity - 1)) !== 0 ||
    capacity < L.MIN_CAPACITY || total !== L.HEADER_SIZE + capacity || size !== total
  ) {
    throw bad(`its header (capacity ${capacity}, size ${total}) does not match its size ${size}`);
  }
  const record = i32[L.I_RECORD_SIZE]!;
  if (record !== 0 && !L.validRecord(record, capacity)) {
    throw bad(
      `its header's record size ${record} is not a power of two from ${L.MIN_RECORD} to half its capacity ${capacity}`,
    );
  }
}

/** The ring over an attached channel, shaped by its header (capacity, producers). */
export function channelRing(mapping: Mapping, name: string): Ring {
  const i32 = new Int32Array(mapping.buffer);
  const shape = {
    capacity: i32[L.I_CAPACITY]!,
    record: i32[L.I_RECORD_SIZE]!,
    multi: (i32[L.I_FLAGS]! & L.FLAG_MULTI_PRODUCER) !== 0,
    name,
  };
  return new Ring(mapping.buffer, shape, mapping.address, libc().getpid());
}

/** The largest `spin`, in µs. */
export const MAX_SPIN = MAX_WAIT_MICROS;

/** Validate the `spin` option (µs, an integer in 0..1000000; default 50). */
export function checkSpin(value: unknown, action: string): number {
  return value === undefined ? 50 : checkInteger(value, action, "spin", 0, MAX_SPIN);
}
