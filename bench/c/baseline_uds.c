// Copyright 2026 the @ipc/linux authors. MIT license.
// Baseline: 64-byte ping-pong over a Unix stream socket between two
// processes (fork), then the one-way throughput of `count` 64-byte messages
// written one per write(2).
//   baseline_uds <rounds> <count> [spin_us]
// spin_us 0 (the default): blocking read(2). spin_us > 0: a read first tries
// recv(MSG_DONTWAIT) again and again for spin_us µs, yielding the CPU between
// tries, then blocks (the spin-then-wait read of a native transport).
// Prints {"mean_us", "p50_us", "p99_us", "cpu_us_per_op", "msgs_per_s"}.
#define _GNU_SOURCE
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "_bench.h"

static long long spin = 0;

static void full(int fd, char *buf, size_t n, int reading) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = -1;
    if (reading && spin > 0 &&
        SPIN_UNTIL(spin, (r = recv(fd, buf + done, n - done, MSG_DONTWAIT)) > 0)) {
      done += (size_t)r;
      continue;
    }
    r = reading ? read(fd, buf + done, n - done) : write(fd, buf + done, n - done);
    if (r <= 0) exit(1);
    done += (size_t)r;
  }
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 20000;
  long count = argc > 2 ? atol(argv[2]) : 500000;
  spin = argc > 3 ? atol(argv[3]) * 1000LL : 0;
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return 1;
  char buf[64];
  memset(buf, 7, sizeof buf);
  int ready[2];
  if (pipe(ready) != 0) return 1;
  pid_t pid = fork();
  bench_pin(pid == 0);
  if (pid == 0) {
    close(sv[0]);
    double cpu0 = cpu_us(RUSAGE_SELF);
    for (long i = 0; i < rounds; i++) {
      full(sv[1], buf, 64, 1);
      full(sv[1], buf, 64, 0);
    }
    double cpu = cpu_us(RUSAGE_SELF) - cpu0;
    if (write(ready[1], &cpu, sizeof cpu) != sizeof cpu) _exit(1);
    spin = 0;
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
  long long *lat = malloc(sizeof *lat * rounds);
  double cpu = cpu_us(RUSAGE_SELF);
  for (long i = 0; i < rounds; i++) {
    long long t0 = now_ns();
    full(sv[0], buf, 64, 0);
    full(sv[0], buf, 64, 1);
    lat[i] = now_ns() - t0;
  }
  cpu = cpu_us(RUSAGE_SELF) - cpu;
  double child_cpu;
  if (read(ready[0], &child_cpu, sizeof child_cpu) != sizeof child_cpu) return 1;
  spin = 0;
  long long t0 = now_ns();
  for (long i = 0; i < count; i++) full(sv[0], buf, 64, 0);
  full(sv[0], buf, 1, 1);
  double secs = (now_ns() - t0) / 1e9;
  waitpid(pid, NULL, 0);
  double sum = 0;
  for (long i = 0; i < rounds; i++) sum += lat[i];
  qsort(lat, rounds, sizeof *lat, cmp_ll);
  printf("{\"mean_us\": %.3f, \"p50_us\": %.3f, \"p99_us\": %.3f, \"cpu_us_per_op\": %.3f, "
         "\"msgs_per_s\": %.0f}\n",
         sum / rounds / 1e3, lat[rounds / 2] / 1e3, lat[(long)(rounds * 0.99)] / 1e3,
         (cpu + child_cpu) / rounds, count / secs);
  return 0;
}
