// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A cross-process message channel in POSIX shared memory.
 *
 * @module
 */
import { errors, posixName } from "../_ffi/mod.ts";
import { registerMapping } from "../_ffi/futex.ts";
import type { Mapping } from "./_mapping.ts";
import { closeQuietly, fileId, SHM_DIR, shmUnlink, unlinkIfSame } from "./_object_file.ts";
import {
  channelRing,
  checkSpin,
  createChannelMapping,
  openChannelMapping,
} from "./_channel_setup.ts";
import { anonymousChannel, fdChannel } from "./_channel_fd.ts";
import {
  tryReceiveBatch,
  tryReceiveRecords,
  trySendBatch,
  trySendRecords,
} from "./_channel_batch.ts";
import { ChannelGuard } from "./_channel_guard.ts";
import { ChannelWaiter } from "./_channel_wait.ts";
import type { Ring } from "./_ring.ts";
import type {
  ChannelAnonymousOptions,
  ChannelCreateOptions,
  ChannelFromFdOptions,
  ChannelOpenOptions,
  ChannelStats,
  ChannelTryOptions,
  ChannelWaitOptions,
} from "./types.ts";

const encoder = new TextEncoder();

/**
 * A message channel between processes over shared memory: a ring buffer of
 * length-prefixed messages whose head and tail move with `Atomics`. One
 * process sends, one receives (or several send, with `multiProducer`).
 *
 * Waiting spins briefly, then sleeps on a shared futex on a worker thread
 * (one thread serves every waiting channel of the process), so the event
 * loop stays free. The other side issues FUTEX_WAKE only when a sleeper is
 * flagged.
 *
 * Peer failure: a waiting receiver checks, at least every 200 ms, whether the
 * last producer process is alive; once it is gone and every complete
 * message has been read, `receive` rejects with `Deno.errors.ConnectionReset`
 * ("peer gone"). (With `multiProducer`, producers may come and go, so only
 * `end()` finishes the stream.) A producer that calls {@linkcode Channel.end} makes
 * `receive` reject with `Deno.errors.BrokenPipe` and iteration stop, after
 * the last message. A sender waiting on a full ring likewise learns that the
 * consumer died.
 *
 * Requires `--allow-ffi` permission; Linux 5.16 or later (futex_waitv).
 * NOTE: This API is only available on Linux.
 *
 * @example Send and receive
 * ```ts
 * import assert from "node:assert/strict";
 * import { Channel } from "@ipc/linux/shm";
 *
 * const name = `doc_channel_${Deno.pid}`;
 * using tx = Channel.create(name, { capacity: 1 << 16, unlinkOnClose: true });
 * using rx = Channel.open(name);
 * await tx.send(new TextEncoder().encode("hello"));
 * assert.equal(new TextDecoder().decode(await rx.receive()), "hello");
 * assert.equal(rx.tryReceive(), undefined);
 * ```
 */
export class Channel implements Disposable, AsyncIterable<Uint8Array> {
  #name: string;
  #mapping: Mapping;
  #ring: Ring;
  #owner: boolean;
  #unlinkOnClose: boolean;
  /** The created object's identity, to unlink on close only while the name is still ours. */
  #id: string | null | undefined;
  #guard: ChannelGuard;
  #waits: ChannelWaiter;
  #unregister: () => void;
  /** The descriptor of anonymous or fd-attached channels (-1 otherwise). */
  #fd = -1;

  private constructor(
    name: string,
    mapping: Mapping,
    owner: boolean,
    unlinkOnClose: boolean,
    spin: number,
  ) {
    this.#name = name;
    this.#mapping = mapping;
    this.#ring = channelRing(mapping, name);
    this.#owner = owner;
    this.#unlinkOnClose = unlinkOnClose;
    this.#id = owner && unlinkOnClose ? fileId(`${SHM_DIR}${name}`) : undefined;
    this.#guard = new ChannelGuard(name, this.#ring);
    this.#waits = new ChannelWaiter(this.#ring, name, spin, this.#guard);
    this.#unregister = registerMapping(mapping.address, this.#ring.i32);
  }

