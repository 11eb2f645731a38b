// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Demo rows for the tour: a POSIX message queue between this process and a
 * child Deno process (this same file, run with `child`). The parent sends
 * three messages with different priorities; the child receives them in
 * priority order and sends back what it got on a second queue.
 *
 * @module
 */
import { MessageQueue } from "../../mq/mod.ts";

/** One line of the tour's table. */
type DemoRow = { mechanism: string; what: string; result: string };

const decoder = new TextDecoder();

/** Run the exchange and describe it. Cleans up both queue names even on error. */
export async function demo(): Promise<DemoRow[]> {
  const tag = `${Deno.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const toChild = `/demo_mq_to_${tag}`;
  const fromChild = `/demo_mq_from_${tag}`;
  const rows: DemoRow[] = [];
  const opened: MessageQueue[] = [];
  try {
    const out = MessageQueue.open(toChild, { exclusive: true, maxMessages: 4, messageSize: 64 });
    opened.push(out);
    const back = MessageQueue.open(fromChild, {
      exclusive: true,
      maxMessages: 4,
      messageSize: 256,
    });
    opened.push(back);
    await out.send("low", { priority: 1 });
    await out.send("urgent", { priority: 20 });
    await out.send("normal", { priority: 5 });
    rows.push({
      mechanism: "mq",
      what: "parent sent 3 messages with priorities 1, 20, 5",
      result: `${out.attributes().currentMessages} waiting in the kernel`,
    });
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-ffi", import.meta.filename!, "child", toChild, fromChild],
      stdout: "null",
    }).spawn();
    const { data } = await back.receive({ signal: AbortSignal.timeout(10_000) });
    const status = await child.status;
    rows.push({
      mechanism: "mq",
      what: `child process (exit ${status.code}) received them`,
      result: decoder.decode(data),
    });
  } finally {
    for (const q of opened) q.close();
    for (const name of [toChild, fromChild]) {
      try {
        MessageQueue.unlink(name);
      } catch {
        // never created
      }
    }
  }
  return rows;
}

async function child(toChild: string, fromChild: string): Promise<void> {
  using input = MessageQueue.open(toChild, { readOnly: true });
  using output = MessageQueue.open(fromChild, { writeOnly: true });
  const got: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { data, priority } = await input.receive({ signal: AbortSignal.timeout(10_000) });
    got.push(`${decoder.decode(data)}(${priority})`);
  }
  await output.send(`in order: ${got.join(", ")}`);
}

if (import.meta.main) {
  if (Deno.args[0]! === "child") await child(Deno.args[1]!, Deno.args[2]!);
  else console.table(await demo());
}
