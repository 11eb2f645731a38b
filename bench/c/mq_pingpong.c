// Copyright 2026 the @ipc/linux authors. MIT license.
// C baseline for bench/mq_bench.ts, ping-pong round trips:
//   mq_pingpong ping PING PONG COUNT SIZE [SPIN_US [TIMED_US]]  send on PING, wait for the reply on PONG,
//                                                    COUNT times; print the latency JSON line
//   mq_pingpong pong PING PONG COUNT SIZE [SPIN_US]  echo COUNT messages from PING to PONG;
//                                                    print {"cpu_us": …}
// SPIN_US 0 (the default): every receive blocks in mq_receive. SPIN_US > 0: a receive first
// tries O_NONBLOCK mq_receive again and again for SPIN_US µs, yielding the CPU between tries
// (the strategy of MessageQueue's `spin`), then blocks. TIMED_US > 0: the blocking receive is
// mq_timedreceive with a deadline TIMED_US µs away, repeated until a message comes (what
// MessageQueue's `syncWait` does; it shows the cost of arming a timer for every sleep).
// TIMED_US < 0: deadlines -TIMED_US µs away rounded up to just past a scheduler tick.
// Both roles first make untimed round trips (the first one waits for the peer to start), as
// bench/_lib/mq_peer.ts's Deno roles do: WARMUP, or SPIN_WARMUP when spinning (a JIT compiling
// in the background needs a CPU that two spinning processes keep busy; C needs none of it).
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <string.h>

#include "_bench.h"

#define WARMUP 1000
#define SPIN_WARMUP 30000

static long long timed = 0;

/**
 * TIMED_US < 0: the deadline -TIMED_US µs away rounded up to 20 µs past the next scheduler tick
 * (as MessageQueue's syncWait does): the kernel puts the ticks on multiples of the tick period
 * (the coarse clock's resolution) of CLOCK_MONOTONIC. Returns `ns` (nanoseconds past
 * `now.tv_sec` on CLOCK_REALTIME, `ns - now.tv_nsec` away) moved that far.
 */
static long long past_tick(struct timespec now, long long ns) {
  static long long period = 0;
  if (period == 0) {
    struct timespec res;
    clock_getres(CLOCK_MONOTONIC_COARSE, &res);
    period = res.tv_sec * 1000000000LL + res.tv_nsec;
  }
  long long mono = now_ns();
  long long until = mono + (ns - now.tv_nsec);
  until = (until / period + 1) * period + 20000;
  return now.tv_nsec + (until - mono);
}

static ssize_t receive(mqd_t blocking, mqd_t nonblocking, char *buf, size_t cap, long long spin) {
  ssize_t n = -1;
  unsigned prio;
  if (SPIN_UNTIL(spin, (n = mq_receive(nonblocking, buf, cap, &prio)) >= 0)) return n;
  if (timed == 0) return mq_receive(blocking, buf, cap, &prio);
  for (;;) {  // sleep with a deadline TIMED µs away, again and again
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long ns = ts.tv_nsec + (timed > 0 ? timed : -timed);
    if (timed < 0) ns = past_tick(ts, ns);
    ts.tv_sec += ns / 1000000000;
    ts.tv_nsec = ns % 1000000000;
    if ((n = mq_timedreceive(blocking, buf, cap, &prio, &ts)) >= 0 || errno != ETIMEDOUT) return n;
  }
}

int main(int argc, char **argv) {
  if (argc < 6 || argc > 8) return 2;
  bench_pin(1);  // where BENCH_PEER_CPU says, when the bench places the pair (mq_bench.ts)
  timed = argc == 8 ? atol(argv[7]) * 1000LL : 0;
  int ping = strcmp(argv[1], "ping") == 0;
  const char *in = ping ? argv[3] : argv[2];
  mqd_t a = mq_open(argv[2], ping ? O_WRONLY : O_RDONLY);
  mqd_t b = mq_open(argv[3], ping ? O_RDONLY : O_WRONLY);
  mqd_t nb = mq_open(in, O_RDONLY | O_NONBLOCK);
  if (a == (mqd_t)-1 || b == (mqd_t)-1 || nb == (mqd_t)-1) {
    perror("mq_open");
    return 1;
  }
  mqd_t rx = ping ? b : a, tx = ping ? a : b;
  long count = atol(argv[4]);
  size_t size = (size_t)atol(argv[5]);
  long long spin = argc >= 7 ? atol(argv[6]) * 1000LL : 0;
  struct mq_attr attr;
  mq_getattr(rx, &attr);
  char *buf = calloc(1, attr.mq_msgsize);
  long long *lat = calloc(count, sizeof *lat);
  double cpu = 0;
  long warmup = spin > 0 ? SPIN_WARMUP : WARMUP;
  for (long i = -warmup; i < count; i++) {
    if (i == 0) cpu = cpu_us(RUSAGE_SELF);
    if (ping) {
      long long t = now_ns();
      if (mq_send(tx, buf, size, 0) != 0 || receive(rx, nb, buf, attr.mq_msgsize, spin) < 0) {
        perror("ping");
        return 1;
      }
      if (i >= 0) lat[i] = now_ns() - t;
    } else {
      ssize_t n = receive(rx, nb, buf, attr.mq_msgsize, spin);
      if (n < 0 || mq_send(tx, buf, (size_t)n, 0) != 0) {
        perror("pong");
        return 1;
      }
    }
  }
  cpu = cpu_us(RUSAGE_SELF) - cpu;
  if (ping) print_latency(lat, count, cpu);
  else printf("{\"cpu_us\": %.1f}\n", cpu);
  return 0;
}
