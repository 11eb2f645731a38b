// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the operations of a queue handle behind its documented methods:
 * trySend and the tries of a receive (with their sleepless spin), close,
 * the message loop, and the waiting ones (send, receive,
 * receiveInto) end to end: check the arguments, make the attempts on the
 * main thread through the handle's {@linkcode QueueWaiter} (a try, the
 * spin, the brief sleep), and hand the rest to its poller when the queue
 * stayed full or empty. A bad argument or a closed handle rejects
 * the returned promise instead of throwing.
 *
 * @module
 */
import { POLLIN, POLLOUT } from "../_ffi/constants.ts";
import type { QueueIo } from "./_io.ts";
import { unlinkIfSame } from "./_open.ts";
import { optionSignal, sendPriority, trySpin } from "./_options.ts";
import { NOW, type QueueWaiter, spinFor } from "./_wait.ts";
import type {
  Message,
  Received,
  ReceiveOptions,
  SendOptions,
  TryReceiveOptions,
  TrySendOptions,
} from "./types.ts";

const RESOLVED: Promise<void> = Promise.resolve();
const EMPTY = new Uint8Array(0);

/** Send `data`, waiting while the queue is full. */
export function send(
  io: QueueIo,
  waiter: QueueWaiter,
  data: string | Uint8Array,
  options: SendOptions | undefined,
): Promise<void> {
  let fd: number, bytes: Uint8Array, priority: number, signal: AbortSignal | undefined;
  try {
    priority = sendPriority(options);
    signal = optionSignal("send", options);
    bytes = io.bytes("send", data);
    fd = io.open("send", true);
    signal?.throwIfAborted();
    io.stage(bytes, priority, undefined);
    try {
      if (waiter.now(io.sendStaged)) return RESOLVED;
    } finally {
      io.unstage();
    }
  } catch (err) {
    return Promise.reject(err);
  }
  // A copy of the real bytes (no species): the scratch buffer and the caller's may change meanwhile.
  const copy = new Uint8Array(bytes);
  return sendLater(io, waiter, fd, copy, priority, signal);
}

async function sendLater(
  io: QueueIo,
  waiter: QueueWaiter,
  fd: number,
  bytes: Uint8Array,
  priority: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  await waiter.poll(fd, POLLOUT, signal, (deadline) => io.sendUntil(bytes, priority, deadline));
}

/** Receive a fresh copy of the next message, waiting while the queue is empty. */
export function receive(
  io: QueueIo,
  waiter: QueueWaiter,
  options: ReceiveOptions | undefined,
): Promise<Message> {
  return receiveWith(io, waiter, undefined, options);
}

/** Receive the next message into the caller's `buffer`, waiting while the queue is empty. */
export function receiveInto(
  io: QueueIo,
  waiter: QueueWaiter,
  buffer: Uint8Array,
  options: ReceiveOptions | undefined,
): Promise<Received> {
  try {
    io.checkBuffer(buffer);
  } catch (err) {
    return Promise.reject(err);
  }
  return receiveWith(io, waiter, buffer, options);
}

/** Receive into the checked `buffer`, or as a fresh copy when there is none. */
function receiveWith(
  io: QueueIo,
  waiter: QueueWaiter,
  buffer: undefined,
  options: ReceiveOptions | undefined,
): Promise<Message>;
function receiveWith(
  io: QueueIo,
  waiter: QueueWaiter,
  buffer: Uint8Array,
  options: ReceiveOptions | undefined,
): Promise<Received>;
function receiveWith(
  io: QueueIo,
  waiter: QueueWaiter,
  buffer: Uint8Array | undefined,
  options: ReceiveOptions | undefined,
): Promise<Message | Received> {
  let fd: number, signal: AbortSignal | undefined;
  try {
    signal = optionSignal("receive", options);
    fd = io.open("receive", false);
    signal?.throwIfAborted();
    io.stage(EMPTY, 0, buffer);
    try {
      const result = waiter.now(io.receiveStaged);
      if (result !== undefined) return Promise.resolve(result);
    } finally {
      io.unstage();
    }
  } catch (err) {
    return Promise.reject(err);
  }
  return waiter.poll(fd, POLLIN, signal, (deadline) => io.receiveUntil(buffer, deadline));
}

/**
 * Send `data` if there is room, without sleeping: whether it was sent. With
 * a `spin`, a full queue is tried again for that long on this thread.
 */
export function trySend(
  io: QueueIo,
  data: string | Uint8Array,
  options: TrySendOptions | undefined,
): boolean {
  const priority = sendPriority(options);
  const micros = trySpin("send", options);
  const bytes = io.bytes("send", data);
  if (io.sendNow(io.open("send", true), bytes, priority, NOW)) return true;
  if (micros === 0) return false;
  io.stage(bytes, priority, undefined);
  try {
    return spinFor(io.sendStaged, micros) ?? false;
  } finally {
    io.unstage();
  }
}

/**
 * Receive into the checked `buffer` (or as a fresh copy: undefined) if a
 * message is there, without sleeping. With a `spin`, an empty queue is
 * tried again for that long on this thread.
 */
export function tryReceiveWith(
  io: QueueIo,
  buffer: undefined,
  options: TryReceiveOptions | undefined,
): Message | undefined;
export function tryReceiveWith(
  io: QueueIo,
  buffer: Uint8Array,
  options: TryReceiveOptions | undefined,
): Received | undefined;
export function tryReceiveWith(
  io: QueueIo,
  buffer: Uint8Array | undefined,
  options: TryReceiveOptions | undefined,
): Message | Received | undefined {
  const micros = trySpin("receive", options);
  const result = io.receiveUntil(buffer, NOW);
  if (result !== undefined || micros === 0) return result;
  io.stage(EMPTY, 0, buffer);
  try {
    return spinFor(io.receiveStaged, micros);
  } finally {
    io.unstage();
  }
}

/** Receive messages one after another until the handle is closed (the loop ends) or aborted. */
export async function* messages(
  io: QueueIo,
  waiter: QueueWaiter,
  options: ReceiveOptions,
): AsyncGenerator<Message, void, undefined> {
  for (;;) {
    if (io.closed) return;
    let message: Message;
    try {
      message = await receive(io, waiter, options);
    } catch (err) {
      if (io.closed) return; // closed while waiting: the loop just ends
      throw err;
    }
    yield message;
  }
}

/**
 * Close the handle once: pending waits reject, and with `unlinkId` (not
 * false: `unlinkOnClose`) the name goes too while it is still the queue's.
 */
export function close(
  io: QueueIo,
  waiter: QueueWaiter,
  unlinkId: string | undefined | false,
): void {
  if (io.closed) return;
  io.close(() => waiter.cancelAll());
  if (unlinkId !== false) unlinkIfSame(io.name, unlinkId);
}
