// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the Channel's shared-memory layout (version 2). Documented for
 * other languages in docs/shm.md. All fields are little-endian 32-bit words,
 * given here as Int32Array indices. Hot counters sit on their own 64-byte
 * cache lines so the producer and the consumer do not false-share.
 *
 * Version 2 added RECORD_SIZE (a word version 1 left 0): 0 for a ring of
 * length-prefixed messages, else the size of every record of a ring of
 * fixed-size records, stored back to back without any prefix.
 *
 * @module
 */

/** "IPCL" read as a little-endian u32. */
export const MAGIC = 0x4c435049;
/** Layout version; an attacher refuses any other. */
export const VERSION = 2;
/** Bytes before the ring. */
export const HEADER_SIZE = 512;

// Line 0: immutable after creation (except STATE).
export const I_MAGIC = 0;
export const I_VERSION = 1;
export const I_HEADER_SIZE = 2;
export const I_CAPACITY = 3;
export const I_FLAGS = 4;
export const I_CREATOR_PID = 5;
/** The creator's logical size: header + ring, in bytes. */
export const I_TOTAL_SIZE = 6;
export const I_STATE = 7;
/** 0: length-prefixed messages; else every record's size (a power of two, 8..capacity/2). */
export const I_RECORD_SIZE = 8;
// Line 1: written by the producer only.
export const I_TAIL = 16;
// Line 2: written by the consumer only.
export const I_HEAD = 32;
// Line 3: the consumer's sleep. It sets WAITING (a full fence), re-checks
// TAIL, then sleeps on EPOCH, at most 1 ms the first time of a wait; after
// each publish the producer reads WAITING and, if it is set, swaps it to 0,
// bumps EPOCH and wakes it. (On x86-64 the producer has no fence between
// its TAIL store and that read: a racing wake-up may be missed, which the
// consumer's short first sleep bounds; see _ring_core.ts.)
export const I_CONSUMER_WAITING = 48;
export const I_CONSUMER_EPOCH = 49;
// Line 4: a producer's sleep, the same way round.
export const I_PRODUCER_WAITING = 64;
export const I_PRODUCER_EPOCH = 65;
// Line 5: roles.
export const I_PRODUCER_TOKEN = 80;
export const I_PRODUCER_PID = 81;
export const I_CONSUMER_TOKEN = 82;
export const I_CONSUMER_PID = 83;
/** Multi-producer lock: 0, or the pid of the process inside a send. */
export const I_LOCK = 84;

/** FLAGS bit: producers serialise through I_LOCK. */
export const FLAG_MULTI_PRODUCER = 1;
/** STATE bit: the producer called end(). */
export const STATE_ENDED = 1;

/** A length word meaning "skip to the start of the ring". */
export const WRAP = -1;
/** Smallest and largest ring capacity. */
export const MIN_CAPACITY = 4096;
export const MAX_CAPACITY = 1 << 30;
/** Smallest record size of a fixed-record ring (the largest is half the capacity). */
export const MIN_RECORD = 8;

/** Whether `record` is a valid record size for a ring of `capacity` bytes. */
export function validRecord(record: number, capacity: number): boolean {
  return Number.isInteger(record) && record >= MIN_RECORD && record <= capacity / 2 &&
    (record & (record - 1)) === 0;
}

/** Bytes a message of `length` takes in the ring (4-byte prefix, 4-aligned). */
export function frameSize(length: number): number {
  return (length + 7) & ~3;
}
