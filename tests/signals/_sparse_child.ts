// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Fixture for hostile_test.ts: signals(), onShutdown() and SignalQueue.open()
 * each given a sparse list (a valid signal, then a hole). Prints one JSON
 * line with each error's name and message, then sends itself SIGUSR2 and
 * then SIGUSR1: with no listener left behind by the refused calls, SIGUSR2
 * ends it by its default action; else it prints what survived.
 *
 * @module
 */
import { onShutdown, SignalQueue, signals } from "../../signals/mod.ts";
import type { SignalName } from "../../signals/mod.ts";

const say = (line: string) => Deno.stdout.writeSync(new TextEncoder().encode(line + "\n"));
const sparse = (name: SignalName) => {
  const list: SignalName[] = [name];
  list.length = 2; // a hole at index 1
  return list;
};
const errors: [string, string][] = [];
for (
  const call of [
    () => signals(sparse("SIGUSR2")),
    () => onShutdown(() => {}, { signals: sparse("SIGUSR1") }),
    () => SignalQueue.open(sparse("SIGRTMIN+1")),
  ]
) {
  try {
    call();
    errors.push(["none", ""]);
  } catch (err) {
    errors.push([(err as Error).name, (err as Error).message]);
  }
}
say(JSON.stringify(errors));
const pause = () => new Promise((resolve) => setTimeout(resolve, 300));
Deno.kill(Deno.pid, "SIGUSR2");
await pause();
say("survived SIGUSR2");
Deno.kill(Deno.pid, "SIGUSR1");
await pause();
say("survived SIGUSR1");
