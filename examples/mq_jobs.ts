// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A job queue between two processes with POSIX message queues.
 *
 * The parent creates a "jobs" queue and a "results" queue, starts a worker
 * process (this same file with the argument `worker`), and sends it jobs with
 * priorities: urgent jobs jump the line. The worker answers each job on the
 * results queue and stops at the "stop" job (priority 0, so it comes last).
 *
 * Run: `deno run --allow-ffi --allow-run examples/mq_jobs.ts`
 *
 * Permissions: exactly these: the queues (FFI), starting the worker; the worker gets `--allow-ffi`
 * only.
 *
 * @module
 */
import { MessageQueue } from "../mq/mod.ts";
import { onShutdown } from "../signals/mod.ts";

const decoder = new TextDecoder();

async function worker(jobsName: string, resultsName: string): Promise<void> {
  using jobs = MessageQueue.open(jobsName, { readOnly: true });
  using results = MessageQueue.open(resultsName, { writeOnly: true });
  for await (const { data, priority } of jobs) {
    const job = decoder.decode(data);
    if (job === "stop") break;
    await results.send(`${job.toUpperCase()} (priority ${priority}, worker pid ${Deno.pid})`);
  }
}

async function main(): Promise<void> {
  const jobsName = `/example_jobs_${Deno.pid}`;
  const resultsName = `/example_results_${Deno.pid}`;
  // A queue outlives its process: remove what was created, also on Ctrl-C
  // (or SIGTERM), after which onShutdown exits with 130 (or 143).
  const created: string[] = [];
  const removeQueues = () => {
    for (const name of created.splice(0)) MessageQueue.unlink(name);
  };
  using _stop = onShutdown(removeQueues);
  try {
    using jobs = MessageQueue.open(jobsName, { exclusive: true, maxMessages: 8, messageSize: 256 });
    created.push(jobsName);
    using results = MessageQueue.open(resultsName, {
      exclusive: true,
      maxMessages: 8,
      messageSize: 256,
    });
    created.push(resultsName);

    // Queue the work before the worker starts: priorities decide the order it is done in.
    await jobs.send("resize photo", { priority: 1 });
    await jobs.send("send newsletter", { priority: 1 });
    await jobs.send("page the on-call engineer", { priority: 9 });
    await jobs.send("stop", { priority: 0 });
    console.log(`queued ${jobs.attributes().currentMessages - 1} jobs and a stop`);

    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-ffi", import.meta.filename!, "worker", jobsName, resultsName],
    }).spawn();
    for (let i = 0; i < 3; i++) {
      const { data } = await results.receive({ signal: AbortSignal.timeout(10_000) });
      console.log(`done: ${decoder.decode(data)}`);
    }
    const status = await child.status;
    console.log(`worker exited with code ${status.code}`);
  } finally {
    removeQueues();
  }
}

if (import.meta.main) {
  if (Deno.args[0]! === "worker") await worker(Deno.args[1]!, Deno.args[2]!);
  else await main();
}
