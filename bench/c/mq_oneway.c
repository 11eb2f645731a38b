// Copyright 2026 the @ipc/linux authors. MIT license.
// C baseline for bench/mq_bench.ts, one-way throughput:
//   mq_oneway send NAME COUNT SIZE SPIN_US WARM     send WARM + COUNT messages of SIZE
//                                                   bytes; print {"cpu_us": …} of the last COUNT
//   mq_oneway receive NAME COUNT SIZE SPIN_US WARM  receive WARM + COUNT messages; print
//                                                   {"ns": <message WARM to the last>, "cpu_us": …}
// The WARM untimed messages are the ones the Deno rows need for the JIT to settle; C gets the
// same, so both are measured in their steady state.
// SPIN_US 0: blocking mq_send/mq_receive. SPIN_US > 0: a send to a full queue
// or a receive from an empty one first retries with O_NONBLOCK for SPIN_US µs, yielding the
// CPU between tries (the strategy of MessageQueue's `spin`), then blocks. Each process pins
// itself where BENCH_PEER_CPU says (bench_pin), as mq_bench.ts places the pair.
#include <fcntl.h>
#include <mqueue.h>
#include <string.h>

#include "_bench.h"

int main(int argc, char **argv) {
  if (argc != 7) return 2;
  bench_pin(1);  // where BENCH_PEER_CPU says, when the bench places the pair (mq_bench.ts)
  int sending = strcmp(argv[1], "send") == 0;
  long count = atol(argv[3]);
  size_t size = (size_t)atol(argv[4]);
  long long spin = atol(argv[5]) * 1000LL;
  long warm = atol(argv[6]);
  mqd_t q = mq_open(argv[2], sending ? O_WRONLY : O_RDONLY);
  mqd_t nb = mq_open(argv[2], (sending ? O_WRONLY : O_RDONLY) | O_NONBLOCK);
  if (q == (mqd_t)-1 || nb == (mqd_t)-1) {
    perror("mq_open");
    return 1;
  }
  struct mq_attr attr;
  mq_getattr(q, &attr);
  char *buf = calloc(1, attr.mq_msgsize);
  long long start = 0;
  double cpu = 0;
  for (long i = 0; i < warm + count; i++) {
    if (i == warm) cpu = cpu_us(RUSAGE_SELF);
    if (sending) {
      if (spin > 0 && (mq_send(nb, buf, size, 0) == 0 || SPIN_UNTIL(spin, mq_send(nb, buf, size, 0) == 0)))
        continue;
      if (mq_send(q, buf, size, 0) != 0) {
        perror("mq_send");
        return 1;
      }
    } else {
      unsigned prio;
      if ((spin == 0 || (mq_receive(nb, buf, attr.mq_msgsize, &prio) < 0 &&
                        !SPIN_UNTIL(spin, mq_receive(nb, buf, attr.mq_msgsize, &prio) >= 0))) &&
          mq_receive(q, buf, attr.mq_msgsize, &prio) < 0) {
        perror("mq_receive");
        return 1;
      }
      if (i == warm) start = now_ns();
    }
  }
  cpu = cpu_us(RUSAGE_SELF) - cpu;
  if (sending) printf("{\"cpu_us\": %.1f}\n", cpu);
  else printf("{\"ns\": %lld, \"cpu_us\": %.1f}\n", now_ns() - start, cpu);
  return 0;
}
