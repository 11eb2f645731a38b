// Copyright 2026 the @ipc/linux authors. MIT license.
// C baseline for bench/mq_bench.ts, one-way throughput with blocking calls:
//   mq_oneway send NAME COUNT SIZE     send COUNT messages of SIZE bytes
//   mq_oneway receive NAME COUNT SIZE  receive COUNT messages; print the ns between the
//                                      first and the last one
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 5) return 2;
  int sending = strcmp(argv[1], "send") == 0;
  long count = atol(argv[3]);
  size_t size = (size_t)atol(argv[4]);
  mqd_t q = mq_open(argv[2], sending ? O_WRONLY : O_RDONLY);
  if (q == (mqd_t)-1) {
    perror("mq_open");
    return 1;
  }
  struct mq_attr attr;
  mq_getattr(q, &attr);
  char *buf = calloc(1, attr.mq_msgsize);
  long long start = 0;
  for (long i = 0; i < count; i++) {
    if (sending) {
      if (mq_send(q, buf, size, 0) != 0) {
        perror("mq_send");
        return 1;
      }
    } else {
      unsigned prio;
      if (mq_receive(q, buf, attr.mq_msgsize, &prio) < 0) {
        perror("mq_receive");
        return 1;
      }
      if (i == 0) start = now_ns();
    }
  }
  if (!sending) printf("%lld\n", now_ns() - start);
  return 0;
}