  /**
   * Create a channel (exclusively) and reserve its memory.
   *
   * @param name The name, with or without the leading `/`.
   * @param options Capacity, mode, producers, lifetime.
   * @returns The channel; this process may send, receive or both.
   * @throws {RangeError} For a capacity that is not a power of two in range,
   *   or a `recordSize` that is not a power of two from 8 to half of it
   *   (before anything is created; `TypeError` if it is not an integer).
   * @throws {Deno.errors.AlreadyExists} When the name exists.
   * @throws {Error} With `code` `"ENOSPC"` when /dev/shm cannot hold it.
   *
   * @example Create
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_create_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
   * assert.equal(ch.capacity, 4096);
   * assert.equal(ch.maxMessageSize, 2044);
   * assert.throws(() => Channel.create("x", { capacity: 5000 }), RangeError);
   * ```
   */
  static create(name: string, options: ChannelCreateOptions = {}): Channel {
    const posix = posixName(name, "channel");
    const spin = checkSpin(options.spin, "create channel");
    const mapping = createChannelMapping(posix, options);
    return new Channel(posix, mapping, true, options.unlinkOnClose ?? false, spin);
  }

  /**
   * Attach to an existing channel. Before trusting anything in it, it checks
   * that the name holds a regular file (not a symbolic link or directory),
   * owned by this process's effective uid unless `allowOtherOwner` is set
   * (/dev/shm is world-writable: another user may create the name first and
   * write the header), then checks the header. An object that looks half-made
   * (empty, or no magic yet: another process is creating it) is looked at
   * again for up to 250 ms (blocking) before it is judged.
   *
   * @param name The name, with or without the leading `/`.
   * @param options Spin time, trust.
   * @returns The channel.
   * @throws {Deno.errors.NotFound} When no object has that name.
   * @throws {Deno.errors.PermissionDenied} When another uid owns it (and
   *   `allowOtherOwner` is not set), or its mode forbids the access.
   * @throws {Deno.errors.InvalidData} When the object is not a channel of
   *   this layout version, its size does not match its header, or it is not
   *   of the `recordSize` required.
   * @throws {RangeError} For a `recordSize` that is not a power of two from 8 on
   *   (`TypeError` if it is not an integer), before anything is opened.
   *
   * @example A mismatch fails clearly
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel, SharedMemory } from "@ipc/linux/shm";
   *
   * const name = `doc_ch_open_${Deno.pid}`;
   * using plain = SharedMemory.create(name, { size: 8192, unlinkOnClose: true });
   * assert.throws(() => Channel.open(name), Deno.errors.InvalidData);
   * ```
   *
   * @example Trust another user's channel on purpose
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * const name = `doc_ch_other_${Deno.pid}`;
   * // Imagine a service of another uid created this channel for us to write to:
   * using theirs = Channel.create(name, { capacity: 4096, mode: 0o666, unlinkOnClose: true });
   * using ours = Channel.open(name, { allowOtherOwner: true });
   * assert.equal(ours.trySend(new Uint8Array([1])), true);
   * ```
   */
  static open(name: string, options: ChannelOpenOptions = {}): Channel {
    const posix = posixName(name, "channel");
    const spin = checkSpin(options.spin, "open channel");
    const mapping = openChannelMapping(posix, options);
    return new Channel(posix, mapping, false, false, spin);
  }

