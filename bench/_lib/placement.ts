// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Where a bench's pairs of processes run: the measuring side's main thread
 * on one CPU, its peer's on another, for C anchors and JS rows alike (see
 * bench/README.md, "Placement").
 *
 * @module
 */

/** The variable naming the peer's CPU, read by `spawnPeer` and bench/c/_bench.h's `bench_pin`. */
const PEER_CPU = "BENCH_PEER_CPU";

/** Pin the thread `tid` (a process's main thread when it is the pid) to the CPUs in `list`. */
export async function pinThread(tid: number, list: string): Promise<void> {
  const command = new Deno.Command("taskset", {
    args: ["-p", "-c", list, String(tid)],
    stdout: "null",
    stderr: "piped",
  });
  const out = await command.output().catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
    throw new Error("bench: taskset (util-linux) is needed to place the pairs on two CPUs");
  });
  if (!out.success) throw new Error(`taskset failed: ${new TextDecoder().decode(out.stderr)}`);
}

/**
 * Where the pairs of processes run. Pinned: this process's main thread on
 * the first CPU it may use, the peer's on the second (a Deno peer pins its
 * main thread before it reports ready, a C baseline's forked child through
 * `bench_pin`);
 * the runtimes' helper threads stay free to run anywhere. Left to the
 * scheduler, both spinning sides sometimes share one CPU, where a ring runs
 * from cache in long time slices and no cache line crosses CPUs: the same C
 * ring then measured 1.7× (64 KiB) or more faster than on two CPUs, so the
 * anchor and each row picked a mode at random.
 */
export class Placement {
  readonly cpus: [number, number] | undefined;

  private constructor(cpus: [number, number] | undefined) {
    this.cpus = cpus;
  }

  /** Read the CPUs this process may use (from /proc/self/status). */
  static async read(): Promise<Placement> {
    const status = await Deno.readTextFile("/proc/self/status");
    const allowed = /^Cpus_allowed_list:\s*(.+)$/m.exec(status)?.[1]?.trim() ?? "";
    const cpus: number[] = [];
    for (const part of allowed.split(",")) {
      const [lo, hi] = part.split("-").map(Number) as [number, number | undefined];
      for (let c = lo; c <= (hi ?? lo) && cpus.length < 2; c++) cpus.push(c);
    }
    return new Placement(cpus.length === 2 ? [cpus[0]!, cpus[1]!] : undefined);
  }

  /** Pin this process's main thread, and every peer started from now on. */
  async pin(): Promise<void> {
    if (this.cpus === undefined) return;
    await pinThread(Deno.pid, String(this.cpus[0]));
    Deno.env.set(PEER_CPU, String(this.cpus[1]));
  }
}

/**
 * Pin this process's main thread to `cpu`: for benches whose two sides are
 * both child processes (bench/sysv_bench.ts passes each side its CPU).
 */
export async function pinSelf(cpu: number): Promise<void> {
  await pinThread(Deno.pid, String(cpu));
}

/**
 * In a peer process: pin its main thread to the CPU the measuring side chose
 * (`Placement.pin` sets it in the environment); nothing when it did not.
 */
export async function pinPeer(): Promise<void> {
  const place = Deno.env.get(PEER_CPU);
  if (place !== undefined && place !== "") await pinThread(Deno.pid, place);
}
