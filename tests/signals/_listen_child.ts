// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Fixture for receive_test.ts. Usage: `_listen_child.ts bad-abort`: calls
 * signals(["SIGUSR2"]) with a `signal` option that is not an AbortSignal,
 * prints the error's name, then "ready"; a later SIGUSR2 must end it (no
 * listener was left behind), else it prints "swallowed" after 10 s.
 *
 * @module
 */
import { signals } from "../../signals/mod.ts";

const [mode] = Deno.args;
const say = (line: string) => Deno.stdout.writeSync(new TextEncoder().encode(line + "\n"));

if (mode === "bad-abort") {
  try {
    signals(["SIGUSR2"], { signal: {} as AbortSignal });
    say("no error");
  } catch (err) {
    say((err as Error).name);
  }
  say("ready");
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  say("swallowed");
} else {
  throw new Error(`unknown mode ${mode}`);
}
