// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: an open queue's descriptor and the system calls on it: one send
 * or receive attempt with a deadline, `mq_getattr`, `mq_close`, and the
 * checks that guard them (closed handle, access mode; message and buffer
 * sizes in `_message_check.ts`). Opening and unlinking by name: `_open.ts`.
 *
 * @module
 */
import { backend, check, errnoError, errors, libc } from "../_ffi/mod.ts";
import { EAGAIN, EFAULT, EINTR, ETIMEDOUT } from "../_ffi/constants.ts";
import { decodeMqAttr, MQ_ATTR_SIZE } from "../_ffi/struct.ts";
import { MessageChecks } from "./_message_check.ts";
import { realLength } from "../_ffi/bytes.ts";
import { openQueue, openTwin, queueId } from "./_open.ts";
import type { ParsedOpen } from "./_options.ts";
import { NOW } from "./_wait.ts";
import type { Message, QueueAttributes, Received } from "./types.ts";

const EMPTY = new Uint8Array(0);

const registry = new FinalizationRegistry<[number, number]>(([fd, twin]) => {
  try {
    libc().mq_close(fd);
    if (twin >= 0) libc().close(twin);
  } catch {
    // the process is going away; nothing to report to
  }
});

/** One open queue descriptor; closed when its owner is, or when it is collected. */
export class QueueIo {
  readonly name: string;
  readonly maxMessages: number;
  readonly messageSize: number;
  #fd: number;
  /** The queue's non-blocking twin for tries (`_open.ts`), or -1: tries pass a zero deadline. */
  #twin: number;
  readonly #sizeArg: bigint;
  readonly #canRead: boolean;
  readonly #canWrite: boolean;
  #buffer: Uint8Array | undefined;
  readonly #checks: MessageChecks;
  /** The length of the last message sent, and it as the bigint the FFI call takes. */
  #sentLength = 0;
  #sentLengthArg = 0n;
  readonly #priority = new Uint32Array(1);
  readonly #priorityBytes = new Uint8Array(this.#priority.buffer);
  /** What {@linkcode QueueIo.sendStaged} sends: set right before, cleared right after. */
  #outgoing: Uint8Array = EMPTY;
  #outgoingPriority = 0;
  /** Where {@linkcode QueueIo.receiveStaged} receives to: undefined for a fresh copy. */
  #incoming: Uint8Array | undefined;

