// Copyright 2026 the @ipc/linux authors. MIT license.
// Baseline: 64-byte ping-pong over a Unix stream socket between two
// processes (fork). Prints the median round trip in microseconds over
// `rounds` exchanges, then the one-way throughput of `count` 64-byte
// messages written one per write(2), as JSON.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void full(int fd, char *buf, size_t n, int reading) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = reading ? read(fd, buf + done, n - done) : write(fd, buf + done, n - done);
    if (r <= 0) exit(1);
    done += (size_t)r;
  }
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 20000;
  int count = argc > 2 ? atoi(argv[2]) : 500000;
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return 1;
  char buf[64];
  memset(buf, 7, sizeof buf);
  pid_t pid = fork();
  if (pid == 0) {
    close(sv[0]);
    for (int i = 0; i < rounds; i++) {
      full(sv[1], buf, 64, 1);
      full(sv[1], buf, 64, 0);
    }
    static char big[1 << 16];
    size_t left = (size_t)count * 64;
    while (left > 0) {
      ssize_t r = read(sv[1], big, left < sizeof big ? left : sizeof big);
      if (r <= 0) exit(1);
      left -= (size_t)r;
    }
    full(sv[1], buf, 1, 0);
    _exit(0);
  }
  close(sv[1]);
  double *rtt = malloc(sizeof(double) * rounds);
  for (int i = 0; i < rounds; i++) {
    double t0 = now_us();
    full(sv[0], buf, 64, 0);
    full(sv[0], buf, 64, 1);
    rtt[i] = now_us() - t0;
  }
  qsort(rtt, rounds, sizeof(double), cmp);
  double t0 = now_us();
  for (int i = 0; i < count; i++) full(sv[0], buf, 64, 0);
  full(sv[0], buf, 1, 1);
  double secs = (now_us() - t0) / 1e6;
  waitpid(pid, NULL, 0);
  printf("{\"rtt_us\":%.3f,\"msgs_per_s\":%.0f}\n", rtt[rounds / 2], count / secs);
  return 0;
}
