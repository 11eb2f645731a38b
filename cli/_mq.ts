// Copyright 2026 the @ipc/linux authors. MIT license.
/** `ipc mq send|recv|stat`. */
import { MessageQueue } from "../mq/mod.ts";
import { expect, integer, type Output, parse, timeoutMs, UsageError } from "./_args.ts";

/** Help for `ipc mq`. */
export const MQ_HELP = `Usage:
  ipc mq send <name> <message> [--priority N] [--create] [--timeout MS]
  ipc mq recv <name> [--count N] [--timeout MS] [--raw]
  ipc mq stat <name>

send   Send <message> (UTF-8) with priority N (default 0); waits while the queue is full.
       --create makes the queue if it does not exist (mode 0600, system default sizes).
recv   Receive N messages (default 1), highest priority first; prints
       "<priority> <text>" per message, or the raw bytes with --raw.
stat   Print the queue's attributes as JSON.

Exit codes: 0 done, 1 failed (e.g. no such queue), 2 usage error, 3 timed out.`;

/** Run `ipc mq …`; returns the exit code. */
export async function mq(args: string[], io: Output): Promise<number> {
  const [verb, ...rest] = args;
  const { positional, flags } = parse(rest, ["create", "raw"], ["priority", "count", "timeout"]);
  if (flags.has("help") || verb === undefined || verb === "--help" || verb === "-h") {
    if (verb === undefined) throw new UsageError("mq needs a command");
    io.out(MQ_HELP);
    return 0;
  }
  const timeout = flags.has("timeout") ? timeoutMs(flags.get("timeout")) : undefined;
  const signal = timeout === undefined ? undefined : AbortSignal.timeout(timeout);
  switch (verb) {
    case "send": {
      const [name, message] = expect(positional, "mq send", ["<name>", "<message>"]);
      const priority = integer(flags.get("priority"), "--priority", 0);
      using q = MessageQueue.open(name, { create: flags.has("create"), writeOnly: true });
      await q.send(message, { priority, signal });
      return 0;
    }
    case "recv": {
      const [name] = expect(positional, "mq recv", ["<name>"]);
      const count = integer(flags.get("count"), "--count", 1);
      using q = MessageQueue.open(name, { readOnly: true });
      for (let i = 0; i < count; i++) {
        const { data, priority } = await q.receive({ signal });
        if (flags.has("raw")) io.bytes(data);
        else io.out(`${priority} ${new TextDecoder().decode(data)}`);
      }
      return 0;
    }
    case "stat": {
      const [name] = expect(positional, "mq stat", ["<name>"]);
      using q = MessageQueue.open(name, { readOnly: true });
      io.out(JSON.stringify({ name: q.name, ...q.attributes() }));
      return 0;
    }
    default:
      throw new UsageError(`unknown mq command ${JSON.stringify(verb)}`);
  }
}
