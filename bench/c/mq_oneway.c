// Copyright 2026 the @ipc/linux authors. MIT license.
// C baseline for bench/mq_bench.ts, one-way throughput:
//   mq_oneway send NAME COUNT SIZE [SPIN_US]     send COUNT messages of SIZE bytes;
//                                                print {"cpu_us": …}
//   mq_oneway receive NAME COUNT SIZE [SPIN_US]  receive COUNT messages; print
//                                                {"ns": <first to last>, "cpu_us": …}
// SPIN_US 0 (the default): blocking mq_send/mq_receive. SPIN_US > 0: a send to a full queue
// or a receive from an empty one first retries with O_NONBLOCK for SPIN_US µs, yielding the
// CPU between tries (the strategy of MessageQueue's `spin`), then blocks. Each process pins
// itself where BENCH_PEER_CPU says (bench_pin), as mq_bench.ts places the pair.
#include <fcntl.h>
#include <mqueue.h>
#include <string.h>

#include "_bench.h"

int main(int argc, char **argv) {
  if (argc != 5 && argc != 6) return 2;
  bench_pin(1);  // where BENCH_PEER_CPU says, when the bench places the pair (mq_bench.ts)
  int sending = strcmp(argv[1], "send") == 0;
  long count = atol(argv[3]);
  size_t size = (size_t)atol(argv[4]);
  long long spin = argc == 6 ? atol(argv[5]) * 1000LL : 0;
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
  double cpu = cpu_us(RUSAGE_SELF);
  for (long i = 0; i < count; i++) {
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
      if (i == 0) start = now_ns();
    }
  }
  cpu = cpu_us(RUSAGE_SELF) - cpu;
  if (sending) printf("{\"cpu_us\": %.1f}\n", cpu);
  else printf("{\"ns\": %lld, \"cpu_us\": %.1f}\n", now_ns() - start, cpu);
  return 0;
}
