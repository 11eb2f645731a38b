// Copyright 2026 the @ipc/linux authors. MIT license.
// Anonymous shared memory (memfd): sealing, and what fromFd refuses before mapping.
import assert from "node:assert/strict";
import { libc } from "../../_ffi/libc.ts";
import { socketLib } from "../../_ffi/socket.ts";
import { F_ADD_SEALS, F_SEAL_SHRINK, F_SEAL_WRITE } from "../../_ffi/_socket_struct.ts";
import { Channel, SharedMemory } from "../../shm/mod.ts";
import { PidFd } from "../../signals/mod.ts";
import { UnixSocket } from "../../uds/mod.ts";
import { ipcTest } from "../_helpers/mod.ts";
import { dups, pipe } from "../uds/_fd_exchange.ts";

function memfd(size: number, seals = 0): number {
  const fd = socketLib().memfd_create(new TextEncoder().encode("t\0"), 3);
  assert.ok(fd >= 0);
  assert.equal(libc().ftruncate(fd, BigInt(size)), 0);
  if (seals) assert.equal(socketLib().fcntl(fd, F_ADD_SEALS, seals), 0);
  return fd;
}

ipcTest("SharedMemory.anonymous: sealed against shrinking (no SIGBUS for peers), can grow", () => {
  using shm = SharedMemory.anonymous(100);
  assert.equal(shm.size, 100);
  assert.equal(shm.name, "");
  assert.equal(libc().ftruncate(shm.fd, 10n), -1); // EPERM: the seal holds
  shm.resize(8192);
  assert.equal(shm.size, 8192);
  using unsealed = SharedMemory.anonymous(100, { seal: false });
  assert.throws(() => SharedMemory.fromFd(unsealed.fd), Deno.errors.InvalidData);
  assert.throws(() => SharedMemory.anonymous(0), RangeError);
  assert.throws(() => SharedMemory.anonymous(10, { seal: "yes" as unknown as boolean }), TypeError);
  assert.ok([...Deno.readDirSync("/dev/shm")].every((e) => !e.name.includes("ipc-linux")));
});

ipcTest(
  "SharedMemory.fromFd: refuses a pipe, a too small or unsealed file; leaves fd open on failure",
  () => {
    const [r, w] = pipe();
    assert.throws(() => SharedMemory.fromFd(r), Deno.errors.InvalidData);
    const empty = memfd(0, F_SEAL_SHRINK);
    assert.throws(() => SharedMemory.fromFd(empty), /size 0/);
    const small = memfd(8, F_SEAL_SHRINK);
    assert.throws(() => SharedMemory.fromFd(small, { minSize: 9 }), Deno.errors.InvalidData);
    const unsealed = memfd(8);
    assert.throws(() => SharedMemory.fromFd(unsealed), /F_SEAL_SHRINK/);
    for (const fd of [r, w, empty, small]) assert.equal(libc().close(fd), 0); // still open
    using trusted = SharedMemory.fromFd(unsealed, { requireSeal: false });
    assert.equal(trusted.size, 8);
    // Sealed against writes: mapped read-only, whatever was asked.
    using frozen = SharedMemory.fromFd(memfd(16, F_SEAL_SHRINK | F_SEAL_WRITE));
    assert.equal(frozen.readOnly, true);
    assert.throws(() => frozen.write(new Uint8Array([1])), Deno.errors.PermissionDenied);
    assert.throws(() => SharedMemory.fromFd(-1), TypeError);
  },
);

ipcTest(
  "Channel.anonymous/fromFd: a channel through a descriptor; plain memory is refused",
  async () => {
    using tx = Channel.anonymous({ capacity: 4096 });
    const [a, b] = UnixSocket.pair();
    using _a = a;
    using _b = b;
    await a.send(new Uint8Array([1]), { fds: [tx] });
    using rx = Channel.fromFd((await b.receive())!.fds[0]!.take());
    tx.send(new TextEncoder().encode("through a memfd"));
    assert.equal(new TextDecoder().decode(await rx.receive()), "through a memfd");
    const plain = memfd(8192, F_SEAL_SHRINK);
    assert.throws(() => Channel.fromFd(plain), /bad magic/);
    assert.equal(libc().close(plain), 0);
    assert.throws(() => Channel.anonymous({ capacity: 1000 }), RangeError);
  },
);

ipcTest("PidFd.fromFd: adopts a pidfd, refuses anything else", async () => {
  const child = new Deno.Command("sleep", { args: ["30"] }).spawn();
  using mine = PidFd.open(child);
  const [copy] = dups(mine.fd, 1) as [number];
  using theirs = PidFd.fromFd(copy);
  assert.equal(theirs.pid, child.pid);
  theirs.send("SIGKILL");
  await mine.exited({ signal: AbortSignal.timeout(5000) });
  await child.status;
  const [r, w] = pipe();
  assert.throws(() => PidFd.fromFd(r), Deno.errors.InvalidData);
  for (const fd of [r, w]) libc().close(fd);
});

ipcTest(
  "fromFd: a memfd sealed against future writes (F_SEAL_FUTURE_WRITE) is attached read-only, and refused as a channel with InvalidData, not an mmap EPERM",
  () => {
    const F_SEAL_FUTURE_WRITE = 0x10;
    using frozen = SharedMemory.fromFd(memfd(16, F_SEAL_SHRINK | F_SEAL_FUTURE_WRITE));
    assert.equal(frozen.readOnly, true);
    assert.deepEqual(frozen.read(0, 2), new Uint8Array(2));
    assert.throws(() => frozen.write(new Uint8Array(1)), Deno.errors.PermissionDenied);
    using ch = Channel.anonymous({ capacity: 4096 });
    const [copy] = dups(ch.fd, 1);
    assert.equal(socketLib().fcntl(copy!, F_ADD_SEALS, F_SEAL_FUTURE_WRITE), 0);
    assert.throws(
      () => Channel.fromFd(copy!),
      (err: Error) => err instanceof Deno.errors.InvalidData && /not writable/.test(err.message),
    );
    assert.equal(libc().close(copy!), 0); // still the caller's
  },
);
