// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Clean up after a crash. A worker creates a channel and is killed before it
 * can close it, leaving the name behind in /dev/shm. `list` shows the
 * object with its dead owner's pid; `sweep` removes it.
 *
 * Run: `deno run --allow-ffi --allow-run examples/shm_sweep.ts`
 *
 * Permissions: exactly these: `list`/`sweep` and the channel (FFI), starting the worker; it gets
 * `--allow-ffi` only.
 *
 * @module
 */
import { Channel, list, sweep } from "@ipc/linux/shm";
import { onShutdown } from "@ipc/linux/signals";

if (Deno.args[0]! === "--worker") {
  Channel.create(Deno.args[1]!, { capacity: 4096 }); // never closed: the worker is killed
  console.log("ready");
  setInterval(() => {}, 1000); // wait to be killed
} else {
  const prefix = `example_crash_${Deno.pid}`;
  const worker = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-ffi", import.meta.filename!, "--worker", `${prefix}_jobs`],
    stdout: "piped",
  }).spawn();
  // Ctrl-C (or SIGTERM) before the end: stop the worker and sweep all the same.
  using _stop = onShutdown(async () => {
    try {
      worker.kill("SIGKILL");
    } catch {
      // already killed
    }
    await worker.status;
    sweep({ prefix });
  });
  const reader = worker.stdout.pipeThrough(new TextDecoderStream()).getReader();
  await reader.read(); // "ready"
  worker.kill("SIGKILL");
  await worker.status;
  await reader.cancel();
  for (const o of list({ prefix })) {
    console.log(`left behind: ${o.kind} ${o.name}, owner ${o.ownerPid} alive: ${o.ownerAlive}`);
  }
  for (const o of sweep({ prefix })) console.log(`swept: ${o.kind} ${o.name}`);
  console.log(`remaining: ${list({ prefix }).length}`);
}
