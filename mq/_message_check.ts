// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the checks on what a caller hands a queue: a message to send (a
 * string, encoded into a reused scratch buffer, or bytes) within the
 * queue's messageSize, and a receive buffer of at least that size.
 *
 * @module
 */

import { honestBytes, isBytes, realBuffer, realLength } from "../_ffi/bytes.ts";

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
    } else if (isBytes(data)) {
      bytes = honestBytes(data); // its real memory, whatever its length claims
    } else {
      throw new TypeError(
        `Cannot ${action}: data must be a string or Uint8Array, got ${describe(data)}`,
      );
    }
    const length = realLength(bytes);
    if (length > this.#messageSize) {
      throw new RangeError(
        `Cannot ${action}: the message is ${length} bytes, over the messageSize ` +
          `${this.#messageSize} of queue "${this.#name}"`,
      );
    }
    return bytes;
  }

  /**
   * Check a caller's receive buffer: a Uint8Array of at least messageSize
   * bytes. Checked again right before every receive call, as the buffer may
   * have been detached or shrunk while a receive waited: the kernel takes
   * the message off the queue before it finds it cannot store it.
   */
  checkBuffer(buffer: unknown): void {
    if (!isBytes(buffer)) {
      throw new TypeError(`Cannot receive: buffer must be a Uint8Array, got ${describe(buffer)}`);
    }
    const length = realLength(buffer);
    if (length < this.#messageSize) {
      throw new RangeError(
        `Cannot receive: the buffer is ${length} bytes, shorter than the messageSize ` +
          `${this.#messageSize} of queue "${this.#name}"` +
          ((realBuffer(buffer) as { detached?: boolean }).detached
            ? " (its ArrayBuffer was detached)"
            : ""),
      );
    }
  }
}

/** A bad argument's type for an error message: `typeof`, or a false Uint8Array called so. */
function describe(value: unknown): string {
  return value instanceof Uint8Array ? "an object posing as a Uint8Array" : typeof value;
}
