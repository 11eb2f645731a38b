// Copyright 2026 the @ipc/linux authors. MIT license.
// Baseline: signal round trip between two C processes. The parent sends SIGUSR1,
// the forked child answers SIGUSR2; both wait with sigwaitinfo (no handlers).
// Usage: signals_pingpong <rounds>; prints the mean round trip in microseconds.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 10000;
  sigset_t set, usr1, usr2;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_BLOCK, &set, NULL);
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) return perror("fork"), 1;
  if (child == 0) {
    for (int i = 0; i < rounds + 100; i++) {
      if (sigwaitinfo(&usr1, NULL) < 0) return 1;
      kill(parent, SIGUSR2);
    }
    return 0;
  }
  for (int i = 0; i < 100; i++) {  // warm-up
    kill(child, SIGUSR1);
    sigwaitinfo(&usr2, NULL);
  }
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < rounds; i++) {
    kill(child, SIGUSR1);
    if (sigwaitinfo(&usr2, NULL) < 0) return 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  waitpid(child, NULL, 0);
  double us = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / rounds;
  printf("%.3f\n", us);
  return 0;
}
