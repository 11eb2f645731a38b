// Copyright 2026 the @ipc/linux authors. MIT license.
// Baseline: signal round trips between two C processes (fork), both waiting
// with sigwaitinfo (signals blocked, no handlers):
//   signals_pingpong kill <rounds>  kill(SIGUSR1), answered with kill(SIGUSR2)
//   signals_pingpong rt <rounds>    sigqueue(SIGRTMIN+1, value), answered with
//                                   sigqueue(SIGRTMIN+2, value + 1) (SignalQueue's case)
// Prints {"mean_us", "p50_us", "p99_us", "cpu_us_per_op"} (CPU of both processes).
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "_bench.h"

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  int rt = strcmp(argv[1], "rt") == 0;
  long rounds = atol(argv[2]);
  int ping = rt ? SIGRTMIN + 1 : SIGUSR1, pong = rt ? SIGRTMIN + 2 : SIGUSR2;
  sigset_t set, in, back;
  sigemptyset(&set);
  sigaddset(&set, ping);
  sigaddset(&set, pong);
  sigprocmask(SIG_BLOCK, &set, NULL);
  sigemptyset(&in);
  sigaddset(&in, ping);
  sigemptyset(&back);
  sigaddset(&back, pong);
  long warm = 100, total = rounds + warm;
  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) return perror("fork"), 1;
  if (child == 0) {
    bench_pin(1);  // the answering side on the other CPU when the bench places pairs
    siginfo_t info;
    for (long i = 0; i < total; i++) {
      if (sigwaitinfo(&in, &info) < 0) return 1;
      if (rt) {
        union sigval v = {.sival_int = info.si_value.sival_int + 1};
        sigqueue(parent, pong, v);
      } else {
        kill(parent, pong);
      }
    }
    return 0;
  }
  long long *lat = calloc(rounds, sizeof *lat);
  double cpu = 0;
  siginfo_t info;
  for (long i = 0; i < total; i++) {
    if (i == warm) cpu = cpu_us(RUSAGE_SELF);
    long long t = now_ns();
    if (rt) {
      union sigval v = {.sival_int = (int)i};
      sigqueue(child, ping, v);
    } else {
      kill(child, ping);
    }
    if (sigwaitinfo(&back, &info) < 0) return 1;
    if (rt && info.si_value.sival_int != (int)i + 1) return 1;
    if (i >= warm) lat[i - warm] = now_ns() - t;
  }
  cpu = cpu_us(RUSAGE_SELF) - cpu;
  waitpid(child, NULL, 0);
  // The child's CPU covers the warm-up rounds too: scale it to the measured ones.
  cpu += cpu_us(RUSAGE_CHILDREN) * rounds / total;
  print_latency(lat, rounds, cpu);
  return 0;
}
