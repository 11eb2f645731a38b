// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Graceful shutdown of a child process. The worker registers its cleanup
 * with `onShutdown`; the parent asks it to stop with SIGTERM, sent through a
 * pidfd (so it can never hit a recycled pid), waits for it to exit, and sees
 * the conventional exit code 128 + 15 = 143.
 *
 * Run: `deno run --allow-ffi --allow-run examples/signals_shutdown.ts`
 *
 * Permissions: exactly these: the pidfd (FFI), starting the worker; the worker needs no permission
 * (`onShutdown`).
 *
 * @module
 */
import { onShutdown, PidFd } from "@ipc/linux/signals";

if (Deno.args[0] === "--worker") {
  let jobs = 0;
  const work = setInterval(() => jobs++, 5);
  onShutdown(async (signal) => {
    clearInterval(work);
    console.log(`worker: ${signal} received; finishing up after ${jobs > 0 ? "some" : "no"} jobs`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // e.g. flush, close connections
    console.log("worker: cleanup done");
  }, { timeout: 3000 });
  console.log("worker: ready");
} else {
  const worker = new Deno.Command(Deno.execPath(), {
    args: ["run", import.meta.filename!, "--worker"], // onShutdown needs no permission
    stdout: "piped",
  }).spawn();
  using handle = PidFd.open(worker);
  const lines = worker.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let asked = false;
  for (;;) {
    const { value, done } = await lines.read();
    if (done) break;
    buffered += value;
    let nl;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      console.log(line);
      if (line === "worker: ready" && !asked) {
        asked = true;
        console.log(`parent: sending SIGTERM to worker ${handle.pid}`);
        handle.send("SIGTERM");
      }
    }
  }
  await handle.exited();
  const status = await worker.status;
  console.log(`parent: worker exited with code ${status.code}`);
}
