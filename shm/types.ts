// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The option types of {@linkcode SharedMemory}, {@linkcode Semaphore} and
 * {@linkcode Channel}.
 *
 * @module
 */
/** Options for {@linkcode SharedMemory.create}. */
export interface SharedMemoryCreateOptions {
  /** Size in bytes, reserved at once (a full /dev/shm fails here with ENOSPC). */
  size: number;
  /** Permission bits of the new object (the umask still applies). @default {0o600} */
  mode?: number;
  /** Unlink the name when this object is closed. @default {false} */
  unlinkOnClose?: boolean;
}

/** Options for {@linkcode SharedMemory.open}. */
export interface SharedMemoryOpenOptions {
  /** Map the memory read-only (PROT_READ): every write through this object throws. @default {false} */
  readOnly?: boolean;
  /**
   * Trust an object owned by another uid. By default an object not owned by
   * this process's effective uid is refused with `PermissionDenied`: /dev/shm
   * is world-writable, so another user may have created the name first.
   * @default {false}
   */
  allowOtherOwner?: boolean;
}

/** Options for {@linkcode Semaphore.open}. */
export interface SemaphoreOpenOptions {
  /** Create the semaphore when it does not exist. @default {false} */
  create?: boolean;
  /** With `create`, fail when it already exists (`EEXIST`). @default {false} */
  exclusive?: boolean;
  /** Initial value when this call creates it. @default {0} */
  value?: number;
  /** Permission bits when this call creates it. @default {0o600} */
  mode?: number;
  /** Unlink the name on close, if this call created it. @default {false} */
  unlinkOnClose?: boolean;
  /**
   * Trust an existing semaphore owned by another uid. By default one not
   * owned by this process's effective uid is refused with `PermissionDenied`:
   * /dev/shm is world-writable, so another user may have created the name
   * first (and chosen its value). @default {false}
   */
  allowOtherOwner?: boolean;
}

/** Options for {@linkcode Semaphore.wait}. */
export interface SemaphoreWaitOptions {
  /** Abort the wait; it rejects with `signal.reason` and consumes nothing. */
  signal?: AbortSignal;
}

/** Options for {@linkcode Channel.create}. */
export interface ChannelCreateOptions {
  /** Ring size in bytes: a power of two from 4096 to 2^30. Messages may be up to half of it. @default {1048576} */
  capacity?: number;
  /** Permission bits of the shared-memory object. @default {0o600} */
  mode?: number;
  /** Let several processes send (they take a lock per message). @default {false} */
  multiProducer?: boolean;
  /**
   * Make a ring of fixed-size records instead of length-prefixed messages:
   * every message is exactly this many bytes (a power of two from 8 to half
   * the capacity), stored back to back without a prefix on whole slots, so a
   * batch of records ({@linkcode Channel.trySendRecords},
   * {@linkcode Channel.tryReceiveRecords}) moves in one copy. Recorded in the
   * header: attachers learn it ({@linkcode Channel.recordSize}).
   * @default {undefined} (length-prefixed messages of any size up to `maxMessageSize`)
   */
  recordSize?: number;
  /** Unlink the name when this object is closed. @default {false} */
  unlinkOnClose?: boolean;
  /**
   * How long, in microseconds, a waiting send or receive keeps trying
   * before it sleeps (the same option as a MessageQueue's `spin`). 0 turns it off.
   * @default {50}
   */
  spin?: number;
}

/** Options for {@linkcode Channel.open}. */
export interface ChannelOpenOptions {
  /**
   * How long, in microseconds, a waiting send or receive keeps trying
   * before it sleeps (the same option as a MessageQueue's `spin`). 0 turns it off.
   * @default {50}
   */
  spin?: number;
  /**
   * Trust a channel owned by another uid. By default one not owned by this
   * process's effective uid is refused with `PermissionDenied`: /dev/shm is
   * world-writable, so another user may have created the name first and
   * written its header. @default {false}
   */
  allowOtherOwner?: boolean;
  /**
   * Require a ring of fixed-size records of this size (a power of two from 8
   * on): any other channel, including one of length-prefixed messages, is
   * refused with `InvalidData`. Without it, either kind is accepted.
   */
  recordSize?: number;
}

/** Options for the waiting operations of a {@linkcode Channel}. */
export interface ChannelWaitOptions {
  /** Abort the wait: it rejects with `signal.reason`; nothing is sent or consumed. */
  signal?: AbortSignal;
}

/** Options for {@linkcode Channel.anonymous}. */
export interface ChannelAnonymousOptions {
  /** Ring size in bytes: a power of two. @default {1048576} */
  capacity?: number;
  /** Allow several processes to send at once. @default {false} */
  multiProducer?: boolean;
  /**
   * Make a ring of fixed-size records instead of length-prefixed messages:
   * every message is exactly this many bytes (a power of two from 8 to half
   * the capacity), stored back to back without a prefix on whole slots, so a
   * batch of records ({@linkcode Channel.trySendRecords},
   * {@linkcode Channel.tryReceiveRecords}) moves in one copy. Recorded in the
   * header: attachers learn it ({@linkcode Channel.recordSize}).
   * @default {undefined} (length-prefixed messages of any size up to `maxMessageSize`)
   */
  recordSize?: number;
  /**
   * How long, in microseconds, a waiting send or receive keeps trying
   * before it sleeps (the same option as a MessageQueue's `spin`). 0 turns it off.
   * @default {50}
   */
  spin?: number;
  /** Seal the memory against shrinking (F_SEAL_SHRINK). @default {true} */
  seal?: boolean;
}

/** Options for {@linkcode Channel.fromFd}. */
export interface ChannelFromFdOptions {
  /**
   * How long, in microseconds, a waiting send or receive keeps trying
   * before it sleeps (the same option as a MessageQueue's `spin`). 0 turns it off.
   * @default {50}
   */
  spin?: number;
  /** Refuse memory not sealed against shrinking (a peer could cause SIGBUS). @default {true} */
  requireSeal?: boolean;
  /**
   * Require a ring of fixed-size records of this size (a power of two from 8
   * on): any other channel, including one of length-prefixed messages, is
   * refused with `InvalidData`. Without it, either kind is accepted.
   */
  recordSize?: number;
}

/** What one {@linkcode Channel} handle has sent and received (payload bytes, not framing). */
export interface ChannelStats {
  /** Messages this handle sent. */
  messagesSent: number;
  /** Their payload bytes. */
  bytesSent: number;
  /** Messages this handle received (a view counts when it is released). */
  messagesReceived: number;
  /** Their payload bytes. */
  bytesReceived: number;
}

/** Options for the synchronous receives of a {@linkcode Channel} (`tryReceiveInto`, `tryReceiveBatch`). */
export interface ChannelTryOptions {
  /**
   * When nothing is ready, keep checking for up to this many microseconds
   * before giving up, on the calling thread: the event loop (timers, I/O,
   * other promises) does not run meanwhile and one CPU is busy. 0 looks once.
   *
   * @default {0}
   */
  spin?: number;
}
