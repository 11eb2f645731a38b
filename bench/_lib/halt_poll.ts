// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The guest kernel's idle polling (`cpuidle-haltpoll`), switched on for one
 * measurement. This VM boots with `haltpoll.guest_halt_poll_ns=0`: an idle
 * vCPU halts at once, and waking a halted vCPU is a VM exit (≈ 25 µs here),
 * which every blocking round trip pays on both sides. The kernel's default
 * is 200,000 ns: an idle vCPU polls that long for work before it halts. The
 * latency bench's `--halt-poll` pass measures the rows without spin once
 * more with the default, to show what the blocking rows would be on a
 * machine whose idle CPUs wake fast, then puts the boot value back.
 *
 * @module
 */

const PARAM = "/sys/module/haltpoll/parameters/guest_halt_poll_ns";

/** The kernel's default `guest_halt_poll_ns`. */
export const DEFAULT_HALT_POLL_NS = 200_000;

/**
 * Run `fn` with the guest's idle polling set to `ns`, and restore the value
 * it had. Returns `undefined` without running `fn` when the parameter does
 * not exist, cannot be written (not root), or already polls at least `ns`
 * (then the ordinary rows are already these).
 */
export async function withGuestHaltPolling<T>(
  ns: number,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  let before: number;
  try {
    before = Number((await Deno.readTextFile(PARAM)).trim());
    if (!(before < ns)) return undefined;
    await Deno.writeTextFile(PARAM, String(ns));
  } catch {
    return undefined;
  }
  // Interrupted (Ctrl-C, a timeout's SIGTERM), the boot value goes back first.
  const restore = () => {
    Deno.writeTextFileSync(PARAM, String(before));
    Deno.exit(130);
  };
  const signals = ["SIGINT", "SIGTERM"] as const;
  for (const sig of signals) Deno.addSignalListener(sig, restore);
  try {
    return await fn();
  } finally {
    for (const sig of signals) Deno.removeSignalListener(sig, restore);
    await Deno.writeTextFile(PARAM, String(before));
  }
}