  private constructor(name: string, fd: number, attr: QueueAttributes, parsed: ParsedOpen) {
    this.name = name;
    this.#fd = fd;
    this.#twin = openTwin(fd, parsed);
    this.maxMessages = attr.maxMessages;
    this.messageSize = attr.messageSize;
    this.#sizeArg = BigInt(attr.messageSize);
    this.#canRead = parsed.canRead;
    this.#canWrite = parsed.canWrite;
    this.#checks = new MessageChecks(name, attr.messageSize);
    registry.register(this, [fd, this.#twin], this);
  }

  /** `mq_open` the checked name `path` as `parsed` says (see `_open.ts`). */
  static open(path: string, parsed: ParsedOpen): QueueIo {
    const { fd, attr } = openQueue(path, parsed);
    return new QueueIo(path, fd, attr, parsed);
  }

  /** The queue's identity (device and inode), or undefined when it cannot be read. */
  id(): string | undefined {
    return this.#fd < 0 ? undefined : queueId(this.#fd);
  }

  /** Whether {@linkcode QueueIo.close} was called. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /** The descriptor, or BadResource when closed. */
  live(action: string): number {
    if (this.#fd < 0) {
      throw new errors.BadResource(`Cannot ${action}: queue "${this.name}" is closed`);
    }
    return this.#fd;
  }

  /** The descriptor, checked to be open and opened for writing (or reading). */
  open(action: string, write: boolean): number {
    const fd = this.live(action);
    if (write ? !this.#canWrite : !this.#canRead) {
      throw new errors.BadResource(
        `Cannot ${action}: queue "${this.name}" was opened ${write ? "readOnly" : "writeOnly"}`,
      );
    }
    return fd;
  }

  /** Encode `data` for sending; a string goes through a reused scratch buffer. */
  bytes(action: string, data: unknown): Uint8Array {
    return this.#checks.bytes(action, data);
  }

  /** Check a caller's receive buffer: a Uint8Array of at least messageSize bytes. */
  checkBuffer(buffer: unknown): void {
    this.#checks.checkBuffer(buffer);
  }

  /**
   * One mq_timedsend that may sleep until `deadline` ({@linkcode NOW}: not
   * at all): true if sent, false if the queue stayed full.
   */
  sendNow(fd: number, bytes: Uint8Array, priority: number, deadline: Uint8Array): boolean {
    // A bigint length keeps the call on V8's fast path (a number for usize does not);
    // the last one is kept, as a run of messages often has one length. The real
    // length: a `length` property may lie, and the kernel would read past the bytes.
    const n = realLength(bytes);
    if (n !== this.#sentLength) {
      this.#sentLength = n;
      this.#sentLengthArg = BigInt(n);
    }
    const length = this.#sentLengthArg;
    const twin = deadline === NOW ? this.#twin : -1;
    for (let again = false;; again = true) {
      const sent = twin >= 0
        ? libc().mq_timedsend(twin, bytes, length, priority, null)
        : libc().mq_timedsend(fd, bytes, length, priority, deadline);
      if (sent === 0) return true;
      const errno = backend().errno();
      if (errno === ETIMEDOUT || errno === EAGAIN || errno === EINTR) return false;
      // A failed call had no effect, so an unexpected errno is checked by asking again.
      if (again) throw errnoError(errno, "mq_send", this.name);
      deadline = NOW;
    }
  }

  /**
   * One mq_timedreceive into `target` that may sleep until `deadline`: the
   * length, or -1 if the queue stayed empty.
   */
  receiveNow(fd: number, target: Uint8Array, deadline: Uint8Array): number {
    const twin = deadline === NOW ? this.#twin : -1;
    for (let again = false;; again = true) {
      // Every target is at least messageSize long; the kernel needs no more.
      const n = twin >= 0
        ? libc().mq_timedreceive(twin, target, this.#sizeArg, this.#priorityBytes, null)
        : libc().mq_timedreceive(fd, target, this.#sizeArg, this.#priorityBytes, deadline);
      if (n !== -1) return n;
      const errno = backend().errno();
      if (errno === ETIMEDOUT || errno === EAGAIN || errno === EINTR) return -1;
      // EFAULT (memory behind the target gone): the kernel took a message off the queue
      // before it found that out, so asking again would lose another one.
      if (again || errno === EFAULT) throw errnoError(errno, "mq_receive", this.name);
      deadline = NOW;
    }
  }

  /**
   * Receive into the reused buffer until `deadline` and copy the message
   * out right after the call, before any other receive can reuse the
   * buffer; `undefined` if the queue stayed empty.
   */
  take(deadline: Uint8Array): Message | undefined {
    const buffer = this.#buffer ??= new Uint8Array(this.messageSize);
    const length = this.receiveNow(this.open("receive", false), buffer, deadline);
    return length < 0 ? undefined : { data: buffer.slice(0, length), priority: this.#priority[0]! };
  }

  /**
   * Receive into the caller's `buffer` until `deadline`; `undefined` if
   * still empty. The buffer is checked again first: it may have been
   * detached or shrunk while a receive waited, and a receive the kernel
   * cannot store would lose the message it took off the queue (EFAULT).
   */
  takeInto(buffer: Uint8Array, deadline: Uint8Array): Received | undefined {
    this.#checks.checkBuffer(buffer);
    const length = this.receiveNow(this.open("receive", false), buffer, deadline);
    return length < 0 ? undefined : { length, priority: this.#priority[0]! };
  }

  /**
   * Stage what {@linkcode QueueIo.sendStaged} sends, and
   * {@linkcode QueueIo.receiveStaged} receives into (undefined: a fresh
   * copy), for a waiter's synchronous attempts: no closure per call. The
   * caller unstages right after, so no bytes are held.
   */
  stage(outgoing: Uint8Array, priority: number, incoming: Uint8Array | undefined): void {
    this.#outgoing = outgoing;
    this.#outgoingPriority = priority;
    this.#incoming = incoming;
  }

  /** Let go of the staged bytes. */
  unstage(): void {
    this.#outgoing = EMPTY;
    this.#incoming = undefined;
  }

  /** One send of `bytes` until `deadline`: true, or `undefined` if the queue stayed full. */
  sendUntil(bytes: Uint8Array, priority: number, deadline: Uint8Array): true | undefined {
    return this.sendNow(this.open("send", true), bytes, priority, deadline) || undefined;
  }

  /**
   * One receive until `deadline`, into `buffer` or (undefined) as a fresh
   * copy; `undefined` if the queue stayed empty.
   */
  receiveUntil(
    buffer: Uint8Array | undefined,
    deadline: Uint8Array,
  ): Message | Received | undefined {
    return buffer === undefined ? this.take(deadline) : this.takeInto(buffer, deadline);
  }

  /** {@linkcode QueueIo.prototype.sendUntil} of the staged message. */
  readonly sendStaged = (deadline: Uint8Array): true | undefined =>
    this.sendUntil(this.#outgoing, this.#outgoingPriority, deadline);

  /** {@linkcode QueueIo.prototype.receiveUntil} into the staged target. */
  readonly receiveStaged = (deadline: Uint8Array): Message | Received | undefined =>
    this.receiveUntil(this.#incoming, deadline);

  /** `mq_getattr`: capacity, message size and the current count. */
  attributes(): QueueAttributes {
    const bytes = new Uint8Array(MQ_ATTR_SIZE);
    check(libc().mq_getattr(this.live("read attributes"), bytes), "mq_getattr", this.name);
    const { maxMessages, messageSize, currentMessages } = decodeMqAttr(bytes);
    return { maxMessages, messageSize, currentMessages };
  }

  /**
   * `mq_close` once; later calls do nothing. `closing` runs after the handle
   * is marked closed and before the descriptor is released, so that waits
   * on it end before its number can be reused.
   */
  close(closing: () => void): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    const twin = this.#twin;
    this.#fd = this.#twin = -1;
    registry.unregister(this);
    closing();
    if (twin >= 0) libc().close(twin);
    check(libc().mq_close(fd), "mq_close", this.name);
  }
}
