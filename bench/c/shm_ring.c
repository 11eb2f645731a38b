// Copyright 2026 the @ipc/linux authors. MIT license.
// The hardware's own figure for bench/shm_bench.ts's 64 KiB Channel: two
// processes (fork) stream messages through a ring in shared memory, the
// producer memcpy-ing each message in, the consumer memcpy-ing it out, both
// spinning on head/tail counters in their own cache lines (no futex, no
// framing): what moving data between two CPUs through shared memory costs
// here, measured like the Channel (by the consumer, first message excluded).
//   shm_ring <messages> <size> <capacity>   (capacity a multiple of size)
// Prints {"mb_per_s": <float>}.
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct counters {
  _Atomic long tail __attribute__((aligned(128)));
  _Atomic long head __attribute__((aligned(128)));
};

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  long count = atol(argv[1]);
  size_t size = (size_t)atol(argv[2]);
  size_t capacity = (size_t)atol(argv[3]);
  if (count < 2 || size == 0 || capacity < size || capacity % size) return 2;
  struct counters *c = mmap(NULL, sizeof *c + capacity, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (c == MAP_FAILED) return 1;
  char *ring = (char *)c + sizeof *c;
  memset(ring, 0, capacity);
  char *buf = aligned_alloc(64, size);
  pid_t pid = fork();
  if (pid == 0) {
    memset(buf, 7, size);
    for (long i = 0; i < count; i++) {
      long tail = atomic_load_explicit(&c->tail, memory_order_relaxed);
      while (tail - atomic_load_explicit(&c->head, memory_order_acquire) + (long)size >
             (long)capacity) {
      }
      memcpy(ring + tail % capacity, buf, size);
      atomic_store_explicit(&c->tail, tail + size, memory_order_release);
    }
    _exit(0);
  }
  struct timespec t0, t1;
  for (long i = 0; i < count; i++) {
    long head = atomic_load_explicit(&c->head, memory_order_relaxed);
    while (atomic_load_explicit(&c->tail, memory_order_acquire) == head) {
    }
    if (i == 1) clock_gettime(CLOCK_MONOTONIC, &t0);
    memcpy(buf, ring + head % capacity, size);
    atomic_store_explicit(&c->head, head + size, memory_order_release);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  int status;
  waitpid(pid, &status, 0);
  if (buf[0] != 7 || buf[size - 1] != 7) return 1;
  double us = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
  printf("{\"mb_per_s\": %.1f}\n", (double)(count - 1) * size / us);
  return 0;
}