  /**
   * Create an anonymous channel (`memfd_create`): no name in /dev/shm, nothing
   * to unlink or sweep. Pass {@linkcode Channel.fd} over a `UnixSocket`; the
   * peer attaches with {@linkcode Channel.fromFd}. Sealed against shrinking
   * unless `seal` is false.
   *
   * @param options Capacity, producers, record size, spin time, sealing.
   * @returns The channel; this process is its creator.
   * @throws {RangeError} For a capacity that is not a power of two in range,
   *   or a `recordSize` that is not a power of two from 8 to half of it.
   *
   * @example An anonymous channel attached through its descriptor
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   * import { UnixSocket } from "@ipc/linux/uds";
   *
   * using tx = Channel.anonymous({ capacity: 4096 });
   * const [a, b] = UnixSocket.pair();
   * using _a = a;
   * using _b = b;
   * await a.send(new Uint8Array([0]), { fds: [tx.fd] });
   * using rx = Channel.fromFd((await b.receive())!.fds[0]!.take());
   * tx.send(new TextEncoder().encode("hi"));
   * assert.equal(new TextDecoder().decode(await rx.receive()), "hi");
   * ```
   */
  static anonymous(options: ChannelAnonymousOptions = {}): Channel {
    return anonymousChannel(options, (mapping, spin, fd) => {
      const channel = new Channel("", mapping, true, false, spin);
      channel.#fd = fd;
      return channel;
    });
  }

  /**
   * Attach to a channel received as a descriptor, checking its header, its
   * seal against shrinking (unless `requireSeal` is false) and that it is
   * writable. The channel owns `fd` from then on; on failure `fd` is left
   * open, still the caller's.
   *
   * @param fd The descriptor.
   * @param options Spin time, the seal requirement, the record size required.
   * @returns The channel.
   * @throws {Deno.errors.InvalidData} When the descriptor is not an acceptable
   *   channel, or not of the `recordSize` required.
   */
  static fromFd(fd: number, options: ChannelFromFdOptions = {}): Channel {
    return fdChannel(fd, options, (mapping, spin, fd) => {
      const channel = new Channel("", mapping, false, false, spin);
      channel.#fd = fd;
      return channel;
    });
  }

  /**
   * The descriptor of an anonymous or fd-attached channel, still owned by it
   * (to pass it on).
   *
   * @throws {Deno.errors.BadResource} When closed, or attached by name.
   */
  get fd(): number {
    if (this.#fd < 0) {
      throw new errors.BadResource(
        `Cannot get the descriptor of channel "${this.#name}": it is closed or named`,
      );
    }
    return this.#fd;
  }

  /**
   * Remove a channel's name; attached processes keep working.
   *
   * @param name The name, with or without the leading `/`.
   * @throws {Deno.errors.NotFound} When no object has that name.
   *
   * @example Unlink
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * const name = `doc_ch_unlink_${Deno.pid}`;
   * Channel.create(name, { capacity: 4096 }).close();
   * Channel.unlink(name);
   * assert.throws(() => Channel.open(name), Deno.errors.NotFound);
   * ```
   */
  static unlink(name: string): void {
    shmUnlink(posixName(name, "channel"));
  }

  /** The name, with its leading `/`. */
  get name(): string {
    return this.#name;
  }

  /** Ring size in bytes. */
  get capacity(): number {
    return this.#ring.capacity;
  }

  /**
   * The largest message, in bytes: half the capacity minus the 4-byte
   * prefix, or the record size of a fixed-record channel.
   */
  get maxMessageSize(): number {
    return this.#ring.maxMessage;
  }

  /**
   * The size of every message of a channel of fixed-size records (the
   * `recordSize` it was created with, read from its header), or 0 for a
   * channel of length-prefixed messages.
   *
   * @example Learn the record size on attach
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * const name = `doc_ch_record_${Deno.pid}`;
   * using tx = Channel.create(name, { capacity: 4096, recordSize: 64, unlinkOnClose: true });
   * using rx = Channel.open(name);
   * assert.equal(rx.recordSize, 64);
   * assert.equal(rx.maxMessageSize, 64);
   * assert.throws(() => tx.trySend(new Uint8Array(10)), RangeError); // records only
   * assert.throws(() => Channel.open(name, { recordSize: 128 }), Deno.errors.InvalidData);
   * ```
   */
  get recordSize(): number {
    return this.#ring.record;
  }

