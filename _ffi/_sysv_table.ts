// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The System V IPC symbols of the C library (`sysvipc(7)`), spread into the
 * one table in `libc.ts`. Kept apart so the System V module's native surface
 * reads in one place.
 *
 * `semctl` is variadic: its fourth argument is `union semun`, which the
 * Linux ABIs of x86_64 and aarch64 pass exactly like a non-variadic 64-bit
 * integer or pointer argument. It is bound twice, once per union member kind.
 *
 * @module
 */
import type { SymbolTable } from "./_backend.ts";

/** The System V IPC functions, with their C prototypes. */
export const SYSV_TABLE = {
  /** key_t ftok(const char *path, int proj_id); */
  ftok: { parameters: ["buffer", "i32"], result: "i32" },
  /** int msgget(key_t key, int msgflg); */
  msgget: { parameters: ["i32", "i32"], result: "i32" },
  /** int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg); */
  msgsnd: { parameters: ["i32", "buffer", "usize", "i32"], result: "i32" },
  /**
   * ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg);
   * — read as i32 (a message is below 2 GiB): no BigInt is allocated between
   * the return and the errno read.
   */
  msgrcv: { parameters: ["i32", "buffer", "usize", "i64", "i32"], result: "i32" },
  /** int msgctl(int msqid, int cmd, struct msqid_ds *buf); */
  msgctl: { parameters: ["i32", "i32", "buffer"], result: "i32" },
  /** int shmget(key_t key, size_t size, int shmflg); */
  shmget: { parameters: ["i32", "usize", "i32"], result: "i32" },
  /** void *shmat(int shmid, const void *shmaddr, int shmflg); — (void *) -1 on failure */
  shmat: { parameters: ["i32", "pointer", "i32"], result: "pointer" },
  /** int shmdt(const void *shmaddr); */
  shmdt: { parameters: ["pointer"], result: "i32" },
  /** int shmctl(int shmid, int cmd, struct shmid_ds *buf); */
  shmctl: { parameters: ["i32", "i32", "buffer"], result: "i32" },
  /** int semget(key_t key, int nsems, int semflg); */
  semget: { parameters: ["i32", "i32", "i32"], result: "i32" },
  /** int semtimedop(int semid, struct sembuf *sops, size_t nsops, const struct timespec *timeout); — NULL: no timeout */
  semtimedop: { parameters: ["i32", "buffer", "usize", "buffer"], result: "i32" },
  /** int semctl(int semid, int semnum, int cmd, union semun arg); — arg.val (GETVAL, SETVAL, IPC_RMID …) */
  semctl: { parameters: ["i32", "i32", "i32", "i64"], result: "i32" },
  /** int semctl(int semid, int semnum, int cmd, union semun arg); — arg.buf / arg.array (IPC_STAT, GETALL, SETALL) */
  semctl_buf: { name: "semctl", parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
} as const satisfies SymbolTable;
