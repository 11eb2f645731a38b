// Copyright 2026 the @ipc/linux authors. MIT license.
// Ping-pong baselines for bench/shm_bench.ts, between two processes (fork):
//   spin <trips> <spin_us>  64-byte messages through two one-slot rings in shared memory
//                           (copy in, publish a counter; copy out, publish back). A waiting
//                           side spins on the counter for <spin_us> µs (-1: forever), then
//                           sleeps on it with FUTEX_WAIT (the Channel's strategy: the
//                           first sleep at most 1 ms); the sender reads the other side's
//                           "sleeping" flag after its release store, without a fence, and
//                           issues FUTEX_WAKE only when it is set. spin 0 is a plain futex
//                           ping-pong.
//   framed <trips>          the spin ping-pong (spinning forever) through two rings in the
//                           Channel's layout (shm/_layout.ts): tail, head and the consumer's
//                           WAITING flag on their own cache lines, 64 KiB of 72-byte frames
//                           (a 4-byte length, the record 4 bytes past an 8-byte boundary, a
//                           wrap marker), each side caching the other's counter as the
//                           Channel does: what the layout alone costs a ping-pong
//   socket <trips>          64-byte messages over a Unix socketpair (read/write)
// Prints {"mean_us", "p50_us", "p99_us", "cpu_us_per_op"} (CPU of both processes).
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "_bench.h"

/** One direction: a sequence number, a "sleeping" flag and a 64-byte slot, own cache lines. */
struct lane {
  _Atomic int seq __attribute__((aligned(128)));
  _Atomic int sleeping;
  char slot[64] __attribute__((aligned(64)));
};

static void await_seq(struct lane *l, int want, long long spin) {
  if (spin != 0 &&
      CHANNEL_SPIN(spin, atomic_load_explicit(&l->seq, memory_order_acquire) == want))
    return;
  // As the Channel: the first sleep of a wait lasts at most 1 ms (the bound
  // on a wake-up that a publication without a fence may miss), later ones
  // until woken.
  struct timespec first = {0, 1000000};
  for (struct timespec *limit = &first;; limit = NULL) {
    atomic_store(&l->sleeping, 1);
    int seen = atomic_load(&l->seq);
    if (seen == want) break;
    syscall(SYS_futex, &l->seq, FUTEX_WAIT, seen, limit, NULL, 0);
  }
  atomic_store(&l->sleeping, 0);
}

