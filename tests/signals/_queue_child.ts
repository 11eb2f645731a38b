// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Fixture for signal_queue_test.ts, run with the signal blocked in every
 * thread. Usage: _queue_child.ts reopen <signal>: prints "ready <pid>",
 * waits for a stdin line, takes ONE signal through a first queue, closes
 * it, and prints every value a second queue then finds pending.
 *
 * @module
 */
import { SignalQueue } from "../../signals/mod.ts";
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
} else {
  throw new Error(`unknown mode ${mode}`);
}
