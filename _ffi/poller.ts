// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Wait for file-descriptor readiness without blocking the event loop and
 * without parking one thread per waiter: every waiter in the process shares
 * ONE `poll(2)` call running on the FFI worker pool, interrupted through an
 * eventfd whenever the set of waiters changes. When nobody waits, no call is
 * pending, so the process can exit.
 *
 * Only readiness travels back (poll's revents); the actual operation is then
 * retried synchronously on the main thread, where errno is exact.
 *
 * @module
 */
import { backend, check, libc } from "./libc.ts";
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
  resolve(revents: number): void;
  reject(err: unknown): void;
}

const ONE = new Uint8Array(new BigUint64Array([1n]).buffer);
const drain = new Uint8Array(8);

let eventFd = -1;
const waiters = new Set<Waiter>();
/**
 * Rejections of aborted waiters, delivered once the poll call they were part
 * of has returned: when a wait settles, no native call started for it is
 * still pending (so the process can exit, and op sanitizers see no leak).
 */
const leaving: Array<() => void> = [];

function flushLeaving(): void {
  for (const reject of leaving.splice(0)) reject();
}
let polling = false;
let kicked = false;

function kick(): void {
  if (!polling || kicked) return;
  kicked = true;
  libc().write(eventFd, ONE, 8n);
}

/** Longest nap between zero-timeout polls when calls cannot leave the thread (Bun). */
const MAX_NAP_MS = 16;
/**
 * Longest time one poll holds a thread of Node's libuv pool (4 threads,
 * shared with fs, dns and zlib, and with the poller of every worker thread):
 * work queued behind it gets the thread in between. Deno's pool is large.
 */
const POOL_SLICE_MS = 100;

async function run(): Promise<void> {
  const lib = libc();
  const offThread = backend().offThread;
  const slice = backend().smallPool ? POOL_SLICE_MS : -1;
  let nap = 1;
  polling = true;
  try {
    while (waiters.size > 0) {
      const batch = [...waiters];
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
      let n: number;
      if (offThread) {
        n = await lib.poll_blocking(fds, count, slice);
        flushLeaving();
      } else {
        // No thread to park (Bun): poll without waiting, then nap, backing off.
        n = lib.poll(fds, count, 0);
        if (n === 0) {
          await new Promise((resolve) => setTimeout(resolve, nap));
          nap = Math.min(nap * 2, MAX_NAP_MS);
          continue;
        }
        nap = 1;
      }
      if (n < 0) {
        // A call on the worker pool leaves errno there: ask again here, at once.
        if (lib.poll(fds, count, 0) >= 0) continue;
        const errno = backend().errno();
        if (errno === EINTR) continue;
        // Anything else would fail again on every turn: fail these waits.
        failAll(batch, errnoError(errno, "poll"));
        continue;
      }
      if (readRevents(fds, 0) !== 0) {
        lib.read(eventFd, drain, 8n);
        kicked = false;
      }
      for (const w of batch) {
        // What poll would have reported to this waiter alone.
        const revents = readRevents(fds, slot.get(w.fd)!) & (w.events | POLL_FAILURE);
        if (revents !== 0 && waiters.delete(w)) w.resolve(revents);
      }
    }
  } finally {
    polling = false;
    flushLeaving();
  }
}

/** Reject `batch`'s waiters that are still waiting. */
function failAll(batch: Waiter[], err: unknown): void {
  for (const w of batch) if (waiters.delete(w)) w.reject(err);
}

/** Start the loop; should the native call itself fail, every waiter learns why. */
function start(): void {
  run().catch((err) => failAll([...waiters], err));
}

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
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (eventFd < 0) {
    eventFd = check(libc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
    // Node's exit (process.exit, an uncaught error) joins libuv's pool
    // threads: the parked poll must return then, or the process never ends.
    backend().onExit(kick);
  }
  return new Promise<number>((resolve, reject) => {
    const onAbort = () => {
      if (!waiters.delete(waiter)) return;
      if (polling && backend().offThread) {
        leaving.push(() => reject(signal!.reason));
        kick();
      } else {
        reject(signal!.reason);
      }
    };
    const waiter: Waiter = {
      fd,
      events,
      resolve(revents) {
        signal?.removeEventListener("abort", onAbort);
        resolve(revents);
      },
      reject(err) {
        signal?.removeEventListener("abort", onAbort);
        reject(err);
      },
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    waiters.add(waiter);
    if (polling) kick();
    else start();
  });
}

/** Descriptors this module keeps open for the process's lifetime (for leak checks). */
export function internalFds(): number[] {
  return eventFd < 0 ? [] : [eventFd];
}

/** How many waiters the shared poll loop serves now (for tests). */
export function pendingWaits(): number {
  return waiters.size;
}