/** As the Channel on x86-64: a release store, then one load of the flag (no fence). */
static void publish(struct lane *l, int seq) {
  atomic_store_explicit(&l->seq, seq, memory_order_release);
  if (atomic_load_explicit(&l->sleeping, memory_order_relaxed) && atomic_exchange(&l->sleeping, 0))
    syscall(SYS_futex, &l->seq, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/** One direction in the Channel's layout: the header's hot words, then the ring. */
#define RING_CAP 65536
#define WRAP (-1)
struct framed {
  _Atomic int32_t tail __attribute__((aligned(64)));  // the producer's line
  _Atomic int32_t head __attribute__((aligned(64)));  // the consumer's line
  _Atomic int32_t waiting __attribute__((aligned(64)));
  char ring[RING_CAP] __attribute__((aligned(512)));
};

/** The two ends' cached counters of one ring, in the process that uses them. */
struct ends {
  int32_t tail, head_cache, head, tail_cache;
};

static void framed_send(struct framed *f, struct ends *e, const char *msg) {
  int32_t frame = (64 + 7) & ~3, offset = e->tail & (RING_CAP - 1), to_end = RING_CAP - offset;
  int32_t need = to_end < frame ? to_end + frame : frame;
  if (RING_CAP - (e->tail - e->head_cache) < need) {
    CHANNEL_SPIN(-1, RING_CAP - (e->tail - (e->head_cache = atomic_load_explicit(
                                               &f->head, memory_order_acquire))) >=
                         need);
  }
  if (to_end < frame) {
    *(int32_t *)(f->ring + offset) = WRAP;
    e->tail += to_end;
    offset = 0;
  }
  *(int32_t *)(f->ring + offset) = 64;
  memcpy(f->ring + offset + 4, msg, 64);
  e->tail += frame;
  atomic_store_explicit(&f->tail, e->tail, memory_order_release);
  if (atomic_load_explicit(&f->waiting, memory_order_relaxed)) exit(1);  // nobody sleeps here
}

static void framed_receive(struct framed *f, struct ends *e, char *out) {
  if (e->head == e->tail_cache) {
    CHANNEL_SPIN(-1, (e->tail_cache = atomic_load_explicit(&f->tail, memory_order_acquire)) !=
                         e->head);
  }
  int32_t offset = e->head & (RING_CAP - 1);
  int32_t len = *(int32_t *)(f->ring + offset);
  if (len == WRAP) {
    e->head += RING_CAP - offset;
    offset = 0;
    len = *(int32_t *)f->ring;
  }
  memcpy(out, f->ring + offset + 4, (size_t)len);
  e->head += (len + 7) & ~3;
  atomic_store_explicit(&f->head, e->head, memory_order_release);
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  long trips = atol(argv[2]);
  long long *lat = calloc(trips, sizeof *lat);
  char buf[64] = {0};
  double cpu = cpu_us(RUSAGE_SELF);
  if (strcmp(argv[1], "spin") == 0 && argc == 4) {
    long spin_us = atol(argv[3]);
    long long spin = spin_us < 0 ? -1 : spin_us * 1000LL;
    struct lane *l = mmap(NULL, 2 * sizeof(struct lane), PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    memset(l, 0, 2 * sizeof(struct lane));
    pid_t pid = fork();
    bench_pin(pid == 0);
    if (pid == 0) {
      for (int i = 1; i <= trips; i++) {
        await_seq(&l[0], i, spin);
        memcpy(buf, l[0].slot, 64);
        memcpy(l[1].slot, buf, 64);
        publish(&l[1], i);
      }
      _exit(0);
    }
    for (int i = 1; i <= trips; i++) {
      long long t = now_ns();
      memcpy(l[0].slot, buf, 64);
      publish(&l[0], i);
      await_seq(&l[1], i, spin);
      memcpy(buf, l[1].slot, 64);
      lat[i - 1] = now_ns() - t;
    }
    waitpid(pid, NULL, 0);
  } else if (strcmp(argv[1], "framed") == 0) {
    struct framed *f = mmap(NULL, 2 * sizeof(struct framed), PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (f == MAP_FAILED) return 1;
    memset(f, 0, 2 * sizeof(struct framed));
    struct ends to = {0}, from = {0};
    pid_t pid = fork();
    bench_pin(pid == 0);
    if (pid == 0) {
      for (long i = 0; i < trips; i++) {
        framed_receive(&f[0], &from, buf);
        framed_send(&f[1], &to, buf);
      }
      _exit(0);
    }
    for (long i = 0; i < trips; i++) {
      long long t = now_ns();
      framed_send(&f[0], &to, buf);
      framed_receive(&f[1], &from, buf);
      lat[i] = now_ns() - t;
    }
    waitpid(pid, NULL, 0);
  } else if (strcmp(argv[1], "socket") == 0) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 1;
    pid_t pid = fork();
    bench_pin(pid == 0);
    if (pid == 0) {
      for (long i = 0; i < trips; i++) {
        if (read(sv[1], buf, 64) != 64 || write(sv[1], buf, 64) != 64) _exit(1);
      }
      _exit(0);
    }
    for (long i = 0; i < trips; i++) {
      long long t = now_ns();
      if (write(sv[0], buf, 64) != 64 || read(sv[0], buf, 64) != 64) return 1;
      lat[i] = now_ns() - t;
    }
    waitpid(pid, NULL, 0);
  } else {
    return 2;
  }
  print_latency(lat, trips, cpu_us(RUSAGE_SELF) - cpu + cpu_us(RUSAGE_CHILDREN));
  return 0;
}
