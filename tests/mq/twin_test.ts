// Copyright 2026 the @ipc/linux authors. MIT license.
// A queue handle's non-blocking twin descriptor (the tries' descriptor,
// mq/_open.ts): what it is, that it goes with the handle, and the fallback
// of a process that could not get one, against a peer process.
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { assertNoNewFds, ipcTest, openFds, spawnDeno } from "../_helpers/mod.ts";
import { queueName } from "./_queues.ts";

/** The `flags:` field of /proc/self/fdinfo/FD (octal). */
function fdFlags(fd: number): number {
  const info = Deno.readTextFileSync(`/proc/self/fdinfo/${fd}`);
  return parseInt(/^flags:\s*([0-7]+)/m.exec(info)![1]!, 8);
}

const O_ACCMODE = 3;
const O_NONBLOCK = 0o4000;

ipcTest(
  "mq twin: a handle holds its queue twice, the second non-blocking with the same access; close releases both",
  (_t, scope) => {
    const name = queueName(scope);
    MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 64 }).close();
    for (
      const [options, access] of [[{ readOnly: true }, 0], [{ writeOnly: true }, 1], [
        {},
        2,
      ]] as const
    ) {
      const before = openFds();
      const q = MessageQueue.open(name, options);
      const added = [...openFds()].filter(([fd, target]) => before.get(fd) !== target);
      assert.equal(added.length, 2, JSON.stringify(added));
      assert.equal(added[0]![1], added[1]![1]); // the same queue
      const flags = added.map(([fd]) => fdFlags(fd));
      assert.deepEqual(flags.map((f) => f & O_ACCMODE), [access, access]);
      assert.deepEqual(flags.map((f) => (f & O_NONBLOCK) !== 0).sort(), [false, true]);
      q.close();
      assertNoNewFds(before);
    }
  },
);

ipcTest(
  "mq twin: a process that could not get the twin (EMFILE) still tries, spins and waits correctly",
  async (_t, scope) => {
    const name = queueName(scope);
    using q = MessageQueue.open(name, { create: true, maxMessages: 4, messageSize: 64 });
    await using peer = spawnDeno("mq_no_twin.ts", [name]);
    const first = JSON.parse(await peer.line());
    // one descriptor: the twin's open failed; the tries fell back to a zero deadline
    assert.deepEqual(first, {
      opened: 1,
      sent: 4,
      overFull: false,
      texts: ["m0", "m1", "m2", "m3"],
    });
    assert.equal(q.trySend("tail"), true);
    assert.deepEqual(JSON.parse(await peer.line()), { tail: "tail" });
    assert.equal((await peer.process.status).code, 0);
    assert.equal(q.tryReceive(), undefined);
  },
);
