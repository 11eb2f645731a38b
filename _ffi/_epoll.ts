// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the interest set of the readiness hub (`poller.ts`) in one epoll
 * instance, kept from the main thread with synchronous `epoll_ctl` calls while
 * the hub's `epoll_wait` may be parked on the worker pool (the kernel lets it
 * see every change at once: no kick).
 *
 * One registration per descriptor, for the union of the events its waiters
 * want, armed with EPOLLONESHOT: once it reports, it is disarmed until the
 * waiters still waiting re-arm it (EPOLL_CTL_MOD). A disarmed registration
 * stays in the kernel (the next wait on that descriptor is one MOD, not an
 * ADD); the kernel drops it when the descriptor's file is closed for good.
 * The event's data carries the descriptor and a tag naming the ADD that made
 * the registration, so an event of a stale registration (a descriptor closed
 * mid-wait and its number reused while a duplicate keeps the old file open)
 * is told apart and ignored.
 *
 * Where epoll refuses a descriptor (a regular file: EPERM; a closed one:
 * EBADF), its waiters get what poll(2) says of it at once (regular files are
 * always ready, a closed descriptor is POLLNVAL), or the epoll_ctl error when
 * poll would wait. {@linkcode Interest.audit} (run when the wait times out)
 * re-checks every waiting descriptor with poll(2) and re-registers it: a
 * descriptor closed while waited on (the kernel dropped its registration
 * silently) is then reported POLLNVAL, as poll(2) would.
 *
 * @module
 */
import { backend, libc } from "./libc.ts";
import { errnoError } from "./errno.ts";
import {
  EEXIST,
  ENOENT,
  EPOLL_CTL_ADD,
  EPOLL_CTL_MOD,
  EPOLLONESHOT,
  POLLERR,
  POLLHUP,
  POLLNVAL,
} from "./constants.ts";
import { EPOLL_EVENT_SIZE, readRevents, writeEpollEvent, writePollfd } from "./struct.ts";

/** Bits of revents that mean the descriptor is unusable, not ready. */
export const POLL_FAILURE: number = POLLERR | POLLHUP | POLLNVAL;

/** One wait on one descriptor. */
export interface Waiter {
  fd: number;
  events: number;
}

/** How the interest set settles waiters (the hub's resolve and reject). */
export interface Settle {
  resolve(waiter: Waiter, revents: number): boolean;
  reject(waiter: Waiter, err: unknown): boolean;
}

interface Registration {
  /** The tag of the ADD that made it (0: not in the kernel). */
  tag: number;
  /** The waiters on this descriptor, in the order they came. */
  waiters: Set<Waiter>;
}

const ctlEvent = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
const ctlBytes = new Uint8Array(ctlEvent.buffer);
const pollfd = new Uint8Array(8);

/** The descriptors one epoll instance watches for the hub's waiters. */
export class Interest {
  readonly #epfd: number;
  readonly #settle: Settle;
  readonly #byFd = new Map<number, Registration>();
  /** Tags 1…2³²−1 name ADDs; tag 0 is the hub's own kick eventfd. */
  #nextTag = 1;

  /**
   * Keep the interest set of `epfd`.
   *
   * @param epfd The epoll instance.
   * @param settle Settles the waiters.
   */
  constructor(epfd: number, settle: Settle) {
    this.#epfd = epfd;
    this.#settle = settle;
  }

  /** Register `waiter`: its descriptor's registration is (re-)armed for it now. */
  add(waiter: Waiter): void {
    let reg = this.#byFd.get(waiter.fd);
    if (reg === undefined) this.#byFd.set(waiter.fd, reg = { tag: 0, waiters: new Set() });
    reg.waiters.add(waiter);
    this.#arm(waiter.fd, reg);
  }

  /** Forget `waiter` (aborted): its descriptor is re-armed for the others, or disarmed. */
  remove(waiter: Waiter): void {
    const reg = this.#byFd.get(waiter.fd);
    if (reg === undefined || !reg.waiters.delete(waiter)) return;
    // Disarming is a MOD to no events (the kernel keeps the registration,
    // so the next wait is a MOD again); a failure only means it is gone.
    if (reg.tag !== 0) this.#ctl(EPOLL_CTL_MOD, waiter.fd, reg.tag, union(reg));
  }

