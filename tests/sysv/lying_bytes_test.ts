// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A Uint8Array whose `length` lies (a subclass's getter) sent on a System V
 * queue to Python's sysv_ipc: the peer gets exactly the real bytes, not the
 * claimed length padded from the library's send buffer.
 */
import assert from "node:assert/strict";
import { SysvMessageQueue } from "../../sysv/mod.ts";
import { pythonSysvIpc, randomKey, spawnSysvPython, sysvTest, track } from "../_helpers/sysv.ts";

/** "abcd" claiming 100 bytes (under msgmax, so the claim alone is not refused). */
class Liar extends Uint8Array {
  constructor() {
    super(new TextEncoder().encode("abcd"));
  }
  override get length(): number {
    return 100;
  }
}

sysvTest(
  "sysv: a send of lying bytes puts only the real bytes in the message",
  async (_t, scope) => {
    const key = randomKey();
    using q = SysvMessageQueue.open(key, { exclusive: true });
    track(scope, "msg", q.id);
    await using peer = spawnSysvPython(["msg-recv", String(key), "1", "7"]);
    await q.send(7, new Liar());
    assert.equal(await peer.line(), "7 abcd");
    assert.equal((await peer.status()).code, 0);
  },
  { ignore: !pythonSysvIpc() },
);
