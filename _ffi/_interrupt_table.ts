// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The C library symbols behind `interrupt.ts` (a per-thread POSIX timer
 * whose signal ends a blocking call), spread into the one table in
 * `libc.ts`. Kept apart so that file's other blocks merge cleanly.
 *
 * @module
 */
import type { SymbolTable } from "./_backend.ts";

/** The functions interrupt.ts calls, with their C prototypes. */
export const INTERRUPT_TABLE = {
  /** void *dlsym(void *handle, const char *symbol); — handle NULL is RTLD_DEFAULT */
  dlsym: { parameters: ["pointer", "buffer"], result: "pointer" },
  /** int sigaction(int sig, const struct sigaction *act, struct sigaction *old); */
  sigaction: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  /** int pthread_sigmask(int how, const sigset_t *set, sigset_t *old); — returns the errno */
  pthread_sigmask: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  /** long syscall(SYS_timer_create, clockid_t clk, struct sigevent *sev, int *timerid); */
  timer_create: {
    name: "syscall",
    parameters: ["i64", "i64", "buffer", "buffer"],
    result: "i64",
  },
  /** long syscall(SYS_timer_settime, int timerid, int flags, const struct itimerspec *new, struct itimerspec *old); — result read as i32 */
  timer_settime: {
    name: "syscall",
    parameters: ["i64", "i64", "i64", "buffer", "buffer"],
    result: "i32",
  },
} as const satisfies SymbolTable;
