// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * System V objects as a hostile peer leaves them: made by another uid and
 * handed to us with IPC_SET (its creator keeps control), messages whose
 * type a number cannot hold, and objects removed while this process waits
 * on them. The peers are a C program (tests/fixtures/sysv_hostile.c, which
 * changes uid: root only) and Deno or C processes.
 */
import assert from "node:assert/strict";
import {
  IPC_PRIVATE,
  listSysvObjects,
  sweepSysvObjects,
  SysvMessageQueue,
  SysvSemaphoreSet,
  SysvSharedMemory,
} from "../../sysv/mod.ts";
import type { SemaphoreOperation } from "../../sysv/types.ts";
import { buildC, run, spawnProgram } from "../_helpers/mod.ts";
import { isRoot, randomKey, sysvTest, track } from "../_helpers/sysv.ts";

const SQUATTER = 23456;

sysvTest(
  "sysv hostile: an object another uid created and handed to us is refused unless allowOtherOwner",
  async (_t, scope) => {
    const exe = await buildC("sysv_hostile.c");
    const euid = Deno.uid()!;
    for (const kind of ["msg", "shm", "sem"] as const) {
      const key = randomKey();
      // the squatter creates the key's object first (mode 0666) and makes us its owner:
      // as its creator it can still change its mode, read it, or remove it at will
      const made = await run(exe, ["squat", kind, String(key), String(SQUATTER), String(euid)]);
      assert.equal(made.code, 0, made.stderr);
      const id = track(scope, kind, Number(made.stdout.trim()));
      const open = (options: { allowOtherOwner?: boolean } = {}) =>
        kind === "msg"
          ? SysvMessageQueue.open(key, { create: true, ...options })
          : kind === "shm"
          ? SysvSharedMemory.open(key, { create: true, size: 4096, ...options })
          : SysvSemaphoreSet.open(key, { create: true, count: 1, ...options });
      const byId = () =>
        kind === "msg"
          ? SysvMessageQueue.openById(id)
          : kind === "shm"
          ? SysvSharedMemory.openById(id)
          : SysvSemaphoreSet.openById(id);
      const refused = (e: Error) =>
        e instanceof Deno.errors.PermissionDenied && e.message.includes(`uid ${SQUATTER}`) &&
        /created/.test(e.message) && /allowOtherOwner/.test(e.message);
      assert.throws(() => open(), refused, kind);
      assert.throws(byId, refused, kind);
      using ok = open({ allowOtherOwner: true });
      assert.equal(ok.id, id);
      assert.equal(ok.created, false);
      assert.equal(ok.stat().creatorUid, SQUATTER);
    }
  },
  { ignore: !isRoot() },
);

sysvTest(
  "sysv hostile: a message whose type a number cannot hold is an error that carries it, never a rounded type",
  async (_t, scope) => {
    const exe = await buildC("sysv_hostile.c");
    const q = SysvMessageQueue.open(IPC_PRIVATE);
    track(scope, "msg", q.id);
    scope.defer(() => q.close());
    // C's mtype is a long: 2^53 + 1 and 2^63 - 1 have no exact JavaScript number
    for (const [type, text] of [["9007199254740993", "big"], ["0x7fffffffffffffff", "max"]]) {
      const sent = await run(exe, ["msg-type", String(q.id), type!, text!]);
      assert.equal(sent.code, 0, sent.stderr);
    }
    assert.equal(q.trySend(2 ** 53 - 1, "safe"), true);
    const carries =
      (type: bigint, text: string) => (e: Error & { type?: bigint; data?: Uint8Array }) =>
        e instanceof RangeError && e.type === type && new TextDecoder().decode(e.data) === text &&
        e.message.includes(String(type)) && /MAX_SAFE_INTEGER/.test(e.message);
    await assert.rejects(q.receive(), carries(2n ** 53n + 1n, "big"));
    assert.throws(() => q.tryReceiveInto(new Uint8Array(16)), carries(2n ** 63n - 1n, "max"));
    // the type filters reach only exact types; the next message is intact
    assert.deepEqual(q.tryReceive(), {
      type: Number.MAX_SAFE_INTEGER,
      data: new TextEncoder().encode("safe"),
    });
    assert.equal(q.stat().messages, 0);
  },
);

