// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Realtime signals with values between two Deno processes. A realtime
 * signal would terminate a Deno process, so the receiver is started with
 * SIGRTMIN+1 blocked in every thread (here by a Python one-liner that blocks
 * it and then execs Deno); it then reads each signal, its value and the
 * sender's pid from a `SignalQueue`. Realtime signals queue: none is lost
 * or merged.
 *
 * Run: `deno run --allow-ffi --allow-run examples/signals_realtime.ts` (needs python3)
 *
 * Permissions: exactly these: `sendSignal` and `SignalQueue` (FFI), starting python3, which execs
 * the receiver with `--allow-ffi` only.
 *
 * @module
 */
import { sendSignal, signalNumber, SignalQueue } from "@ipc/linux/signals";

if (Deno.args[0] === "--receiver") {
  using queue = SignalQueue.open("SIGRTMIN+1");
  console.log("receiver: ready");
  for await (const info of queue) {
    console.log(`receiver: ${info.signal} value=${info.value} from pid ${info.pid}`);
    if (info.value === 0) break;
  }
} else {
  const blockThenExec = "import os, signal, sys; " +
    "signal.pthread_sigmask(signal.SIG_BLOCK, [int(sys.argv[1])]); os.execvp(sys.argv[2], sys.argv[2:])";
  const receiver = new Deno.Command("python3", {
    args: [
      "-c",
      blockThenExec,
      String(signalNumber("SIGRTMIN+1")),
      Deno.execPath(),
      "run",
      "--allow-ffi",
      import.meta.filename!,
      "--receiver",
    ],
    stdout: "piped",
  }).spawn();
  const lines = receiver.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await lines.read();
    if (done) break;
    buffered += value;
    let nl;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      console.log(line);
      if (line === "receiver: ready") {
        console.log(`sender ${Deno.pid}: queueing values 3, 2, 1, 0`);
        for (const v of [3, 2, 1, 0]) sendSignal(receiver.pid, "SIGRTMIN+1", { value: v });
      }
    }
  }
  console.log(`sender: receiver exited with code ${(await receiver.status).code}`);
}
