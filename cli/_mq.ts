// Copyright 2026 the @ipc/linux authors. MIT license.
/** `ipc mq send|recv|stat`. */
import { MessageQueue } from "../mq/mod.ts";
import { expect, help, integer, parse, timeoutMs, UsageError } from "./_args.ts";
import type { Output } from "./_host.ts";

/** Help for `ipc mq`. */
export const MQ_HELP = `Usage:
  ipc mq send <name> <message> [--priority N] [--create] [--timeout MS]
  ipc mq recv <name> [--count N] [--timeout MS] [--raw | --json]
  ipc mq stat <name> [--json]

send   Send <message> (UTF-8) with priority N (default 0); waits while the
       queue is full. --create makes the queue if it does not exist (mode
       0600, the system's default sizes).
recv   Receive N messages (default 1), highest priority first; prints
       "<priority> <text>" per message, the raw bytes with --raw, or one JSON
       object per line with --json ({"priority":N,"text":"…"} for UTF-8,
       {"priority":N,"base64":"…"} otherwise).
stat   Print the queue's attributes (--json: as one JSON object).

Exit codes: 0 done, 1 failed (e.g. no such queue), 2 usage error, 3 timed out.`;

const strict = new TextDecoder("utf-8", { fatal: true });

/** One message as a JSON line: its text when it is UTF-8, else base64. */
function jsonMessage(priority: number, data: Uint8Array): string {
  try {
    return JSON.stringify({ priority, text: strict.decode(data) });
  } catch {
    let binary = "";
    for (const b of data) binary += String.fromCharCode(b);
    return JSON.stringify({ priority, base64: btoa(binary) });
  }
}

/** Run `ipc mq …`; returns the exit code. */
export async function mq(args: string[], io: Output): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === undefined) throw new UsageError("mq needs a command");
  const { positional, flags } = parse(rest, {
    create: "boolean",
    raw: "boolean",
    json: "boolean",
    priority: "string",
    count: "string",
    timeout: "string",
  });
  if (flags.help || verb === "--help" || verb === "-h") return help(io, MQ_HELP);
  const timeout = flags.timeout === undefined ? undefined : timeoutMs(flags.timeout);
  const signal = timeout === undefined ? undefined : AbortSignal.timeout(timeout);
  switch (verb) {
    case "send": {
      const [name, message] = expect(positional, "mq send", ["<name>", "<message>"]);
      const priority = integer(flags.priority, "--priority", 0);
      using q = MessageQueue.open(name, { create: flags.create === true, writeOnly: true });
      await q.send(message, { priority, signal });
      return 0;
    }
    case "recv": {
      const [name] = expect(positional, "mq recv", ["<name>"]);
      if (flags.raw && flags.json) throw new UsageError("mq recv takes --raw or --json, not both");
      const count = integer(flags.count, "--count", 1);
      using q = MessageQueue.open(name, { readOnly: true });
      for (let i = 0; i < count; i++) {
        const { data, priority } = await q.receive({ signal });
        if (flags.raw) io.bytes(data);
        else if (flags.json) io.out(jsonMessage(priority, data));
        else io.out(`${priority} ${new TextDecoder().decode(data)}`);
      }
      return 0;
    }
    case "stat": {
      const [name] = expect(positional, "mq stat", ["<name>"]);
      using q = MessageQueue.open(name, { readOnly: true });
      const attributes = { name: q.name, ...q.attributes() };
      if (flags.json) io.out(JSON.stringify(attributes));
      else {
        io.out(
          `${attributes.name}: ${attributes.currentMessages} of ${attributes.maxMessages} ` +
            `messages waiting, at most ${attributes.messageSize} bytes each`,
        );
      }
      return 0;
    }
    default:
      throw new UsageError(`unknown mq command ${JSON.stringify(verb)}`);
  }
}
