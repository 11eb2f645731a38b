// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Linux constants for x86_64 and aarch64. Flags, signal numbers and futex
 * operations are the same on both (asm-generic); syscall numbers differ and
 * are picked by architecture.
 *
 * @module
 */
import { host } from "./host.ts";

/** The CPU architecture, read without any permission. */
export const ARCH: "x86_64" | "aarch64" = (() => {
  const arch = host().arch;
  return arch === "aarch64" || arch === "arm64" ? "aarch64" : "x86_64";
})();

// errno values the mechanisms test for (asm-generic/errno-base.h, errno.h)
export const EPERM = 1;
export const EBADF = 9;
export const ENOENT = 2;
export const ESRCH = 3;
export const EFAULT = 14;
export const EINTR = 4;
export const EAGAIN = 11;
export const EEXIST = 17;
export const ENXIO = 6;
export const EISDIR = 21;
export const EINVAL = 22;
export const ELOOP = 40;
export const ENOSYS = 38;
export const ETIMEDOUT = 110;

// open(2) / mq_open(3) / shm_open(3)
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;
/** Refuse a symbolic link as the last component (its value differs on aarch64). */
export const O_NOFOLLOW: number = ARCH === "aarch64" ? 0o100000 : 0o400000;
/** Open only to name the file (fstat works; reading does not; no read permission needed). */
export const O_PATH = 0o10000000;

// stat(2) st_mode file types
export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;

// mmap(2)
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 1;
export const MAP_PRIVATE = 2;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
/** mmap's failure value, `(void *) -1`. */
export const MAP_FAILED = 0xffff_ffff_ffff_ffffn;

// poll(2)
export const POLLIN = 0x001;
export const POLLOUT = 0x004;
export const POLLERR = 0x008;
export const POLLHUP = 0x010;
export const POLLNVAL = 0x020;

// epoll(7): the event bits are poll's (EPOLLIN = POLLIN, …)
export const EPOLL_CLOEXEC = 0o2000000;
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLL_CTL_MOD = 3;
/** Disarm the registration once it has reported an event (re-armed with EPOLL_CTL_MOD). */
export const EPOLLONESHOT = 0x4000_0000;

// eventfd(2), signalfd(2)
export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;
export const SFD_CLOEXEC = 0o2000000;
export const SFD_NONBLOCK = 0o4000;

// futex(2)
export const FUTEX_WAIT = 0;
export const FUTEX_WAKE = 1;
/** Not used: this library's futexes are shared between processes. */
export const FUTEX_PRIVATE_FLAG = 128;
/** futex_waitv(2) entry flag: the futex word is 32 bits. */
export const FUTEX2_SIZE_U32 = 2;

// clock_gettime(2)
export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
/** Read at the last scheduler tick; its resolution (`clock_getres`) is the tick period. */
export const CLOCK_MONOTONIC_COARSE = 6;

// mq_overview(7)
/** Priorities run from 0 to MQ_PRIO_MAX - 1. */
export const MQ_PRIO_MAX = 32768;
/** NAME_MAX: the longest object name, without the leading slash. */
export const NAME_MAX = 255;

// socket(7)
export const SOL_SOCKET = 1;
export const SO_PEERCRED = 17;

// lseek(2)
export const SEEK_SET = 0;
export const SEEK_END = 2;

/** Classic signal numbers (same on x86_64 and aarch64). */
export const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
};

/** The kernel's highest signal number (glibc's SIGRTMAX is the same). */
export const NSIG_MAX = 64;

/** Syscall numbers for calls glibc has no wrapper for (or a late one). */
export const SYS: Readonly<{
  futex: number;
  gettid: number;
  tgkill: number;
  rt_tgsigqueueinfo: number;
  pidfd_open: number;
  pidfd_send_signal: number;
  futex_waitv: number;
}> = ARCH === "aarch64"
  ? {
    futex: 98,
    gettid: 178,
    tgkill: 131,
    rt_tgsigqueueinfo: 240,
    pidfd_open: 434,
    pidfd_send_signal: 424,
    futex_waitv: 449,
  }
  : {
    futex: 202,
    gettid: 186,
    tgkill: 234,
    rt_tgsigqueueinfo: 297,
    pidfd_open: 434,
    pidfd_send_signal: 424,
    futex_waitv: 449,
  };