sysvTest(
  "sysv hostile: a waiting send fails once a peer lowers msg_qbytes below it, instead of waiting forever",
  async (_t, scope) => {
    const exe = await buildC("sysv_hostile.c");
    const q = SysvMessageQueue.open(IPC_PRIVATE, { maxBytes: 64 });
    track(scope, "msg", q.id);
    scope.defer(() => q.close());
    for (let i = 0; i < 4; i++) assert.equal(q.trySend(1, new Uint8Array(16)), true);
    assert.equal(q.trySend(1, new Uint8Array(40)), false); // fits once there is room
    const sending = q.send(2, new Uint8Array(40), { signal: AbortSignal.timeout(15_000) });
    // the peer lowers the limit to 32 bytes and empties the queue: 40 bytes can never fit
    const peer = await run(exe, ["shrink", String(q.id), "32", "4"]);
    assert.equal(peer.code, 0, peer.stderr);
    assert.equal(peer.stdout.trim(), "drained");
    await assert.rejects(
      sending,
      (e: Error) => e instanceof RangeError && /msg_qbytes 32/.test(e.message),
    );
    assert.equal(q.stat().messages, 0);
    assert.equal(q.trySend(1, new Uint8Array(32)), true); // what fits still goes
    // msg_qbytes 0 admits no message at all, not even an empty one
    const zero = await run(exe, ["shrink", String(q.id), "0", "1"]);
    assert.equal(zero.stdout.trim(), "drained", zero.stderr);
    await assert.rejects(
      q.send(3, new Uint8Array(0), { signal: AbortSignal.timeout(15_000) }),
      (e: Error) => e instanceof RangeError && /msg_qbytes 0/.test(e.message),
    );
    assert.throws(() => q.trySend(1, ""), /could never be sent/);
  },
);

sysvTest(
  "sysv hostile: sweep never removes another uid's abandoned objects",
  async (_t, scope) => {
    const exe = await buildC("sysv_hostile.c");
    const ids: string[] = [];
    for (const kind of ["shm", "msg"] as const) {
      // made by a process of another uid that has exited: abandoned, but not ours
      const made = await run(exe, ["squat", kind, "0", String(SQUATTER), String(SQUATTER)]);
      assert.equal(made.code, 0, made.stderr);
      ids.push(`${kind}:${track(scope, kind, Number(made.stdout.trim()))}`);
    }
    const seen = listSysvObjects().filter((o) => ids.includes(`${o.kind}:${o.id}`));
    assert.deepEqual(seen.map((o) => [o.key, o.uid, o.creatorUid]), [
      [0, SQUATTER, SQUATTER],
      [0, SQUATTER, SQUATTER],
    ]);
    const swept = (list: Array<{ kind: string; id: number }>) =>
      list.map((o) => `${o.kind}:${o.id}`).filter((k) => ids.includes(k));
    assert.deepEqual(swept(sweepSysvObjects({ dryRun: true })), []);
    assert.deepEqual(swept(sweepSysvObjects()), []);
    assert.equal(listSysvObjects().filter((o) => ids.includes(`${o.kind}:${o.id}`)).length, 2);
  },
  { ignore: !isRoot() },
);

