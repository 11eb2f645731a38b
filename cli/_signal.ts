// Copyright 2026 the @ipc/linux authors. MIT license.
/** `ipc signal <pid> <name> [value]`. */
import { sendSignal, type SignalName } from "../signals/mod.ts";
import { expect, help, integer, parse, UsageError } from "./_args.ts";
import type { Output } from "./_host.ts";

/** Help for `ipc signal`. */
export const SIGNAL_HELP = `Usage:
  ipc signal <pid> <signal> [value] [--group]

Send <signal> (a name such as SIGTERM, term or SIGRTMIN+2, or a number) to
<pid>. With [value] (an integer) the signal is queued with sigqueue(3), and
the receiver gets it as si_value. Pids ≤ 0 address process groups and need
--group.

Exit codes: 0 sent, 1 failed (e.g. no such process), 2 usage error.`;

/** Run `ipc signal …`; returns the exit code. */
export function signal(args: string[], io: Output): number {
  const { positional, flags } = parse(args, { group: "boolean" });
  if (flags.help) return help(io, SIGNAL_HELP);
  const [pidText, name, valueText] = expect(positional, "signal", ["<pid>", "<signal>"], [
    "[value]",
  ]);
  const pid = integer(pidText, "<pid>");
  if (pid <= 0 && flags.group !== true) {
    throw new UsageError(
      `<pid> ${pid} addresses a process group (0: yours, -1: every process you may signal, ` +
        `-n: group n); add --group to mean it`,
    );
  }
  // Names in any case, with or without SIG, as kill(1) takes them.
  const upper = name.toUpperCase();
  const sig = /^\d+$/.test(name)
    ? Number(name)
    : (upper.startsWith("SIG") ? upper : `SIG${upper}`) as SignalName;
  const value = valueText === undefined ? undefined : integer(valueText, "[value]");
  sendSignal(pid, sig as SignalName, { value, processGroup: flags.group === true });
  return 0;
}
