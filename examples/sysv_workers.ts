// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Worker processes around System V IPC, the way much existing C software is
 * built: one message queue carries jobs (type 1) and replies (typed with the
 * worker's pid), a shared memory segment holds a tally, and a semaphore set
 * guards it with a SEM_UNDO lock (a worker that dies holding it releases it).
 *
 * The parent derives one key from a file with `ftok` (a C or Python program
 * would compute the same key), creates the three objects, starts two workers
 * (this same file with the argument `worker`), queues six jobs and two stop
 * messages, and removes every object at the end, also on Ctrl-C.
 *
 * Run: `deno run --allow-ffi --allow-write --allow-run examples/sysv_workers.ts`
 *
 * Permissions: exactly these: the System V objects and `ftok` (FFI), the temporary file the key is
 * made from (write), starting the workers; the workers get `--allow-ffi` only.
 *
 * @module
 */
import { onShutdown } from "../signals/mod.ts";
import { ftok, SysvMessageQueue, SysvSemaphoreSet, SysvSharedMemory } from "../sysv/mod.ts";

const JOB = 1;
const decoder = new TextDecoder();

async function worker(key: number, parent: number): Promise<void> {
  using queue = SysvMessageQueue.open(key);
  using tally = SysvSharedMemory.open(key);
  using lock = SysvSemaphoreSet.open(key);
  const counts = new Uint32Array(tally.bytes.buffer, 0, 1);
  let done = 0;
  for (;;) {
    const { data } = await queue.receive({ type: JOB, signal: AbortSignal.timeout(30_000) });
    const job = decoder.decode(data);
    if (job === "stop") break;
    await lock.operate([{ delta: -1, undo: true }]); // released by the kernel if we die here
    counts[0]! += job.length; // a read-modify-write the lock makes safe
    await lock.operate([{ delta: 1, undo: true }]);
    done++;
  }
  await queue.send(parent, `worker ${Deno.pid} did ${done} jobs`);
}

async function main(): Promise<void> {
  const anchor = await Deno.makeTempFile({ prefix: "sysv_example_" });
  const key = ftok(anchor, 1);
  const removers: Array<() => void> = [];
  const removeAll = () => {
    for (const remove of removers.splice(0)) remove();
  };
  using _stop = onShutdown(removeAll);
  try {
    using queue = SysvMessageQueue.open(key, { exclusive: true });
    removers.push(() => queue.remove());
    using tally = SysvSharedMemory.open(key, { exclusive: true, size: 4 });
    removers.push(() => tally.remove());
    using lock = SysvSemaphoreSet.open(key, { exclusive: true, count: 1, value: 1 });
    removers.push(() => lock.remove());

    const jobs = ["a", "bb", "ccc", "dddd", "eeeee", "ffffff"];
    for (const job of jobs) await queue.send(JOB, job);
    const workers = [0, 1].map(() =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-ffi",
          import.meta.filename!,
          "worker",
          String(key),
          String(Deno.pid),
        ],
      }).spawn()
    );
    for (const _ of workers) await queue.send(JOB, "stop");
    // Replies are typed with this process's pid: only they are received here.
    for (const _ of workers) {
      const reply = await queue.receive({ type: Deno.pid, signal: AbortSignal.timeout(30_000) });
      // "worker <pid> did <n> jobs": pid and share vary from run to run.
      const text = decoder.decode(reply.data);
      console.log(/^worker \d+ did \d+ jobs$/.test(text) ? "a worker reported its share" : text);
    }
    const codes = await Promise.all(workers.map(async (w) => (await w.status).code));
    console.log(`workers exited with codes ${codes.join(", ")}`);
    const total = new Uint32Array(tally.bytes.buffer, 0, 1)[0];
    const expected = jobs.reduce((n, job) => n + job.length, 0);
    console.log(`tally in shared memory: ${total} (expected ${expected})`);
    console.log(`lock value at the end: ${lock.getValue(0)}`);
  } finally {
    removeAll();
    await Deno.remove(anchor);
  }
  console.log("removed the queue, the segment and the semaphore set");
}

if (import.meta.main) {
  if (Deno.args[0] === "worker") await worker(Number(Deno.args[1]), Number(Deno.args[2]));
  else await main();
}
