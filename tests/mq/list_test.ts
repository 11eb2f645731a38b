// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";

ipcTest("mq list: lists queues where /dev/mqueue is mounted, else fails clearly", (_t, scope) => {
  const name = scope.name("mq_list", MessageQueue.unlink);
  MessageQueue.open(name, { create: true, maxMessages: 1, messageSize: 8 }).close();
  const mounted = Deno.readTextFileSync("/proc/mounts").includes(" /dev/mqueue mqueue ");
  if (mounted) {
    const found = MessageQueue.list({ prefix: name });
    assert.deepEqual(found.map((q) => q.name), [name.startsWith("/") ? name : `/${name}`]);
  } else {
    assert.throws(() => MessageQueue.list(), (err: Error) => {
      assert.ok(err instanceof Deno.errors.NotSupported);
      assert.match(err.message, /mount -t mqueue none \/dev\/mqueue/);
      return true;
    });
  }
  assert.throws(() => MessageQueue.list({ prefix: 1 as unknown as string }), TypeError);
});
