// Copyright 2026 the @ipc/linux authors. MIT license.
// C baseline for bench/sysv_bench.ts: System V message queues, one queue by id.
//   sysv_msg send    ID COUNT WARM SIZE MODE   send WARM + COUNT messages of SIZE bytes (type 1)
//   sysv_msg receive ID COUNT WARM SIZE MODE   receive WARM messages untimed (the first waits for
//                                              the peer to start), then COUNT; print their ns
//   sysv_msg ping    ID COUNT WARM SIZE MODE   send type 1, wait for type 2: WARM untimed round
//                                              trips, then COUNT; print their ns
//   sysv_msg pong    ID COUNT WARM SIZE MODE   echo WARM + COUNT messages of type 1 back as type 2
// WARM ≥ 1: the warm-up the bench gives every row alike (the JIT's, for the Deno ones).
// An optional last argument CPU pins the process to that CPU first (bench/README.md, Placement).
// MODE "block" sleeps in msgsnd/msgrcv; "spin" retries IPC_NOWAIT with sched_yield in between
// (what the library's spin does); "spinblock" spins so for 50 µs, then sleeps (the library's
// default: spin 50 µs, then brief kernel waits).
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <time.h>

#include "_bench.h"

static int spin;      // retry IPC_NOWAIT for ever
static int spin_then; // retry IPC_NOWAIT for 50 µs, then block

struct message {
  long type;
  char text[8192];
};

/** The flags of the next try: IPC_NOWAIT while spinning, 0 once it is time to sleep. */
static int try_flags(long long *until) {
  if (spin) return IPC_NOWAIT;
  if (!spin_then) return 0;
  if (*until == 0) *until = now_ns() + 50000;
  return now_ns() < *until ? IPC_NOWAIT : 0;
}

static void send_one(int id, struct message *m, size_t size) {
  long long until = 0;
  while (msgsnd(id, m, size, try_flags(&until)) != 0) {
    if (errno != EAGAIN && errno != EINTR) {
      perror("msgsnd");
      exit(1);
    }
    sched_yield();
  }
}

static ssize_t receive_one(int id, struct message *m, long type) {
  long long until = 0;
  for (;;) {
    ssize_t n = msgrcv(id, m, sizeof m->text, type, try_flags(&until));
    if (n >= 0) return n;
    if (errno != ENOMSG && errno != EINTR) {
      perror("msgrcv");
      exit(1);
    }
    sched_yield();
  }
}

int main(int argc, char **argv) {
  if (argc != 7 && argc != 8) return 2;
  if (argc == 8) bench_pin_to(argv[7]);
  const char *role = argv[1];
  int id = atoi(argv[2]);
  long count = atol(argv[3]);
  long warm = atol(argv[4]);
  size_t size = (size_t)atol(argv[5]);
  spin = strcmp(argv[6], "spin") == 0;
  spin_then = strcmp(argv[6], "spinblock") == 0;
  static struct message m;
  long long start = 0;
  if (strcmp(role, "send") == 0) {
    m.type = 1;
    for (long i = 0; i < warm + count; i++) send_one(id, &m, size);
  } else if (strcmp(role, "receive") == 0) {
    for (long i = -warm; i < count; i++) {
      if (i == 0) start = now_ns();
      receive_one(id, &m, 0);
    }
    printf("%lld\n", now_ns() - start);
  } else if (strcmp(role, "ping") == 0) {
    for (long i = -warm; i < count; i++) {
      if (i == 0) start = now_ns();
      m.type = 1;
      send_one(id, &m, size);
      receive_one(id, &m, 2);
    }
    printf("%lld\n", now_ns() - start);
  } else if (strcmp(role, "pong") == 0) {
    for (long i = -warm; i < count; i++) {
      ssize_t n = receive_one(id, &m, 1);
      m.type = 2;
      send_one(id, &m, (size_t)n);
    }
  } else {
    return 2;
  }
  return 0;
}
