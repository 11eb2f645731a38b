// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Wait for file-descriptor readiness without blocking the event loop and
 * without parking one thread per waiter: every waiter in the process shares
 * ONE `epoll_wait(2)` call running on the FFI worker pool (the epoll driver
 * of the wait hub, `_hub.ts`). A new wait is registered in the process's one
 * epoll instance synchronously (`_epoll.ts`), and the call already parked
 * sees it at once: no kick, no extra thread round trip. Only when the last
 * waiter leaves is the call kicked (an eventfd in the same epoll instance),
 * so that nothing stays pending and the process can exit. When nobody
 * waits, no call is pending. {@linkcode waitReady} serves any pollable
 * descriptor: mechanisms and transports built on native sockets wait
 * through it.
 *
 * Only readiness travels back (the event bits, which are poll's); the actual
 * operation is then retried synchronously on the main thread, where errno is
 * exact.
 *
 * @module
 */
import { backend, check, libc } from "./libc.ts";
import { type HubDriver, WaitHub } from "./_hub.ts";
import { Interest, POLL_FAILURE, type Waiter } from "./_epoll.ts";
import { errnoError } from "./errno.ts";
import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EINTR,
  EPOLL_CLOEXEC,
  EPOLL_CTL_ADD,
  POLLIN,
} from "./constants.ts";
import { EPOLL_EVENT_SIZE, epollData, epollEvents, writeEpollEvent } from "./struct.ts";

export { POLL_FAILURE };

const ONE = new Uint8Array(new BigUint64Array([1n]).buffer);
const drain = new Uint8Array(8);
/** Events one epoll_wait returns at most (more wait for the next call, at once). */
const MAX_EVENTS = 64;
// Off-heap backing store: a worker thread writes the events into it, and V8
// may move small on-heap typed arrays during a GC. Only one call is in flight.
const events = new Uint8Array(new ArrayBuffer(MAX_EVENTS * EPOLL_EVENT_SIZE));
const eventView = new DataView(events.buffer);

let epollFd = -1;
let eventFd = -1;
let interest: Interest | undefined;
let kicked = false;
let kicks = 0;
let lastAudit = 0;

/**
 * Longest time one epoll_wait holds a thread of a small shared pool (Node's
 * libuv pool: 4 threads, shared with fs, dns and zlib, and with the poller
 * of every worker thread): work queued behind it gets the thread in between.
 * Deno's pool is large.
 */
const POOL_SLICE_MS = 100;
/**
 * How often (at most) the waiting descriptors are re-checked with poll(2):
 * one closed while waited on is then reported POLLNVAL (the kernel drops its
 * epoll registration without a word). Also the longest a call is parked.
 */
const AUDIT_MS = 1000;

/** The epoll(7) driver of the readiness hub. */
const epollDriver: HubDriver<Waiter> = {
  open(): void {
    const lib = libc();
    const epfd = check(lib.epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
    try {
      eventFd = check(lib.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
      // Level-triggered, not one-shot: tag 0 names it.
      writeEpollEvent(eventView, 0, POLLIN, eventFd, 0);
      check(lib.epoll_ctl(epfd, EPOLL_CTL_ADD, eventFd, events), "epoll_ctl", eventFd);
    } catch (err) {
      lib.close(epfd);
      if (eventFd >= 0) lib.close(eventFd);
      eventFd = -1;
      throw err;
    }
    epollFd = epfd;
    interest = new Interest(epfd, readiness);
  },
  kick(): void {
    if (kicked) return;
    kicked = true;
    kicks++;
    libc().write(eventFd, ONE, 8n);
  },
  add(waiter: Waiter): void {
    interest!.add(waiter);
  },
  remove(waiter: Waiter): void {
    interest!.remove(waiter);
  },
  async turn(_batch: Waiter[], park: boolean): Promise<boolean> {
    const lib = libc();
    // Without a thread to park (Bun), check without waiting; the hub naps.
    let n = park
      ? await lib.epoll_wait_blocking(
        epollFd,
        events,
        MAX_EVENTS,
        backend().smallPool ? POOL_SLICE_MS : AUDIT_MS,
      )
      : lib.epoll_wait(epollFd, events, MAX_EVENTS, 0);
    if (n < 0) {
      // A call on the worker pool leaves errno there: ask again here, at once.
      n = lib.epoll_wait(epollFd, events, MAX_EVENTS, 0);
      if (n < 0) {
        const errno = backend().errno();
        if (errno === EINTR) return true;
        // Anything else would fail again on every turn: fail these waits.
        interest!.failAll(errnoError(errno, "epoll_wait"));
        return true;
      }
    }
    for (let i = 0; i < n; i++) {
      const tag = epollData(eventView, i, 1);
      if (tag === 0) {
        lib.read(eventFd, drain, 8n);
        kicked = false;
      } else {
        interest!.fire(epollData(eventView, i, 0), tag, epollEvents(eventView, i));
      }
    }
    const now = performance.now();
    if (now - lastAudit >= AUDIT_MS) {
      lastAudit = now;
      interest!.audit();
    }
    return n > 0;
  },
};

/** Every readiness wait of the process, served by one epoll_wait(2) call. */
const readiness = new WaitHub<Waiter, number>(epollDriver);

/**
 * Resolve with the readiness bits (poll's `revents`) once `fd` is ready for
 * `events` (POLLIN, POLLOUT, …) or fails (POLLERR/POLLHUP; POLLNVAL once it
 * is found closed). A descriptor epoll cannot watch but poll(2) reports
 * ready at once (a regular file) resolves at once, as poll would; one it
 * refuses otherwise rejects with the `epoll_ctl` error. Rejects with
 * `signal.reason` when aborted: the waiter is removed at once; when it was
 * the last one, the promise rejects as soon as the shared call has returned
 * (tens of µs), so no native call started for it outlives it. Should
 * epoll_wait(2) itself fail other than by EINTR, the waits reject with that
 * error instead of waiting forever.
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
  return epollFd < 0 ? [] : [epollFd, eventFd];
}

/** How many waiters the shared epoll_wait call serves now (for tests). */
export function pendingWaits(): number {
  return readiness.size;
}

/** How many times the shared call was kicked since the process started (for tests). */
export function kickCount(): number {
  return kicks;
}