  /**
   * An event epoll_wait reported: settle the waiters it is for (the
   * registration is now disarmed) and re-arm it for the ones still waiting.
   */
  fire(fd: number, tag: number, revents: number): void {
    const reg = this.#byFd.get(fd);
    if (reg === undefined || reg.tag !== tag) return; // a stale registration
    for (const w of reg.waiters) {
      // What poll would have reported to this waiter alone.
      const mine = revents & (w.events | POLL_FAILURE);
      if (mine === 0) continue;
      reg.waiters.delete(w);
      this.#settle.resolve(w, mine);
    }
    if (reg.waiters.size > 0) this.#arm(fd, reg);
  }

  /**
   * Re-check every waiting descriptor with poll(2): settle the waiters it
   * reports for, and re-register the others (a registration the kernel
   * dropped because its descriptor was closed comes back, on whatever file
   * holds that number now, as poll(2) would watch it).
   */
  audit(): void {
    for (const [fd, reg] of this.#byFd) {
      if (reg.waiters.size === 0) continue;
      const revents = pollOnce(fd, union(reg));
      if (revents > 0) this.fire(fd, reg.tag, revents);
      else this.#arm(fd, reg);
    }
  }

  /** Reject every waiter with `err` (epoll_wait itself failed for good). */
  failAll(err: unknown): void {
    for (const reg of this.#byFd.values()) {
      for (const w of reg.waiters) this.#settle.reject(w, err);
      reg.waiters.clear();
    }
  }

  /** How many descriptors have a registration this table knows of (for tests). */
  get size(): number {
    return this.#byFd.size;
  }

  /** Arm `fd`'s registration for the union of its waiters' events. */
  #arm(fd: number, reg: Registration): void {
    const events = union(reg);
    if (reg.tag !== 0) {
      if (this.#ctl(EPOLL_CTL_MOD, fd, reg.tag, events) === 0) return;
      const errno = backend().errno();
      // ENOENT: the file was closed (and the number maybe reused): add anew.
      if (errno !== ENOENT) return this.#refuse(fd, reg, errno);
    }
    const tag = this.#nextTag;
    this.#nextTag = tag === 0xffff_ffff ? 1 : tag + 1;
    reg.tag = tag;
    if (this.#ctl(EPOLL_CTL_ADD, fd, tag, events) === 0) return;
    let errno = backend().errno();
    // EEXIST: registered already (under a tag this table lost): take it over.
    if (errno === EEXIST) {
      if (this.#ctl(EPOLL_CTL_MOD, fd, tag, events) === 0) return;
      errno = backend().errno();
    }
    this.#refuse(fd, reg, errno);
  }

  /** epoll refuses `fd`: its waiters get what poll(2) says, or the error. */
  #refuse(fd: number, reg: Registration, errno: number): void {
    this.#byFd.delete(fd);
    reg.tag = 0;
    for (const w of reg.waiters) {
      const revents = pollOnce(fd, w.events);
      if (revents > 0) this.#settle.resolve(w, revents);
      else {
        this.#settle.reject(
          w,
          errnoError(errno, "epoll_ctl", fd, "the descriptor cannot be waited for"),
        );
      }
    }
    reg.waiters.clear();
  }

  #ctl(op: number, fd: number, tag: number, events: number): number {
    writeEpollEvent(ctlEvent, 0, events | EPOLLONESHOT, fd, tag);
    return libc().epoll_ctl(this.#epfd, op, fd, ctlBytes);
  }
}

/** The events the waiters of one registration want together. */
function union(reg: Registration): number {
  let events = 0;
  for (const w of reg.waiters) events |= w.events;
  return events;
}

/** What poll(2) says of `fd` now (no wait); 0 when not ready, -1 when poll fails. */
export function pollOnce(fd: number, events: number): number {
  writePollfd(pollfd, 0, fd, events);
  const n = libc().poll(pollfd, 1n, 0);
  return n > 0 ? readRevents(pollfd, 0) & (events | POLL_FAILURE) : n;
}
