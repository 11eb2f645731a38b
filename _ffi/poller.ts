// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Wait for file-descriptor readiness without blocking the event loop and
 * without parking one thread per waiter: every waiter in the process shares
 * ONE `poll(2)` call running on the FFI worker pool (the poll driver of the
 * wait hub, `_hub.ts`), interrupted through an eventfd whenever the set of
 * waiters changes. When nobody waits, no call is pending, so the process can
 * exit. {@linkcode waitReady} serves any pollable descriptor: mechanisms and
 * transports built on native sockets wait through it.
 *
 * Only readiness travels back (poll's revents); the actual operation is then
 * retried synchronously on the main thread, where errno is exact.
 *
 * @module
 */
import { backend, check, libc } from "./libc.ts";
import { type HubDriver, WaitHub } from "./_hub.ts";
import { errnoError } from "./errno.ts";
import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EINTR,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLNVAL,
} from "./constants.ts";
import { POLLFD_SIZE, readRevents, writePollfd } from "./struct.ts";

interface Waiter {
  fd: number;
  events: number;
}

const ONE = new Uint8Array(new BigUint64Array([1n]).buffer);
const drain = new Uint8Array(8);

let eventFd = -1;
let kicked = false;

/**
 * Longest time one poll holds a thread of a small shared pool (Node's libuv
 * pool: 4 threads, shared with fs, dns and zlib, and with the poller of every
 * worker thread): work queued behind it gets the thread in between. Deno's
 * pool is large.
 */
const POOL_SLICE_MS = 100;

/** The poll(2) driver of the readiness hub. */
const pollDriver: HubDriver<Waiter> = {
  open(): void {
    eventFd = check(libc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
  },
  kick(): void {
    if (kicked) return;
    kicked = true;
    libc().write(eventFd, ONE, 8n);
  },
  async turn(batch: Waiter[], park: boolean): Promise<boolean> {
    const lib = libc();
    // One entry per descriptor, however many wait on it: poll(2) refuses
    // more entries than RLIMIT_NOFILE (EINVAL, and the loop would spin).
    const entries = new Map<number, number>();
    for (const w of batch) entries.set(w.fd, (entries.get(w.fd) ?? 0) | w.events);
    // Off-heap backing store: a worker thread writes revents into it, and
    // V8 may move small on-heap typed arrays during a GC.
    const fds = new Uint8Array(new ArrayBuffer((entries.size + 1) * POLLFD_SIZE));
    writePollfd(fds, 0, eventFd, POLLIN);
    const slot = new Map<number, number>();
    let i = 0;
    for (const [fd, events] of entries) {
      slot.set(fd, ++i);
      writePollfd(fds, i, fd, events);
    }
    const count = BigInt(entries.size + 1);
    // Without a thread to park (Bun), poll without waiting; the hub naps.
    const n = park
      ? await lib.poll_blocking(fds, count, backend().smallPool ? POOL_SLICE_MS : -1)
      : lib.poll(fds, count, 0);
    if (n === 0) return false;
    if (n < 0) {
      // A call on the worker pool leaves errno there: ask again here, at once.
      if (lib.poll(fds, count, 0) >= 0) return true;
      const errno = backend().errno();
      if (errno === EINTR) return true;
      // Anything else would fail again on every turn: fail these waits.
      const err = errnoError(errno, "poll");
      for (const w of batch) readiness.reject(w, err);
      return true;
    }
    if (readRevents(fds, 0) !== 0) {
      lib.read(eventFd, drain, 8n);
      kicked = false;
    }
    for (const w of batch) {
      // What poll would have reported to this waiter alone.
      const revents = readRevents(fds, slot.get(w.fd)!) & (w.events | POLL_FAILURE);
      if (revents !== 0) readiness.resolve(w, revents);
    }
    return true;
  },
};

/** Every readiness wait of the process, served by one poll(2) call. */
const readiness = new WaitHub<Waiter, number>(pollDriver);

/** Bits of revents that mean the descriptor is unusable, not ready. */
export const POLL_FAILURE: number = POLLERR | POLLHUP | POLLNVAL;

/**
 * Resolve with poll's `revents` once `fd` is ready for `events` (POLLIN,
 * POLLOUT, …) or fails (POLLERR/POLLHUP/POLLNVAL). Rejects with
 * `signal.reason` when aborted: the waiter is removed at once, and the
 * promise rejects as soon as the shared poll call has returned (tens of µs),
 * so no native call started for it outlives it. Should poll(2) itself fail
 * other than by EINTR (e.g. EINVAL: more descriptors than RLIMIT_NOFILE),
 * the waits reject with that error instead of waiting forever.
 *
 * @param fd A pollable descriptor (socket, pipe, mq, eventfd, signalfd…).
 * @param events The poll events to wait for.
 * @param signal Aborts the wait.
 */
export function waitReady(fd: number, events: number, signal?: AbortSignal): Promise<number> {
  return readiness.wait({ fd, events }, signal);
}

/** Descriptors this module keeps open for the process's lifetime (for leak checks). */
export function internalFds(): number[] {
  return eventFd < 0 ? [] : [eventFd];
}

/** How many waiters the shared poll loop serves now (for tests). */
export function pendingWaits(): number {
  return readiness.size;
}
