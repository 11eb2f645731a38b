// Copyright 2026 the @ipc/linux authors. MIT license.
// Channel waits that end early (abort, close) settle only once the shared futex call returned.
import assert from "node:assert/strict";
import { Channel } from "../../shm/mod.ts";
import { futexCallPending, pendingFutexWaits } from "../../_ffi/futex.ts";
import { ipcTest } from "../_helpers/mod.ts";

ipcTest(
  "channel wait: an aborted receive or send rejects only after the shared futex call returned",
  async (_t, scope) => {
    const name = scope.name("chw_abort", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    await assert.rejects(
      ch.receive({ signal: AbortSignal.timeout(30) }),
      (err: Error) => err.name === "TimeoutError",
    );
    assert.equal(futexCallPending(), false, "a native call outlived the aborted receive");
    while (ch.trySend(new Uint8Array(100)));
    await assert.rejects(
      ch.send(new Uint8Array(100), { signal: AbortSignal.timeout(30) }),
      (err: Error) => err.name === "TimeoutError",
    );
    assert.equal(futexCallPending(), false, "a native call outlived the aborted send");
    assert.equal(pendingFutexWaits(), 0);
  },
);

ipcTest(
  "channel wait: close rejects a sleeping receive only after the shared futex call returned",
  async (_t, scope) => {
    const name = scope.name("chw_close", Channel.unlink);
    const ch = Channel.create(name, { capacity: 4096 });
    const pending = ch.receive();
    await new Promise((r) => setTimeout(r, 30));
    ch.close();
    await assert.rejects(pending, Deno.errors.BadResource);
    assert.equal(futexCallPending(), false, "a native call outlived the closed receive");
  },
);
