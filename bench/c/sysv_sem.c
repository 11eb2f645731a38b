// Copyright 2026 the @ipc/linux authors. MIT license.
// C baseline for bench/sysv_bench.ts: a semop round trip through a set of two semaphores.
//   sysv_sem ping ID COUNT WARM MODE   post 0, take 1: WARM untimed round trips (the first waits
//                                      for the peer to start), then COUNT; print their ns
//   sysv_sem pong ID COUNT WARM MODE   take 0, post 1, WARM + COUNT times
// MODE "block" sleeps in semop; "spin" retries IPC_NOWAIT with sched_yield in between.
// An optional last argument CPU pins the process to that CPU first (bench/README.md, Placement).
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <time.h>

#include "_bench.h"

static void op(int id, unsigned short num, short delta, int spin) {
  struct sembuf b = {.sem_num = num, .sem_op = delta, .sem_flg = spin ? IPC_NOWAIT : 0};
  while (semop(id, &b, 1) != 0) {
    if (errno != EAGAIN && errno != EINTR) {
      perror("semop");
      exit(1);
    }
    sched_yield();
  }
}

int main(int argc, char **argv) {
  if (argc != 6 && argc != 7) return 2;
  if (argc == 7) bench_pin_to(argv[6]);
  int ping = strcmp(argv[1], "ping") == 0;
  int id = atoi(argv[2]);
  long count = atol(argv[3]);
  long warm = atol(argv[4]);
  int spin = strcmp(argv[5], "spin") == 0;
  long long start = 0;
  for (long i = -warm; i < count; i++) {
    if (i == 0) start = now_ns();
    if (ping) {
      op(id, 0, 1, spin);
      op(id, 1, -1, spin);
    } else {
      op(id, 0, -1, spin);
      op(id, 1, 1, spin);
    }
  }
  if (ping) printf("%lld\n", now_ns() - start);
  return 0;
}