  /** Whether {@linkcode Channel.close} was called. */
  get closed(): boolean {
    return this.#guard.closed;
  }

  /**
   * Counters of this handle, read without any subscription: messages and
   * payload bytes sent and received since it was opened (still readable
   * after close).
   */
  get stats(): ChannelStats {
    const ring = this.#ring;
    return {
      messagesSent: ring.sent,
      bytesSent: ring.sentBytes,
      messagesReceived: ring.received,
      bytesReceived: ring.receivedBytes,
    };
  }

  /** Whether the producer called {@linkcode Channel.end}. */
  get ended(): boolean {
    this.#guard.check("read");
    return this.#ring.ended;
  }

  /**
   * Send one message if the ring has room now.
   *
   * With `spin`, a call that finds the ring full keeps checking for room for
   * up to `spin` µs on the calling thread (as {@linkcode Channel.tryReceiveInto}
   * does for data): no promise, no event-loop turn, a busy CPU meanwhile.
   *
   * @param data The message: bytes, or a string (sent as UTF-8). Empty is allowed.
   * @param options `spin`: how long to keep checking for room, in µs.
   * @returns `false` when the ring is full (within `spin`); nothing was sent.
   * @throws {RangeError} When the message is larger than {@linkcode Channel.maxMessageSize},
   *   or for a `spin` out of 0..1000000.
   * @throws {Deno.errors.Busy} When another live process is the producer (single-producer channel),
   *   or (multiProducer) one live process has held the producers' lock for over 2 s: a producer
   *   stopped inside a send, or a foreign value; nothing was sent.
   * @throws {Deno.errors.BrokenPipe} After {@linkcode Channel.end}.
   *
   * @example Send while there is room
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_trysend_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
   * assert.equal(ch.trySend(new Uint8Array(2000)), true);
   * assert.equal(ch.trySend(new Uint8Array(2000)), true);
   * assert.equal(ch.trySend(new Uint8Array(2000), { spin: 20 }), false); // full for 20 µs
   * ch.tryReceive();
   * assert.equal(ch.trySend(new Uint8Array(2000), { spin: 20 }), true);
   * ```
   */
  trySend(data: Uint8Array | string, options?: ChannelTryOptions): boolean {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    const ring = this.#ring;
    if (!this.#guard.canSend || !(bytes instanceof Uint8Array) || (ring.multi && ring.ended)) {
      this.#guard.prepareSend(bytes); // with several producers, any may have ended the channel
    }
    if (bytes.length > ring.maxMessage || bytes.length < ring.minMessage) {
      this.#guard.badSize(bytes.length);
    }
    const spin = options?.spin === undefined ? 0 : checkSpin(options.spin, "use channel");
    if (this.#waits.sends.pending !== 0) return false; // keep order behind waiting sends
    if (ring.trySend(bytes)) return true;
    return spin > 0 && this.#waits.spinForRoomFor(bytes.length, spin) && ring.trySend(bytes);
  }

  /**
   * Send many messages stored back to back in `data` (message `i` is
   * `lengths[i]` bytes, after the ones before it) while the ring has room:
   * one publication, and one wake-up check, for all of them.
   *
   * @param data The messages, back to back.
   * @param lengths Each message's length.
   * @param count How many of them to send (default `lengths.length`).
   * @returns How many were sent, from the first; the rest did not fit now.
   * @throws {TypeError} When `lengths` is not an array, or `count` not an integer.
   * @throws {RangeError} When a message is over {@linkcode Channel.maxMessageSize},
   *   the lengths add up to more than `data` holds, or `count` is over `lengths.length`.
   * @throws {Deno.errors.BrokenPipe} After {@linkcode Channel.end}.
   *
   * @example Send a batch
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_sbatch_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
   * assert.equal(ch.trySendBatch(new Uint8Array([1, 2, 3]), [1, 2]), 2);
   * assert.deepEqual(ch.tryReceive(), new Uint8Array([1]));
   * assert.deepEqual(ch.tryReceive(), new Uint8Array([2, 3]));
   * ```
   */
  trySendBatch(
    data: Uint8Array,
    lengths: ArrayLike<number>,
    count: number = lengths?.length,
  ): number {
    return trySendBatch(this.#ring, this.#guard, this.#waits, data, lengths, count);
  }

  /**
   * Send many records of a fixed-record channel (see `recordSize`) while the
   * ring has room: the first `count` records of `data`, back to back, in one
   * copy (two where the ring wraps) and one publication, with no allocation
   * and no per-record work. The records of a fixed-record channel may also be
   * sent one per call ({@linkcode Channel.trySend}, `send`) or with
   * {@linkcode Channel.trySendBatch}.
   *
   * @param data The records, back to back.
   * @param count How many to send; by default all of `data`, which must then
   *   be a whole number of records.
   * @returns How many were sent, from the first; the rest did not fit now.
   * @throws {TypeError} When the channel holds length-prefixed messages.
   * @throws {RangeError} When `count` is more records than `data` holds, or
   *   (without `count`) `data` is not a whole number of records.
   * @throws {TypeError} When `count` is not an integer.
   * @throws {Deno.errors.BrokenPipe} After {@linkcode Channel.end}.
   *
   * @example Send 64-byte records in one call
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_srec_${Deno.pid}`, { capacity: 4096, recordSize: 64, unlinkOnClose: true });
   * const records = new Uint8Array(64 * 100).fill(1);
   * assert.equal(ch.trySendRecords(records), 64); // the ring holds 64 of them
   * assert.equal(ch.trySendRecords(records, 1), 0); // full
   * ```
   */
  trySendRecords(data: Uint8Array, count?: number): number {
    return trySendRecords(this.#ring, this.#guard, this.#waits, data, count);
  }

  /**
   * Copy the ready records of a fixed-record channel (see `recordSize`), as
   * many as `buffer` holds, back to back into `buffer`: one copy (two where
   * the ring wraps) and one hand-back of their space, with no allocation.
   * Record `i` is at `i * recordSize`.
   *
   * @param buffer Where to copy them; holds at least one record.
   * @param options `spin`: how long to keep checking when none is ready, in µs
   *   (as for {@linkcode Channel.tryReceiveInto}).
   * @returns How many records were received (0 when none is ready).
   * @throws {TypeError} When the channel holds length-prefixed messages.
   * @throws {RangeError} When `buffer` is smaller than a record.
   *
   * @example Drain records in one call
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_rrec_${Deno.pid}`, { capacity: 4096, recordSize: 8, unlinkOnClose: true });
   * ch.trySendRecords(new Uint8Array([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]));
   * ch.trySend(new Uint8Array(8).fill(3)); // one record per call works too
   * const buffer = new Uint8Array(8 * 32);
   * assert.equal(ch.tryReceiveRecords(buffer), 3);
   * assert.deepEqual([buffer[0], buffer[8], buffer[16]], [1, 2, 3]);
   * assert.equal(ch.tryReceiveRecords(buffer), 0);
   * ```
   */
  tryReceiveRecords(buffer: Uint8Array, options?: ChannelTryOptions): number {
    return tryReceiveRecords(this.#ring, this.#guard, this.#waits, buffer, options);
  }

  /**
   * Send one message, waiting while the ring is full.
   *
   * @param data The message: bytes, or a string (sent as UTF-8).
   * @param options `signal` aborts the wait.
   * @throws {RangeError} When the message is larger than {@linkcode Channel.maxMessageSize}.
   * @throws {Deno.errors.ConnectionReset} When the consumer process died while the ring is full.
   *
   * @example Send
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_send_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
   * await ch.send(new Uint8Array(2000));
   * await ch.send("x".repeat(2000)); // a string goes as UTF-8
   * await assert.rejects(
   *   ch.send(new Uint8Array(2000), { signal: AbortSignal.timeout(20) }),
   *   (err: Error) => err.name === "TimeoutError",
   * );
   * ```
   */
  send(data: Uint8Array | string, options: ChannelWaitOptions = {}): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    try {
      if (this.trySend(bytes)) return Promise.resolve();
      if (this.#waits.spinForRoom(bytes.length) && this.trySend(bytes)) return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#waits.send(bytes, options.signal);
  }

  /**
   * Take the next message if one is ready.
   *
   * @returns A copy of the message, or `undefined` when none is ready.
   */
  tryReceive(): Uint8Array | undefined {
    if (!this.#guard.canReceive) this.#guard.prepareReceive();
    if (this.#waits.receives.pending !== 0) return undefined;
    const len = this.#ring.peekLength();
    return len < 0 ? undefined : this.#ring.take(len);
  }

  /**
   * Copy the next message into `buffer` if one is ready, without allocating.
   *
   * With `spin`, a call that finds the channel empty keeps checking for up
   * to `spin` µs on the calling thread: the fastest way to wait for a reply
   * that comes within microseconds (no promise, no event-loop turn), at the
   * price of a busy CPU and an event loop that runs nothing meanwhile.
   *
   * @param buffer Where to copy it; must hold {@linkcode Channel.maxMessageSize}
   *   bytes, or at least the message.
   * @param options `spin`: how long to keep checking, in µs.
   * @returns The message length, or -1 when none is ready (within `spin`).
   * @throws {RangeError} When the message does not fit (it stays in the channel),
   *   or for a `spin` out of 0..1000000.
   *
   * @example Answer a request without an event-loop turn
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_spin_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
   * const buffer = new Uint8Array(ch.maxMessageSize);
   * assert.equal(ch.tryReceiveInto(buffer, { spin: 20 }), -1); // 20 µs, then gives up
   * ch.trySend(new Uint8Array([1, 2]));
   * assert.equal(ch.tryReceiveInto(buffer, { spin: 20 }), 2);
   * ```
   */
  tryReceiveInto(buffer: Uint8Array, options?: ChannelTryOptions): number {
    const guard = this.#guard;
    if (!guard.canReceive || !(buffer instanceof Uint8Array)) guard.prepareReceive(buffer);
    const spin = options?.spin === undefined ? 0 : checkSpin(options.spin, "use channel");
    if (this.#waits.receives.pending !== 0) return -1;
    let len = this.#ring.peekLength();
    if (len < 0 && spin > 0 && this.#waits.spinForDataFor(spin)) len = this.#ring.peekLength();
    return len < 0 ? -1 : guard.takeInto(buffer, len);
  }

  /**
   * Copy every ready message that fits, back to back, into `buffer`, and
   * their lengths into `lengths`: many small messages per call, with no
   * allocation and one hand-back of their space (and one wake-up check) for
   * all of them. Message `i` starts at the sum of the lengths before it.
   *
   * @param buffer Where to copy them.
   * @param lengths Receives each message's length; its length caps the count.
   * @param options `spin`: how long to keep checking when none is ready, in µs
   *   (as for {@linkcode Channel.tryReceiveInto}).
   * @returns How many messages were received (0 when none is ready).
   * @throws {RangeError} When the next message is larger than `buffer` (it stays).
   *
   * @example Drain many small messages at once
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_batch_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
   * ch.trySend(new Uint8Array([1]));
   * ch.trySend(new Uint8Array([2, 3]));
   * const buffer = new Uint8Array(1024);
   * const lengths = new Uint32Array(64);
   * assert.equal(ch.tryReceiveBatch(buffer, lengths), 2);
   * assert.deepEqual([...lengths.subarray(0, 2)], [1, 2]);
   * assert.deepEqual([...buffer.subarray(0, 3)], [1, 2, 3]);
   * assert.equal(ch.tryReceiveBatch(buffer, lengths), 0);
   * ```
   */
  tryReceiveBatch(buffer: Uint8Array, lengths: Uint32Array, options?: ChannelTryOptions): number {
    return tryReceiveBatch(this.#ring, this.#guard, this.#waits, buffer, lengths, options);
  }

  /**
   * Receive the next message, waiting while none is ready.
   *
   * @param options `signal` aborts the wait.
   * @returns A copy of the message.
   * @throws {Deno.errors.BrokenPipe} When the producer ended the channel and all is read.
   * @throws {Deno.errors.ConnectionReset} When the producer process died and all is read.
   *
   * @example Receive with a timeout
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_recv_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
   * await assert.rejects(
   *   ch.receive({ signal: AbortSignal.timeout(20) }),
   *   (err: Error) => err.name === "TimeoutError",
   * );
   * ch.trySend(new Uint8Array([7]));
   * assert.deepEqual(await ch.receive(), new Uint8Array([7]));
   * ```
   */
  receive(options: ChannelWaitOptions = {}): Promise<Uint8Array> {
    try {
      let msg = this.tryReceive();
      // Spin here first: when data comes soon, no promise machinery is needed.
      if (msg === undefined && this.#waits.spinForData()) msg = this.tryReceive();
      if (msg !== undefined) return Promise.resolve(msg);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#waits.receive(options.signal, (len) => this.#ring.take(len));
  }

  /**
   * Receive the next message into `buffer`, waiting while none is ready; no
   * allocation once a message is ready.
   *
   * @param buffer Where to copy it.
   * @param options `signal` aborts the wait.
   * @returns The message length.
   * @throws {RangeError} When the message does not fit (it stays in the channel).
   */
  receiveInto(buffer: Uint8Array, options: ChannelWaitOptions = {}): Promise<number> {
    try {
      let n = this.tryReceiveInto(buffer);
      if (n < 0 && this.#waits.spinForData()) n = this.tryReceiveInto(buffer);
      if (n >= 0) return Promise.resolve(n);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#waits.receive(options.signal, (len) => this.#guard.takeInto(buffer, len));
  }

  /**
   * Take the next message if one is ready, WITHOUT copying it: the result is
   * a view into the channel's shared memory.
   *
   * The view is lent, not given. It stays valid until the next receive of
   * any kind on this channel, {@linkcode Channel.releaseView}, or
   * {@linkcode Channel.close}; only then is the message's space handed back
   * to the producer, which may overwrite it at once. Copy what you keep
   * (`view.slice()`). After close the view is empty (length 0), so stale use
   * reads nothing instead of crashing. If this process dies while holding a
   * view, the message was never consumed: the next consumer receives it
   * again.
   *
   * A view saves the copy when you read part of a message, or pass it to
   * something that copies anyway (a file write, a decoder). To read every
   * byte of a large message, {@linkcode Channel.receiveInto} can be as fast
   * or faster: a bulk copy fetches the producer CPU's cache lines more
   * efficiently than a JavaScript loop over the view.
   *
   * @returns A view of the message, or `undefined` when none is ready.
   *
   * @example Read a message in place
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_view_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
   * ch.trySend(new Uint8Array([1, 2, 3]));
   * const view = ch.tryReceiveView()!;
   * assert.deepEqual([...view], [1, 2, 3]);
   * const kept = view.slice(); // a copy that outlives the view
   * ch.releaseView();
   * assert.equal(ch.tryReceiveView(), undefined);
   * ch.close();
   * assert.equal(view.length, 0); // the view is dead, the copy is not
   * assert.deepEqual([...kept], [1, 2, 3]);
   * ```
   */
  tryReceiveView(): Uint8Array | undefined {
    if (!this.#guard.canReceive) this.#guard.prepareReceive();
    if (this.#waits.receives.pending !== 0) return undefined;
    const len = this.#ring.peekLength();
    return len < 0 ? undefined : this.#ring.lend(len);
  }

  /**
   * Receive the next message as a view into the shared memory, without
   * copying, waiting while none is ready. The view's lifetime is as for
   * {@linkcode Channel.tryReceiveView}: until the next receive,
   * {@linkcode Channel.releaseView} or close.
   *
   * @param options `signal` aborts the wait.
   * @returns A view of the message.
   * @throws {Deno.errors.BrokenPipe} When the producer ended the channel and all is read.
   * @throws {Deno.errors.ConnectionReset} When the producer process died and all is read.
   *
   * @example Sum large messages in place
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_rview_${Deno.pid}`, { capacity: 1 << 18, unlinkOnClose: true });
   * await ch.send(new Uint8Array(65536).fill(2));
   * const view = await ch.receiveView();
   * let sum = 0;
   * for (const byte of view) sum += byte;
   * assert.equal(sum, 131072);
   * ```
   */
  receiveView(options: ChannelWaitOptions = {}): Promise<Uint8Array> {
    try {
      let view = this.tryReceiveView();
      if (view === undefined && this.#waits.spinForData()) view = this.tryReceiveView();
      if (view !== undefined) return Promise.resolve(view);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#waits.receive(options.signal, (len) => this.#ring.lend(len));
  }

  /**
   * Hand the space of the message last received as a view back to the
   * producer now, instead of at the next receive. Views must not be used
   * after this (the producer may overwrite them). Does nothing when no view
   * is lent or the channel is closed.
   *
   * @example Release early so a waiting producer can go on
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_release_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
   * assert.ok(ch.trySend(new Uint8Array(2000)));
   * assert.ok(ch.trySend(new Uint8Array(2000)));
   * assert.equal(ch.tryReceiveView()?.length, 2000);
   * assert.equal(ch.trySend(new Uint8Array(2000)), false); // still lent: no room
   * ch.releaseView();
   * assert.ok(ch.trySend(new Uint8Array(2000)));
   * ```
   */
  releaseView(): void {
    if (!this.#guard.closed) this.#ring.release();
  }

  /**
   * Mark the stream finished (producer side): the consumer reads what is
   * left, then `receive` rejects with `BrokenPipe` and iteration ends.
   * Ending a channel that is already ended does nothing.
   *
   * @example End a stream
   * ```ts
   * import assert from "node:assert/strict";
   * import { Channel } from "@ipc/linux/shm";
   *
   * using ch = Channel.create(`doc_ch_end_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
   * ch.trySend(new Uint8Array([1]));
   * ch.trySend(new Uint8Array([2]));
   * ch.end();
   * ch.end(); // already ended: nothing happens
   * const seen = [];
   * for await (const msg of ch) seen.push(msg[0]);
   * assert.deepEqual(seen, [1, 2]);
   * ```
   */
  end(): void {
    this.#guard.check("end");
    if (this.#ring.ended) return;
    this.#guard.prepareSend(new Uint8Array(0));
    this.#ring.end();
    this.#guard.canSend = false;
  }

  /** Receive messages until the producer ends the channel. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      try {
        yield await this.receive();
      } catch (err) {
        if (err instanceof errors.BrokenPipe && this.ended) return;
        throw err;
      }
    }
  }

  /**
   * Detach from the channel (unmapping it; held views become empty); the
   * creator unlinks the name if `unlinkOnClose` was set. Pending waits reject
   * with `BadResource`. Idempotent.
   */
  close(): void {
    if (this.#guard.closed) return;
    this.#ring.release(); // a lent view's message counts as consumed (while still the consumer)
    this.#guard.close(); // no send or receive passes now; both roles are given back
    this.#unregister(); // wakes our sleeping waits; they see `closed` and reject
    this.#mapping.unmap();
    if (this.#owner && this.#unlinkOnClose) unlinkIfSame(this.#name, this.#id);
    closeQuietly(this.#fd);
    this.#fd = -1;
  }

  /** Same as {@linkcode Channel.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
