// Copyright 2026 the @ipc/linux authors. MIT license.
// Baseline for bench/latency_bench.ts: 64-byte ping-pong over a Unix stream
// socket pair between two processes (fork), `rounds` round trips. With
// `spin_us` > 0 each read first retries a non-blocking recv for up to that
// many µs, yielding the CPU in between (sched_yield, as the library's spin
// does), then blocks; with 0 it is plain blocking read/write. Prints the
// p50 and p99 round trip (µs) and the CPU time of both processes per round
// trip (µs, CLOCK_PROCESS_CPUTIME_ID) as JSON. An optional third argument is a number of
// round trips made first and not measured (the JavaScript rows warm up so).
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "_bench.h"

static int spin_us;

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void get(int fd, char *buf) {
  size_t done = 0;
  if (spin_us > 0) {
    double deadline = now_us() + spin_us;
    while (done < 64) {
      ssize_t r = recv(fd, buf + done, 64 - done, MSG_DONTWAIT);
      if (r > 0) done += (size_t)r;
      else if (r == 0) exit(1);
      else if (now_us() >= deadline) break;
      else sched_yield();
    }
  }
  while (done < 64) {
    ssize_t r = read(fd, buf + done, 64 - done);
    if (r <= 0) exit(1);
    done += (size_t)r;
  }
}

static void put(int fd, char *buf) {
  if (write(fd, buf, 64) != 64) exit(1);
}

/* This process's CPU time (µs), exact (getrusage's is sampled at ticks). */
static double process_cpu_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 20000;
  spin_us = argc > 2 ? atoi(argv[2]) : 0;
  int warmup = argc > 3 ? atoi(argv[3]) : 0; // round trips before measuring, as the JS rows make
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return 1;
  char buf[64];
  memset(buf, 7, sizeof buf);
  pid_t pid = fork();
  bench_pin(pid == 0);
  if (pid == 0) {
    close(sv[0]);
    double mine = 0;
    for (int i = 0; i < warmup + rounds; i++) {
      if (i == warmup) mine = process_cpu_us();
      get(sv[1], buf);
      put(sv[1], buf);
    }
    // This side's CPU time over the measured round trips, to the parent.
    mine = process_cpu_us() - mine;
    if (write(sv[1], &mine, sizeof mine) != sizeof mine) _exit(1);
    _exit(0);
  }
  close(sv[1]);
  double *rtt = malloc(sizeof(double) * rounds);
  for (int i = 0; i < warmup; i++) {
    put(sv[0], buf);
    get(sv[0], buf);
  }
  double cpu0 = process_cpu_us();
  for (int i = 0; i < rounds; i++) {
    double t0 = now_us();
    put(sv[0], buf);
    get(sv[0], buf);
    rtt[i] = now_us() - t0;
  }
  double cpu = process_cpu_us() - cpu0;
  double theirs;
  if (read(sv[0], &theirs, sizeof theirs) != sizeof theirs) return 1;
  waitpid(pid, NULL, 0);
  cpu += theirs;
  qsort(rtt, rounds, sizeof(double), cmp);
  printf("{\"p50\":%.3f,\"p99\":%.3f,\"cpu\":%.3f}\n", rtt[rounds / 2], rtt[rounds * 99 / 100],
         cpu / rounds);
  return 0;
}
