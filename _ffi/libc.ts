// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The one symbol table for the C library, loaded lazily on first use (never
 * at import time), plus the helpers every mechanism calls it through.
 *
 * Each symbol carries its C prototype as a comment. glibc ≥ 2.34 has the
 * mq_*, shm_* and sem_* functions in libc.so.6 itself (no -lrt needed).
 *
 * @module
 */
import type { Backend, FunctionsOf, SymbolTable } from "./_backend.ts";
import { host } from "./host.ts";
import { SYSV_TABLE } from "./_sysv_table.ts";
import { INTERRUPT_TABLE } from "./_interrupt_table.ts";
import { errnoError } from "./errno.ts";
import { errors } from "./errors.ts";

const LIBC_TABLE = {
  // --- process, files, descriptors -------------------------------------
  /** pid_t getpid(void); */
  getpid: { parameters: [], result: "i32" },
  /** int unsetenv(const char *name); */
  unsetenv: { parameters: ["buffer"], result: "i32" },
  /** uid_t getuid(void); */
  getuid: { parameters: [], result: "u32" },
  /** uid_t geteuid(void); */
  geteuid: { parameters: [], result: "u32" },
  /** int open(const char *path, int flags, mode_t mode); */
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  /** int close(int fd); */
  close: { parameters: ["i32"], result: "i32" },
  /** ssize_t read(int fd, void *buf, size_t count); */
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  /** ssize_t pread(int fd, void *buf, size_t count, off_t offset); */
  pread: { parameters: ["i32", "buffer", "usize", "i64"], result: "isize" },
  /** ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset); */
  pwrite: { parameters: ["i32", "buffer", "usize", "i64"], result: "isize" },
  /** ssize_t write(int fd, const void *buf, size_t count); */
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  /** DIR *opendir(const char *name); */
  opendir: { parameters: ["buffer"], result: "pointer" },
  /** struct dirent *readdir(DIR *dir); — NULL at the end */
  readdir: { parameters: ["pointer"], result: "pointer" },
  /** int closedir(DIR *dir); */
  closedir: { parameters: ["pointer"], result: "i32" },
  /** int fstat(int fd, struct stat *st); */
  fstat: { parameters: ["i32", "buffer"], result: "i32" },
  /** int fchmod(int fd, mode_t mode); */
  fchmod: { parameters: ["i32", "u32"], result: "i32" },
  /** int chmod(const char *path, mode_t mode); — only on /proc/self/fd/N of an O_PATH descriptor */
  chmod: { parameters: ["buffer", "u32"], result: "i32" },
  /** int ftruncate(int fd, off_t length); */
  ftruncate: { parameters: ["i32", "i64"], result: "i32" },
  /** int posix_fallocate(int fd, off_t offset, off_t len); — returns the errno, not -1 */
  posix_fallocate: { parameters: ["i32", "i64", "i64"], result: "i32" },
  /** int eventfd(unsigned int initval, int flags); */
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  /** int poll(struct pollfd *fds, nfds_t nfds, int timeout); — sync, for timeout 0 */
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32" },
  /** int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout); */
  sigtimedwait: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  /** int poll(struct pollfd *fds, nfds_t nfds, int timeout); — on a worker thread */
  poll_blocking: {
    name: "poll",
    parameters: ["buffer", "u64", "i32"],
    result: "i32",
    nonblocking: true,
  },
  /** int epoll_create1(int flags); */
  epoll_create1: { parameters: ["i32"], result: "i32" },
  /** int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event); */
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  /** int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout); — sync, for timeout 0 */
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
  /** int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout); — on a worker thread */
  epoll_wait_blocking: {
    name: "epoll_wait",
    parameters: ["i32", "buffer", "i32", "i32"],
    result: "i32",
    nonblocking: true,
  },
  /** int getsockopt(int fd, int level, int name, void *val, socklen_t *len); */
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },

  // --- memory -----------------------------------------------------------
  /** void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off); */
  mmap: { parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"], result: "pointer" },
  /** int munmap(void *addr, size_t len); */
  munmap: { parameters: ["pointer", "usize"], result: "i32" },
  /** int shm_open(const char *name, int oflag, mode_t mode); */
  shm_open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  /** int shm_unlink(const char *name); */
  shm_unlink: { parameters: ["buffer"], result: "i32" },
  /** long syscall(SYS_futex, uint32_t *uaddr, int op, uint32_t val, const struct timespec *t, uint32_t *uaddr2, uint32_t val3); */
  futex: {
    name: "syscall",
    parameters: ["i64", "pointer", "i32", "u32", "buffer", "pointer", "u32"],
    result: "i64",
  },
  /** The same futex syscall, run on a worker thread so FUTEX_WAIT can sleep. */
  futex_blocking: {
    name: "syscall",
    parameters: ["i64", "pointer", "i32", "u32", "buffer", "pointer", "u32"],
    result: "i64",
    nonblocking: true,
  },
  /** long syscall(SYS_futex, uint32_t *uaddr, FUTEX_WAKE, int n); — uaddr as a plain address */
  futex_wake: { name: "syscall", parameters: ["i64", "u64", "i32", "i32"], result: "i64" },
  /** long syscall(SYS_futex_waitv, struct futex_waitv *w, unsigned n, unsigned flags, const struct timespec *abs, clockid_t clk); */
  futex_waitv: {
    name: "syscall",
    parameters: ["i64", "buffer", "u32", "u32", "buffer", "i32"],
    result: "i64",
  },
  /** The same futex_waitv syscall, run on a worker thread so it can sleep. */
  futex_waitv_blocking: {
    name: "syscall",
    parameters: ["i64", "buffer", "u32", "u32", "buffer", "i32"],
    result: "i64",
    nonblocking: true,
  },
  /** int clock_gettime(clockid_t clk, struct timespec *ts); */
  clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
  /** int clock_getres(clockid_t clk, struct timespec *res); — the coarse clocks' is the tick */
  clock_getres: { parameters: ["i32", "buffer"], result: "i32" },
  /** int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags); */
  fsetxattr: { parameters: ["i32", "buffer", "buffer", "usize", "i32"], result: "i32" },
  /** int setxattr(const char *path, const char *name, const void *value, size_t size, int flags); */
  setxattr: { parameters: ["buffer", "buffer", "buffer", "usize", "i32"], result: "i32" },
  /** ssize_t getxattr(const char *path, const char *name, void *value, size_t size); */
  getxattr: { parameters: ["buffer", "buffer", "buffer", "usize"], result: "isize" },

  // --- POSIX message queues -------------------------------------------
  /** mqd_t mq_open(const char *name, int oflag, mode_t mode, struct mq_attr *attr); */
  mq_open: { parameters: ["buffer", "i32", "u32", "buffer"], result: "i32" },
  /** int mq_close(mqd_t mqdes); */
  mq_close: { parameters: ["i32"], result: "i32" },
  /** int mq_unlink(const char *name); */
  mq_unlink: { parameters: ["buffer"], result: "i32" },
  /** int mq_timedsend(mqd_t q, const char *msg, size_t len, unsigned prio, const struct timespec *abs); */
  mq_timedsend: { parameters: ["i32", "buffer", "usize", "u32", "buffer"], result: "i32" },
  /**
   * ssize_t mq_timedreceive(mqd_t q, char *msg, size_t len, unsigned *prio, const struct timespec *abs);
   * — read as i32 (messages are at most 16 MiB): no BigInt is allocated, so
   * nothing (a GC) runs between the return and the errno read.
   */
  mq_timedreceive: {
    parameters: ["i32", "buffer", "usize", "buffer", "buffer"],
    result: "i32",
  },
  /** int mq_getattr(mqd_t q, struct mq_attr *attr); */
  mq_getattr: { parameters: ["i32", "buffer"], result: "i32" },
  /** int mq_setattr(mqd_t q, const struct mq_attr *new, struct mq_attr *old); */
  mq_setattr: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  /** int sched_yield(void); — lets a peer on this CPU run while a queue spins */
  sched_yield: { parameters: [], result: "i32" },

  // --- POSIX named semaphores -----------------------------------------
  /** sem_t *sem_open(const char *name, int oflag, mode_t mode, unsigned value); — SEM_FAILED is NULL */
  sem_open: { parameters: ["buffer", "i32", "u32", "u32"], result: "pointer" },
  /** int sem_close(sem_t *sem); */
  sem_close: { parameters: ["pointer"], result: "i32" },
  /** int sem_unlink(const char *name); */
  sem_unlink: { parameters: ["buffer"], result: "i32" },
  /** int sem_post(sem_t *sem); */
  sem_post: { parameters: ["pointer"], result: "i32" },
  /** int sem_trywait(sem_t *sem); */
  sem_trywait: { parameters: ["pointer"], result: "i32" },
  /** int sem_timedwait(sem_t *sem, const struct timespec *abs); — on a worker thread */
  sem_timedwait_blocking: {
    name: "sem_timedwait",
    parameters: ["pointer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  /** int sem_getvalue(sem_t *sem, int *value); */
  sem_getvalue: { parameters: ["pointer", "buffer"], result: "i32" },

  // --- signals ----------------------------------------------------------
  /** int kill(pid_t pid, int sig); */
  kill: { parameters: ["i32", "i32"], result: "i32" },
  /** int sigqueue(pid_t pid, int sig, const union sigval value); — the union travels as a long */
  sigqueue: { parameters: ["i32", "i32", "i64"], result: "i32" },
  /** int __libc_current_sigrtmin(void); */
  __libc_current_sigrtmin: { parameters: [], result: "i32" },
  /** int __libc_current_sigrtmax(void); */
  __libc_current_sigrtmax: { parameters: [], result: "i32" },
  /** int signalfd(int fd, const sigset_t *mask, int flags); */
  signalfd: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  /** long syscall(long number, long a, long b, long c, long d); — pidfd_open, pidfd_send_signal, rt_tgsigqueueinfo, gettid */
  syscall4: {
    name: "syscall",
    parameters: ["i64", "i64", "i64", "i64", "i64"],
    result: "i64",
  },
  /** long syscall(long number, long a, long b, const void *c, long d); — calls taking one struct pointer third */
  syscall_buf: {
    name: "syscall",
    parameters: ["i64", "i64", "i64", "buffer", "i64"],
    result: "i64",
  },

  // --- System V IPC (msg*, shm*, sem*, ftok): see _sysv_table.ts ---------
  ...SYSV_TABLE,

  // --- a timer signal that ends a blocking call: see _interrupt_table.ts ---
  ...INTERRUPT_TABLE,
} as const satisfies SymbolTable;

/** The bound C library functions. */
export type Libc = FunctionsOf<typeof LIBC_TABLE>;

let cachedBackend: Backend | undefined;
let cachedLibc: Libc | undefined;

/**
 * The host, for its FFI calls: the same object as `host()`, once it is known
 * to be Linux (anything else throws NotSupported).
 */
export function backend(): Backend {
  if (cachedBackend) return cachedBackend;
  const h = host();
  if (h.os !== "linux") {
    throw new errors.NotSupported(
      `Cannot use @ipc/linux on "${h.os}": NOTE: this library is only available on Linux`,
    );
  }
  return cachedBackend = h;
}

/**
 * Open a shared library through the runtime's backend, turning a denied
 * `--allow-ffi` or a missing library into errors that say what to do.
 *
 * @param path The library's file name, e.g. `"libc.so.6"`.
 * @param table The symbols to bind.
 */
export function loadLibrary<T extends SymbolTable>(path: string, table: T): FunctionsOf<T> {
  const b = backend();
  try {
    return b.open(path, table);
  } catch (cause) {
    // The backend's own loader (koffi, bun:ffi) already says what is missing.
    if (cause instanceof Error && cause.message.startsWith("Cannot load ")) throw cause;
    const name = (cause as Error)?.name;
    if (name === "NotCapable" || name === "PermissionDenied") {
      throw new errors.PermissionDenied(
        `Cannot load ${path}: Requires --allow-ffi permission (run with \`deno run --allow-ffi\`, or -A)`,
        { cause },
      );
    }
    throw new errors.NotFound(
      `Cannot load ${path}: ${(cause as Error)?.message}: @ipc/linux needs glibc on Linux`,
      { cause },
    );
  }
}

/**
 * The C library, loaded on first call. Throws a clear error when
 * `--allow-ffi` is missing or libc cannot be loaded.
 */
export function libc(): Libc {
  return cachedLibc ??= loadLibrary("libc.so.6", LIBC_TABLE);
}

/**
 * Throw the errno error if a call returned -1; otherwise return the result.
 * Call it directly on the call's result, so errno is read before anything
 * else runs.
 *
 * @param result What the C function returned.
 * @param call The C function's name, for the message.
 * @param object What it was called on, for the message.
 */
export function check<T extends number | bigint>(
  result: T,
  call: string,
  object?: string | number,
): T {
  if (result === -1 || result === -1n) {
    throw errnoError(backend().errno(), call, object);
  }
  return result;
}

const encoder = new TextEncoder();

/** Encode a string as a NUL-terminated C string. */
export function cstring(s: string): Uint8Array {
  const bytes = new Uint8Array(encoder.encode(s).length + 1);
  encoder.encodeInto(s, bytes);
  return bytes;
}
