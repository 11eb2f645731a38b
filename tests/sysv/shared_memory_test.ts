// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { IPC_PRIVATE, SysvSharedMemory } from "../../sysv/mod.ts";
import { buildC, runDeno, spawnProgram } from "../_helpers/mod.ts";
import { giveTo, isRoot, randomKey, sysvTest, track } from "../_helpers/sysv.ts";

sysvTest("sysv shm: read-write and read-only attachments share live bytes", (_t, scope) => {
  const key = randomKey();
  using w = SysvSharedMemory.open(key, { exclusive: true, size: 5000 });
  track(scope, "shm", w.id);
  using r = SysvSharedMemory.open(key, { readOnly: true });
  assert.equal(r.size, 5000);
  assert.equal(r.readOnly, true);
  assert.equal(w.created, true);
  assert.equal(r.created, false);
  w.bytes[4999] = 9;
  w.write(new Uint8Array([1, 2]), 10);
  assert.deepEqual(r.read(9, 3), new Uint8Array([0, 1, 2]));
  const into = new Uint8Array(1);
  r.readInto(into, 4999);
  assert.equal(into[0], 9);
  assert.throws(() => r.bytes, Deno.errors.PermissionDenied);
  assert.throws(() => r.write(new Uint8Array(1)), Deno.errors.PermissionDenied);
  assert.throws(() => r.read(4999, 2), RangeError);
  assert.throws(() => w.write(new Uint8Array(2), 4999), RangeError);
  assert.equal(w.stat().attachments, 2);
  r.close();
  assert.equal(w.stat().attachments, 1);
});

sysvTest("sysv shm: views are emptied on close, never dangling", (_t, scope) => {
  const seg = SysvSharedMemory.open(IPC_PRIVATE, { size: 64 });
  track(scope, "shm", seg.id);
  const view = seg.bytes;
  const sub = view.subarray(8, 16);
  view[8] = 1;
  assert.equal(sub[0], 1);
  seg.close();
  seg.close();
  assert.equal(view.length, 0);
  assert.equal(sub.length, 0);
  assert.equal(view[0], undefined); // reading a detached view is harmless
  assert.throws(() => seg.bytes, Deno.errors.BadResource);
  assert.throws(() => seg.read(), Deno.errors.BadResource);
});

sysvTest(
  "sysv shm: a segment another process removes stays usable here (no SIGBUS)",
  async (_t, scope) => {
    using seg = SysvSharedMemory.open(IPC_PRIVATE, { size: 4096 });
    track(scope, "shm", seg.id);
    const view = seg.bytes;
    view[0] = 42;
    // a Deno process removes it while both are attached
    const child = await runDeno("sysv_child.ts", ["shm-rmid", String(seg.id)]);
    assert.equal(child.code, 0, child.stderr);
    assert.equal(child.stdout.trim(), "alive");
    assert.equal(seg.stat().removed, true);
    assert.equal(new TextDecoder().decode(seg.read(0, 5)), "alive");
    view.fill(1);
    assert.equal(view[4095], 1);
    // a C process can no longer attach it by key, but by id while attached
    const exe = await buildC("sysv_c_peer.c");
    await using peer = spawnProgram(exe, ["shm-read", String(seg.id), "1"]);
    assert.equal((await peer.status()).code, 0);
    seg.close();
    assert.throws(
      () => SysvSharedMemory.openById(seg.id),
      (e: Error & { code?: string }) => e.code === "EINVAL" || e.code === "EIDRM",
    );
  },
);

sysvTest("sysv shm: sizes, create and exclusive", (_t, scope) => {
  const key = randomKey();
  assert.throws(() => SysvSharedMemory.open(key), Deno.errors.NotFound);
  assert.throws(() => SysvSharedMemory.open(key, { create: true }), TypeError); // no size
  assert.throws(() => SysvSharedMemory.open(key, { create: true, size: 0 }), RangeError);
  assert.throws(() => SysvSharedMemory.open(key, { size: 8, mode: -1 }), RangeError);
  using seg = SysvSharedMemory.open(key, { create: true, size: 100, mode: 0o640 });
  track(scope, "shm", seg.id);
  assert.equal(seg.stat().mode, 0o640);
  assert.throws(
    () => SysvSharedMemory.open(key, { exclusive: true, size: 100 }),
    Deno.errors.AlreadyExists,
  );
  assert.throws(
    () => SysvSharedMemory.open(key, { size: 200 }),
    (e: Error & { code?: string }) => e.code === "EINVAL",
  );
  using same = SysvSharedMemory.open(key, { size: 50 });
  assert.equal(same.size, 100);
});

sysvTest("sysv shm: another user's segment is refused unless allowOtherOwner", (_t, scope) => {
  const key = randomKey();
  const seg = SysvSharedMemory.open(key, { exclusive: true, size: 16 });
  track(scope, "shm", seg.id);
  seg.close();
  giveTo("shm", seg.id, 12345);
  assert.throws(
    () => SysvSharedMemory.open(key),
    (e: Error) => e instanceof Deno.errors.PermissionDenied && /uid 12345/.test(e.message),
  );
  assert.throws(() => SysvSharedMemory.openById(seg.id), Deno.errors.PermissionDenied);
  using ok = SysvSharedMemory.open(key, { allowOtherOwner: true, readOnly: true });
  assert.equal(ok.stat().uid, 12345);
}, { ignore: !isRoot() });
