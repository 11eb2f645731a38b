// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: what a Channel handle checks off its hot path: that it is open,
 * the type of its arguments, the end of the stream and the size of a
 * message; the producer and consumer roles it takes on first use; and the
 * errors those checks throw.
 *
 * @module
 */
import { errors } from "../_ffi/mod.ts";
import * as L from "./_layout.ts";
import { Role } from "./_claim.ts";
import type { Ring } from "./_ring.ts";

/** The error of a send or receive on a channel whose producer called `end()`. */
export function endedError(action: string, name: string): Error {
  return new errors.BrokenPipe(`Cannot ${action} channel "${name}": it was ended`);
}

/** The state checks and roles of one Channel handle. */
export class ChannelGuard {
  /** Whether the handle was closed. */
  closed = false;
  /** Whether sends may skip {@linkcode ChannelGuard.prepareSend}: open, not ended, producer. */
  canSend = false;
  /** Whether receives may skip {@linkcode ChannelGuard.prepareReceive}: open and consumer. */
  canReceive = false;
  readonly #name: string;
  readonly #ring: Ring;
  readonly #producer: Role;
  readonly #consumer: Role;

  /**
   * @param name The channel's name, for errors.
   * @param ring The channel's ring (its header holds the role words).
   */
  constructor(name: string, ring: Ring) {
    this.#name = name;
    this.#ring = ring;
    const { i32, pid } = ring;
    this.#producer = new Role(i32, L.I_PRODUCER_TOKEN, L.I_PRODUCER_PID, pid, ring.multi);
    this.#consumer = new Role(i32, L.I_CONSUMER_TOKEN, L.I_CONSUMER_PID, pid, false);
  }

  /** Throw BadResource once the handle is closed. */
  check(action: string): void {
    if (this.closed) {
      throw new errors.BadResource(`Cannot ${action} channel "${this.#name}": it is closed`);
    }
  }

  /** Check a send (open, a Uint8Array, not ended), then take the producer role. */
  prepareSend(bytes: unknown): void {
    this.check("send on");
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError("Cannot send on channel: the message must be a Uint8Array or a string");
    }
    if (this.#ring.ended) throw endedError("send on", this.#name);
    if (!this.#producer.held) {
      this.#producer.take("send on", this.#name);
      if (!this.#ring.multi) this.#ring.resyncProducer();
    }
    this.canSend = true;
  }

  /** Check a receive (open, a Uint8Array buffer if any), then take the consumer role. */
  prepareReceive(buffer?: unknown): void {
    this.check("receive on");
    if (buffer !== undefined && !(buffer instanceof Uint8Array)) {
      throw new TypeError("Cannot receive on channel: the buffer must be a Uint8Array");
    }
    if (!this.#consumer.held) {
      this.#consumer.take("receive on", this.#name);
      this.#ring.resyncConsumer();
    }
    this.canReceive = true;
  }

  /** Throw the RangeError of a message over the size limit, or not of the record size. */
  badSize(length: number): never {
    const record = this.#ring.record;
    throw new RangeError(
      record === 0
        ? `Cannot send on channel "${this.#name}": message of ${length} bytes is over the limit of ${this.#ring.maxMessage}`
        : `Cannot send on channel "${this.#name}": message of ${length} bytes is not of its record size ${record}`,
    );
  }

  /** The record size, after checking that the channel holds records (TypeError otherwise). */
  records(action: string): number {
    const record = this.#ring.record;
    if (record === 0) {
      throw new TypeError(
        `Cannot ${action} channel "${this.#name}": it holds length-prefixed messages, not records (create it with recordSize)`,
      );
    }
    return record;
  }

  /** Copy the next message, of `length` bytes, into `buffer`; RangeError when it does not fit. */
  takeInto(buffer: Uint8Array, length: number): number {
    if (length > buffer.length) {
      throw new RangeError(
        `Cannot receive on channel "${this.#name}": message of ${length} bytes does not fit a buffer of ${buffer.length}`,
      );
    }
    return this.#ring.takeInto(buffer, length);
  }

  /** Mark the handle closed (no send or receive passes any more) and give both roles back. */
  close(): void {
    this.closed = true;
    this.canSend = this.canReceive = false;
    this.#producer.release();
    this.#consumer.release();
  }
}
