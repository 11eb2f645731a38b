// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Fixture for signal_queue_test.ts, run with the signal blocked in every
 * thread. Usage: _queue_child.ts reopen <signal>: prints "ready <pid>",
 * waits for a stdin line, takes ONE signal through a first queue, closes
 * it, and prints every value a second queue then finds pending.
 * _queue_child.ts echo <syncWait>: prints "ready <pid>", then answers each
 * SIGRTMIN+1 with SIGRTMIN+2 carrying value + 1, until value -1.
 * _queue_child.ts ping <syncWait> <pid> <count>: sends <pid> SIGRTMIN+1 with
 * values 0..count-1, checks each answer, then sends -1 and prints "ok <count>".
 *
 * @module
 */
import { sendSignal, SignalQueue } from "../../signals/mod.ts";
import type { SignalName } from "../../signals/mod.ts";

const [mode, signal] = Deno.args;
const encoder = new TextEncoder();
const say = (line: string) => Deno.stdout.writeSync(encoder.encode(line + "\n"));

if (mode === "reopen") {
  say(`ready ${Deno.pid}`);
  await Deno.stdin.read(new Uint8Array(16)); // the sender is done
  const first = SignalQueue.open(signal as SignalName);
  const taken = first.tryReceive()?.value;
  first.close();
  using second = SignalQueue.open(signal as SignalName);
  const rest: number[] = [];
  for (let info = second.tryReceive(); info !== undefined; info = second.tryReceive()) {
    rest.push(info.value);
  }
  say(`first ${taken} then ${rest.join(",")}`);
} else if (mode === "echo") {
  using queue = SignalQueue.open("SIGRTMIN+1", { syncWait: Number(signal) });
  say(`ready ${Deno.pid}`);
  for await (const info of queue) {
    if (info.value === -1) break;
    sendSignal(info.pid, "SIGRTMIN+2", { value: info.value + 1 });
  }
} else if (mode === "ping") {
  using queue = SignalQueue.open("SIGRTMIN+2", { syncWait: Number(signal) });
  const [pid, count] = [Number(Deno.args[2]), Number(Deno.args[3])];
  for (let i = 0; i < count; i++) {
    sendSignal(pid, "SIGRTMIN+1", { value: i });
    const info = await queue.receive({ signal: AbortSignal.timeout(10_000) });
    if (info.value !== i + 1 || info.pid !== pid) throw new Error(`round ${i}: ${info.value}`);
  }
  sendSignal(pid, "SIGRTMIN+1", { value: -1 });
  say(`ok ${count}`);
} else {
  throw new Error(`unknown mode ${mode}`);
}
