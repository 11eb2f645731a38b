// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The option and result types of {@linkcode MessageQueue}.
 *
 * @module
 */
/** Options for {@linkcode MessageQueue.open}. */
export interface OpenOptions {
  /**
   * Create the queue if it does not exist (`O_CREAT`).
   *
   * @default {false}
   */
  create?: boolean;
  /**
   * Fail with `Deno.errors.AlreadyExists` if the queue exists (`O_CREAT | O_EXCL`);
   * implies `create`.
   *
   * @default {false}
   */
  exclusive?: boolean;
  /**
   * Permission bits of a queue this call creates (masked by the umask),
   * 0 to 0o777.
   *
   * @default {0o600}
   */
  mode?: number;
  /**
   * Trust an existing queue owned by another uid. By default a queue not
   * owned by this process's effective uid is refused (closed again) with
   * `Deno.errors.PermissionDenied` naming the owner: queue names are global,
   * so another user may have created the name first and read or forged the
   * messages.
   *
   * @default {false}
   */
  allowOtherOwner?: boolean;
  /**
   * Capacity in messages of a queue this call creates. Unprivileged processes
   * may ask for at most `/proc/sys/fs/mqueue/msg_max` (10 on many systems).
   * Ignored when the queue already exists.
   *
   * @default {/proc/sys/fs/mqueue/msg_default}
   */
  maxMessages?: number;
  /**
   * Largest message in bytes of a queue this call creates; at most
   * `/proc/sys/fs/mqueue/msgsize_max` for unprivileged processes. Ignored when
   * the queue already exists.
   *
   * @default {/proc/sys/fs/mqueue/msgsize_default}
   */
  messageSize?: number;
  /**
   * Open for receiving only (`O_RDONLY`).
   *
   * @default {false}
   */
  readOnly?: boolean;
  /**
   * Open for sending only (`O_WRONLY`).
   *
   * @default {false}
   */
  writeOnly?: boolean;
  /**
   * Unlink the queue's name when this handle is closed (as long as the name
   * still names this queue: a queue another process made under it since is
   * left alone, and so is one this process cannot open to tell, e.g. made
   * with mode 0200). Processes that have it open keep using it.
   *
   * @default {false}
   */
  unlinkOnClose?: boolean;
  /**
   * How long, in microseconds, a send or receive that finds the queue full
   * or empty keeps trying on the main thread, yielding the CPU between
   * tries, before it sleeps. Catches a peer that is running right now
   * without a thread hop. 0 turns it off.
   *
   * @default {50}
   */
  spin?: number;
  /**
   * After the spin, how long, in microseconds, one call at least may sleep
   * in the kernel on the main thread (the event loop waits meanwhile) before
   * the wait moves to the shared off-thread poller. A peer that answers
   * within it wakes this process without a thread hop. 0 turns it off; with
   * `spin: 0` too, waiting never holds the event loop at all.
   *
   * The sleep's deadline is rounded up to 20 µs past the next scheduler
   * tick (where the tick is at most 4 ms: HZ ≥ 250), so when nothing comes
   * the event loop waits up to `syncWait` + one tick: 4.2 ms at HZ=250 by
   * default, half of that on average. The reason: a deadline that falls
   * before the CPU's next tick makes the kernel reprogram its timer device
   * when the sleep starts and again when a message ends it early; in a
   * virtual machine each is a VM exit, measured here at about +7 µs per
   * wake-up (a ping-pong at 1.3–1.7× a blocking C one with unrounded 200 µs
   * deadlines, about 1× rounded). After several idle waits in a row the
   * sleep shrinks to an eighth and is no longer rounded (25 µs by default).
   *
   * @default {200}
   */
  syncWait?: number;
}

/** Options for {@linkcode MessageQueue.prototype.send}. */
export interface SendOptions {
  /**
   * Priority from 0 to 32767; higher priorities are received first, equal
   * priorities in the order sent.
   *
   * @default {0}
   */
  priority?: number;
  /**
   * Stop waiting for room in a full queue; the promise rejects with
   * `signal.reason` and nothing is sent.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/** Options for {@linkcode MessageQueue.prototype.trySend}. */
export interface TrySendOptions {
  /**
   * Priority from 0 to 32767.
   *
   * @default {0}
   */
  priority?: number;
  /**
   * How long, in µs (0 to 1,000,000), a call that finds the queue full keeps
   * trying on the calling thread, yielding the CPU between tries, before it
   * returns `false`. It never sleeps in the kernel and returns no promise:
   * the event loop runs nothing meanwhile and the CPU stays busy. For a
   * peer known to answer within microseconds.
   *
   * @default {0}
   */
  spin?: number;
}

/**
 * Options for {@linkcode MessageQueue.prototype.tryReceive} and
 * {@linkcode MessageQueue.prototype.tryReceiveInto}.
 */
export interface TryReceiveOptions {
  /**
   * How long, in µs (0 to 1,000,000), a call that finds the queue empty
   * keeps trying on the calling thread, yielding the CPU between tries,
   * before it returns `undefined`. It never sleeps in the kernel and returns
   * no promise: the event loop runs nothing meanwhile and the CPU stays
   * busy. The fastest way to take a reply that comes within microseconds.
   *
   * @default {0}
   */
  spin?: number;
}

/** Options for receiving from a {@linkcode MessageQueue}. */
export interface ReceiveOptions {
  /**
   * Stop waiting for a message; the promise rejects with `signal.reason` and
   * no message is consumed.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
}

/** A received message. */
export interface Message {
  /** The message's bytes (a fresh copy owned by the caller). */
  data: Uint8Array;
  /** The priority it was sent with. */
  priority: number;
}

/** What {@linkcode MessageQueue.prototype.receiveInto} wrote into the caller's buffer. */
export interface Received {
  /** Bytes written at the start of the buffer. */
  length: number;
  /** The priority the message was sent with. */
  priority: number;
}

/** The attributes of a queue ({@linkcode MessageQueue.prototype.attributes}). */
export interface QueueAttributes {
  /** Capacity in messages. */
  maxMessages: number;
  /** Largest message in bytes. */
  messageSize: number;
  /** Messages in the queue now. */
  currentMessages: number;
}

/** One message queue found by `MessageQueue.list`. */
export interface QueueInfo {
  /** Its POSIX name, with the leading `/`. */
  name: string;
  /** Its file in /dev/mqueue. */
  path: string;
  /** The bytes of the messages it holds now (QSIZE). */
  size: number;
}
