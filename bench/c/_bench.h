// Copyright 2026 the @ipc/linux authors. MIT license.
// Shared helpers of the C baselines in bench/c/: a monotonic clock, the CPU
// time of this process (and of its waited-for children), and the latency
// summary every ping-pong prints as one JSON line:
//   {"mean_us": …, "p50_us": …, "p99_us": …, "cpu_us_per_op": …}
#ifndef IPC_BENCH_H
#define IPC_BENCH_H
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static inline long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/** User + system CPU time in µs of this process (RUSAGE_SELF) or its reaped children. */
static inline double cpu_us(int who) {
  struct rusage ru;
  getrusage(who, &ru);
  return ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1e6 +
         ru.ru_stime.tv_usec;
}

/** Pin this process to the CPU numbered by the string `cpu`; nothing when it is NULL or empty. */
static inline void bench_pin_to(const char *cpu) {
  if (cpu == NULL || *cpu == 0) return;
  unsigned long mask[16];
  memset(mask, 0, sizeof mask);
  long n = atol(cpu);
  if (n < 0 || n >= (long)(8 * sizeof mask)) exit(2);
  mask[n / (8 * sizeof *mask)] = 1UL << (n % (8 * sizeof *mask));
  if (syscall(SYS_sched_setaffinity, 0, sizeof mask, mask) != 0) exit(2);
}

/**
 * Pin this process to CPU `$BENCH_PEER_CPU` when `peer` is nonzero (the
 * forked peer of a pair), else leave it where its parent placed it; does
 * nothing when the variable is unset. bench/shm_bench.ts sets it so that
 * every pair, C or Deno, runs on the same two distinct CPUs.
 */
static inline void bench_pin(int peer) {
  if (peer) bench_pin_to(getenv("BENCH_PEER_CPU"));
}

static int cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return x < y ? -1 : x > y;
}

/**
 * Print the JSON line of a ping-pong: `lat` holds `n` round trips in ns
 * (sorted in place), `cpu` the CPU µs both processes spent on them.
 */
static inline void print_latency(long long *lat, long n, double cpu) {
  double sum = 0;
  for (long i = 0; i < n; i++) sum += lat[i];
  qsort(lat, n, sizeof *lat, cmp_ll);
  printf("{\"mean_us\": %.3f, \"p50_us\": %.3f, \"p99_us\": %.3f, \"cpu_us_per_op\": %.3f}\n",
         sum / n / 1e3, lat[n / 2] / 1e3, lat[(long)(n * 0.99)] / 1e3, cpu / n);
}

/**
 * Spin on `try_once` (returns nonzero on success) for up to `spin_ns`,
 * yielding the CPU between tries as the library does; 1 when it succeeded.
 */
#define SPIN_UNTIL(spin_ns, try_once)                                                      \
  ({                                                                                       \
    int ok_ = 0;                                                                           \
    if ((spin_ns) > 0) {                                                                   \
      long long end_ = now_ns() + (spin_ns);                                               \
      do {                                                                                 \
        if (try_once) {                                                                    \
          ok_ = 1;                                                                         \
          break;                                                                           \
        }                                                                                  \
        sched_yield();                                                                     \
      } while (now_ns() < end_);                                                           \
    }                                                                                      \
    ok_;                                                                                   \
  })

/**
 * The Channel's spin (shm/_channel_wait.ts): check `ready` 64 times before
 * the first clock read and 64 times between clock reads, and once 5 µs have
 * passed, yield the CPU between rounds (a peer waiting for this CPU runs
 * now). Up to `spin_ns` (< 0: forever); 1 when `ready` became true.
 */
#define CHANNEL_SPIN(spin_ns, ready)                                                       \
  ({                                                                                       \
    int ok_ = 0;                                                                           \
    for (int i_ = 0; i_ < 64 && !ok_; i_++) ok_ = (ready);                                 \
    if (!ok_) {                                                                            \
      long long start_ = now_ns(), elapsed_;                                               \
      do {                                                                                 \
        for (int i_ = 0; i_ < 64 && !ok_; i_++) ok_ = (ready);                             \
        if (ok_) break;                                                                    \
        elapsed_ = now_ns() - start_;                                                      \
        if (elapsed_ > 5000) sched_yield();                                                \
      } while ((spin_ns) < 0 || elapsed_ < (spin_ns));                                     \
    }                                                                                      \
    ok_;                                                                                   \
  })
#endif
