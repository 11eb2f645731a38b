// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the options of {@linkcode UnixSocket}'s calls (re-exported by
 * uds/unix_socket.ts).
 *
 * @module
 */
import type { SocketType } from "./_native.ts";
import type { FdLike } from "./received_fd.ts";

/** Options for {@linkcode UnixSocket.connect}. */
export interface UnixConnectOptions {
  /** `"stream"` (a byte stream) or `"seqpacket"` (messages). @default {"stream"} */
  type?: SocketType;
  /** Abort the connection attempt. @default {undefined} */
  signal?: AbortSignal;
}

/** Options for {@linkcode UnixSocket.send}. */
export interface UnixSendOptions {
  /**
   * Descriptors to pass with the bytes (at most 253, SCM_MAX_FD), attached to
   * the first byte. The receiver gets duplicates; these stay open here.
   * @default {[]}
   */
  fds?: readonly FdLike[];
  /** Abort the wait for room in the socket buffer. @default {undefined} */
  signal?: AbortSignal;
}

/** Options for {@linkcode UnixSocket.receive}. */
export interface UnixReceiveOptions {
  /**
   * Most bytes returned by one call: on a stream socket 1..65536; on a
   * seqpacket socket the longest message accepted (1..16 MiB, default
   * 262144): a longer one is DROPPED and the call throws `InvalidData`
   * (never a silent truncation).
   * @default {65536}
   */
  maxBytes?: number;
  /**
   * Before waiting on the poll loop, retry a non-blocking read for up to
   * this many µs (yielding the CPU in between): a reply that comes within it
   * is taken without a thread hop or a wake-up. Costs up to that much CPU
   * per wait that finds nothing (an eighth of it after repeated misses).
   * @default {0}
   */
  spin?: number;
  /**
   * Most descriptors accepted with one message (0..253). A message carrying
   * more is an `InvalidData` error, and the descriptors that did arrive are
   * closed. @default {253}
   */
  maxFds?: number;
  /** Abort the wait. @default {undefined} */
  signal?: AbortSignal;
}
