// Copyright 2026 the @ipc/linux authors. MIT license.
// Ping-pong baselines for bench/shm_bench.ts, between two processes (fork):
//   futex <trips>   two words in shared memory, FUTEX_WAIT / FUTEX_WAKE (shared, no spinning)
//   socket <trips>  64-byte messages over a Unix socketpair (read/write)
// Prints {"us_per_trip": <float>}.
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void fwait(_Atomic int *addr, int val) {
  while (atomic_load(addr) == val) syscall(SYS_futex, addr, FUTEX_WAIT, val, NULL, NULL, 0);
}

static void fwake(_Atomic int *addr) { syscall(SYS_futex, addr, FUTEX_WAKE, 1, NULL, NULL, 0); }

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  long trips = atol(argv[2]);
  double start, end;
  if (strcmp(argv[1], "futex") == 0) {
    _Atomic int *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    w[0] = 0;  // ping counter
    w[64] = 0; // pong counter (own cache line)
    pid_t pid = fork();
    if (pid == 0) {
      for (int i = 1; i <= trips; i++) {
        fwait(&w[0], i - 1);
        atomic_store(&w[64], i);
        fwake(&w[64]);
      }
      _exit(0);
    }
    start = now_us();
    for (int i = 1; i <= trips; i++) {
      atomic_store(&w[0], i);
      fwake(&w[0]);
      fwait(&w[64], i - 1);
    }
    end = now_us();
    waitpid(pid, NULL, 0);
  } else if (strcmp(argv[1], "socket") == 0) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 1;
    char buf[64] = {0};
    pid_t pid = fork();
    if (pid == 0) {
      for (long i = 0; i < trips; i++) {
        if (read(sv[1], buf, 64) != 64 || write(sv[1], buf, 64) != 64) _exit(1);
      }
      _exit(0);
    }
    start = now_us();
    for (long i = 0; i < trips; i++) {
      if (write(sv[0], buf, 64) != 64 || read(sv[0], buf, 64) != 64) return 1;
    }
    end = now_us();
    waitpid(pid, NULL, 0);
  } else {
    return 2;
  }
  printf("{\"us_per_trip\": %.3f}\n", (end - start) / trips);
  return 0;
}
