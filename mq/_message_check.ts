// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the checks on what a caller hands a queue: a message to send (a
 * string, encoded into a reused scratch buffer, or bytes) within the
 * queue's messageSize, and a receive buffer of at least that size.
 *
 * @module
 */

const encoder = new TextEncoder();

/** The checks for one queue, with its scratch buffer for string messages. */
export class MessageChecks {
  readonly #name: string;
  readonly #messageSize: number;
  #scratch: Uint8Array | undefined;

  constructor(name: string, messageSize: number) {
    this.#name = name;
    this.#messageSize = messageSize;
  }

  /** Encode `data` for sending; a string goes through a reused scratch buffer. */
  bytes(action: string, data: unknown): Uint8Array {
    let bytes: Uint8Array;
    if (typeof data === "string") {
      const scratch = this.#scratch ??= new Uint8Array(this.#messageSize);
      const { read, written } = encoder.encodeInto(data, scratch);
      if (read !== data.length) {
        throw new RangeError(
          `Cannot ${action}: the message is over ${this.#messageSize} bytes, ` +
            `the messageSize of queue "${this.#name}"`,
        );
      }
      bytes = scratch.subarray(0, written);
    } else if (data instanceof Uint8Array) {
      bytes = data;
    } else {
      throw new TypeError(
        `Cannot ${action}: data must be a string or Uint8Array, got ${typeof data}`,
      );
    }
    if (bytes.length > this.#messageSize) {
      throw new RangeError(
        `Cannot ${action}: the message is ${bytes.length} bytes, over the messageSize ` +
          `${this.#messageSize} of queue "${this.#name}"`,
      );
    }
    return bytes;
  }

  /** Check a caller's receive buffer: a Uint8Array of at least messageSize bytes. */
  checkBuffer(buffer: unknown): void {
    if (!(buffer instanceof Uint8Array)) {
      throw new TypeError(`Cannot receive: buffer must be a Uint8Array, got ${typeof buffer}`);
    }
    if (buffer.length < this.#messageSize) {
      throw new RangeError(
        `Cannot receive: the buffer is ${buffer.length} bytes, shorter than the messageSize ` +
          `${this.#messageSize} of queue "${this.#name}"`,
      );
    }
  }
}
