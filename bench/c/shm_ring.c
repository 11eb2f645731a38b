// Copyright 2026 the @ipc/linux authors. MIT license.
// The C anchor of bench/shm_bench.ts's one-way Channel figures: two processes
// (fork) stream fixed-size records through a ring in shared memory, the
// producer memcpy-ing each record in, the consumer memcpy-ing it out, both
// spinning on head/tail counters in their own cache lines as the Channel
// does (yielding the CPU once a spin lasts over 5 µs; no futex). Like the
// Channel, each side caches the other's counter and re-reads it only when
// the ring looks full (producer) or empty (consumer).
// Measured like the Channel: by the consumer, after an untimed warm-up of
// <warm> records (default 1: the first record only), then <messages> more.
//   shm_ring <messages> <size> <capacity> [framed] [warm=<records>]
// Plain: records back to back (capacity a multiple of size), no framing.
// framed: the Channel's layout (shm/_layout.ts), to show what the framing
// itself costs: a 4-byte length before each record, frames of
// (size + 7) & ~3 bytes (so records sit 4 bytes past an 8-byte boundary),
// and a wrap marker where a frame does not fit before the ring's end.
// Prints {"mb_per_s": …, "msgs_per_s": …, "cpu_us_per_op": …} (CPU of both processes).
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "_bench.h"

struct counters {
  _Atomic long tail __attribute__((aligned(128)));
  _Atomic long head __attribute__((aligned(128)));
};

#define WRAP (-1)

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  long count = atol(argv[1]);
  size_t size = (size_t)atol(argv[2]);
  long capacity = atol(argv[3]);
  int framed = 0;
  long warm = 1;
  for (int a = 4; a < argc; a++) {
    if (strcmp(argv[a], "framed") == 0) framed = 1;
    else if (strncmp(argv[a], "warm=", 5) == 0) warm = atol(argv[a] + 5);
    else return 2;
  }
  if (warm < 1) return 2;
  count += warm - 1;  // warm=1 (the default): the first record is the warm-up
  long frame = framed ? (long)((size + 7) & ~(size_t)3) : (long)size;
  long prefix = framed ? 4 : 0;
  if (count < 2 || size == 0 || capacity < 2 * frame) return 2;
  if (!framed && capacity % (long)size) return 2;
  struct counters *c = mmap(NULL, sizeof *c + capacity, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (c == MAP_FAILED) return 1;
  char *ring = (char *)c + sizeof *c;
  memset(ring, 0, capacity);
  char *buf = aligned_alloc(64, size < 64 ? 64 : size);
  pid_t pid = fork();
  bench_pin(pid == 0);
  if (pid == 0) {
    memset(buf, 7, size);
    long head = 0, tail = 0;
    for (long i = 0; i < count; i++) {
      long offset = tail % capacity, to_end = capacity - offset;
      long need = to_end < frame ? to_end + frame : frame;
      if (tail - head + need > capacity) {
        CHANNEL_SPIN(-1, tail - (head = atomic_load_explicit(&c->head, memory_order_acquire)) +
                                 need <=
                             capacity);
      }
      if (to_end < frame) {  // only when framed: plain frames tile the ring
        *(int32_t *)(ring + offset) = WRAP;
        tail += to_end;
        offset = 0;
      }
      if (framed) *(int32_t *)(ring + offset) = (int32_t)size;
      memcpy(ring + offset + prefix, buf, size);
      tail += frame;
      atomic_store_explicit(&c->tail, tail, memory_order_release);
    }
    _exit(0);
  }
  double cpu = cpu_us(RUSAGE_SELF);
  long long t0 = 0;
  long head = 0, tail = 0;
  for (long i = 0; i < count; i++) {
    if (tail == head) {
      CHANNEL_SPIN(-1, (tail = atomic_load_explicit(&c->tail, memory_order_acquire)) != head);
    }
    if (i == warm) t0 = now_ns();
    long offset = head % capacity;
    size_t len = size;
    if (framed) {
      int32_t word = *(int32_t *)(ring + offset);
      if (word == WRAP) {
        head += capacity - offset;
        offset = 0;
        word = *(int32_t *)ring;
      }
      len = (size_t)word;
    }
    memcpy(buf, ring + offset + prefix, len);
    head += framed ? (long)((len + 7) & ~(size_t)3) : (long)size;
    atomic_store_explicit(&c->head, head, memory_order_release);
  }
  long long ns = now_ns() - t0;
  int status;
  waitpid(pid, &status, 0);
  cpu = cpu_us(RUSAGE_SELF) - cpu + cpu_us(RUSAGE_CHILDREN);
  if (buf[0] != 7 || buf[size - 1] != 7) return 1;
  printf("{\"mb_per_s\": %.1f, \"msgs_per_s\": %.1f, \"cpu_us_per_op\": %.4f}\n",
         (double)(count - warm) * size / ns * 1e3, (double)(count - warm) / ns * 1e9, cpu / count);
  return 0;
}
