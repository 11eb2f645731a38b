// Copyright 2026 the @ipc/linux authors. MIT license.
// C baseline for bench/mq_bench.ts, ping-pong round trips with blocking calls:
//   mq_pingpong ping PING PONG COUNT SIZE  send on PING, wait for the reply on PONG, COUNT
//                                          times; print the total ns
//   mq_pingpong pong PING PONG COUNT SIZE  echo COUNT messages from PING to PONG
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
  if (argc != 6) return 2;
  int ping = strcmp(argv[1], "ping") == 0;
  mqd_t a = mq_open(argv[2], ping ? O_WRONLY : O_RDONLY);
  mqd_t b = mq_open(argv[3], ping ? O_RDONLY : O_WRONLY);
  if (a == (mqd_t)-1 || b == (mqd_t)-1) {
    perror("mq_open");
    return 1;
  }
  long count = atol(argv[4]);
  size_t size = (size_t)atol(argv[5]);
  struct mq_attr attr;
  mq_getattr(ping ? b : a, &attr);
  char *buf = calloc(1, attr.mq_msgsize);
  unsigned prio;
  long long start = now_ns();
  for (long i = 0; i < count; i++) {
    if (ping) {
      if (mq_send(a, buf, size, 0) != 0 || mq_receive(b, buf, attr.mq_msgsize, &prio) < 0) {
        perror("ping");
        return 1;
      }
    } else {
      ssize_t n = mq_receive(a, buf, attr.mq_msgsize, &prio);
      if (n < 0 || mq_send(b, buf, (size_t)n, 0) != 0) {
        perror("pong");
        return 1;
      }
    }
  }
  if (ping) printf("%lld\n", now_ns() - start);
  return 0;
}