sysvTest(
  "sysv hostile: a hole in operations or values is a TypeError, never a stale operation",
  async (_t, scope) => {
    const set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 2, value: 5 });
    track(scope, "sem", set.id);
    scope.defer(() => set.close());
    // the handle's encoding buffer holds this take of 3 from semaphore 0 ...
    assert.equal(set.tryOperate([{ index: 0, delta: -3 }, { index: 1, delta: 1 }]), true);
    // ... which a hole at 0 must not repeat
    const holey: SemaphoreOperation[] = [];
    holey[1] = { index: 1, delta: 1 };
    assert.throws(
      () => set.tryOperate(holey),
      (e: Error) => e instanceof TypeError && /operation 0/.test(e.message),
    );
    await assert.rejects(set.operate(holey), TypeError);
    const values: number[] = [];
    values[1] = 7;
    assert.throws(
      () => set.setAll(values),
      (e: Error) => e instanceof TypeError && /values\[0\]/.test(e.message),
    );
    // a C peer sees the values as they were: nothing applied, nothing set
    const exe = await buildC("sysv_c_peer.c");
    const peer = await run(exe, ["sem-op", String(set.id), "0", "1"]);
    assert.equal(peer.stdout.trim(), "done 3", peer.stderr);
    assert.deepEqual(set.getAll(), [3, 6]);
  },
);

sysvTest(
  "sysv hostile: another uid sends to a write-only queue (mode 0622) with allowOtherOwner, waiting when full",
  async (_t, scope) => {
    const key = randomKey();
    // a "drop box": others may send, only the owner reads (or reads its state)
    const q = SysvMessageQueue.open(key, { exclusive: true, mode: 0o622, maxBytes: 8 });
    track(scope, "msg", q.id);
    scope.defer(() => q.close());
    const home = await Deno.makeTempDir();
    scope.defer(() => Deno.remove(home, { recursive: true }));
    await Deno.chmod(home, 0o777);
    const fixture = new URL("../fixtures/sysv_child.ts", import.meta.url).pathname;
    await using child = spawnProgram("setpriv", [
      `--reuid=${SQUATTER}`,
      `--regid=${SQUATTER}`,
      "--clear-groups",
      "env",
      `HOME=${home}`,
      `DENO_DIR=${home}`,
      Deno.execPath(),
      "run",
      "-A",
      fixture,
      "msg-dropbox",
      String(key),
    ]);
    // without allowOtherOwner it is refused: its owner cannot even be read
    assert.equal(await child.line(), "EACCES", child.stderr);
    assert.equal(await child.line(), "full 4", child.stderr); // 4 messages of 2 bytes
    assert.equal(q.stat().messages, 4);
    const got: string[] = [];
    for (let i = 0; i < 5; i++) {
      got.push(
        new TextDecoder().decode((await q.receive({ signal: AbortSignal.timeout(20_000) })).data),
      );
    }
    assert.deepEqual(got, ["m0", "m1", "m2", "m3", "m4"]);
    assert.equal(await child.line(), "sent");
    assert.equal((await child.status()).code, 0, child.stderr);
  },
  { ignore: !isRoot() },
);

sysvTest(
  "sysv hostile: a set or queue a C peer removes ends the waits on it with EIDRM or EINVAL",
  async (_t, scope) => {
    const exe = await buildC("sysv_c_peer.c");
    const set = SysvSemaphoreSet.open(IPC_PRIVATE, { count: 1 });
    track(scope, "sem", set.id);
    scope.defer(() => set.close());
    const q = SysvMessageQueue.open(IPC_PRIVATE, { maxBytes: 4 });
    track(scope, "msg", q.id);
    scope.defer(() => q.close());
    assert.equal(q.trySend(1, "full"), true);
    const signal = AbortSignal.timeout(15_000);
    const removed = (e: Error & { code?: string }) => ["EIDRM", "EINVAL"].includes(e.code!);
    const waits = [
      assert.rejects(set.operate([{ delta: -1 }], { signal }), removed),
      assert.rejects(q.send(1, "more", { signal }), removed),
      assert.rejects(q.receive({ type: 2, signal }), removed),
    ];
    await new Promise((r) => setTimeout(r, 20)); // all three are waiting
    for (const [kind, id] of [["sem", set.id], ["msg", q.id]] as const) {
      const peer = await run(exe, ["rmid", kind, String(id)]);
      assert.equal(peer.stdout.trim(), "removed", peer.stderr);
    }
    await Promise.all(waits);
  },
);
