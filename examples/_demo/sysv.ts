// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Demo rows for the tour: System V IPC with a child Deno process (this same
 * file, run with `child`). The parent queues typed messages; the child takes
 * those of the lowest types first, takes a SEM_UNDO lock, reports, and is
 * killed while holding it: the kernel releases the lock.
 *
 * @module
 */
import { IPC_PRIVATE, SysvMessageQueue, SysvSemaphoreSet } from "../../sysv/mod.ts";

/** One line of the tour's table. */
type DemoRow = { mechanism: string; what: string; result: string };

const decoder = new TextDecoder();
const REPLY = 100;

/** Run the exchange and describe it. Removes both objects even on error. */
export async function demo(): Promise<DemoRow[]> {
  const rows: DemoRow[] = [];
  const queue = SysvMessageQueue.open(IPC_PRIVATE);
  let lock: SysvSemaphoreSet | undefined;
  let child: Deno.ChildProcess | undefined;
  try {
    lock = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1, value: 1 });
    for (const [type, text] of [[3, "three"], [1, "one"], [2, "two"]] as const) {
      await queue.send(type, text);
    }
    rows.push({
      mechanism: "sysv",
      what: "parent queued types 3, 1, 2 on a System V queue",
      result: `${queue.stat().messages} messages in the kernel`,
    });
    child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-ffi",
        import.meta.filename!,
        "child",
        String(queue.id),
        String(lock.id),
      ],
      stdout: "null",
    }).spawn();
    const reply = await queue.receive({ type: REPLY, signal: AbortSignal.timeout(10_000) });
    rows.push({
      mechanism: "sysv",
      what: "child received with type -2 (lowest type ≤ 2 first)",
      result: decoder.decode(reply.data),
    });
    const held = lock.getValue(0);
    child.kill("SIGKILL");
    await child.status;
    child = undefined;
    rows.push({
      mechanism: "sysv",
      what: "child took a SEM_UNDO lock and was killed (SIGKILL)",
      result: `lock value ${held} while held, ${lock.getValue(0)} after: the kernel released it`,
    });
  } finally {
    if (child) {
      child.kill("SIGKILL");
      await child.status;
    }
    queue.remove();
    queue.close();
    lock?.remove();
    lock?.close();
  }
  return rows;
}

async function child(queueId: number, lockId: number): Promise<void> {
  using queue = SysvMessageQueue.openById(queueId);
  using lock = SysvSemaphoreSet.openById(lockId);
  const got: string[] = [];
  for (let i = 0; i < 2; i++) {
    const { type, data } = await queue.receive({ type: -2, signal: AbortSignal.timeout(10_000) });
    got.push(`${decoder.decode(data)}(${type})`);
  }
  await lock.operate([{ delta: -1, undo: true }]);
  await queue.send(REPLY, `${got.join(", ")}; "three" still queued`);
  setInterval(() => {}, 60_000); // hold the lock until killed
}

if (import.meta.main) {
  if (Deno.args[0] === "child") await child(Number(Deno.args[1]), Number(Deno.args[2]));
  else console.table(await demo());
}
