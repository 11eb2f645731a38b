// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { check, cstring, libc } from "../../_ffi/libc.ts";
import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  O_CLOEXEC,
  O_RDONLY,
  POLLIN,
  POLLNVAL,
  POLLOUT,
} from "../../_ffi/constants.ts";
import { socketLib } from "../../_ffi/socket.ts";
import { SOCK_STREAM } from "../../_ffi/_socket_struct.ts";
import { internalFds, kickCount, pendingWaits, waitReady } from "../../_ffi/poller.ts";
import { acceptFrom, bindAndListen, openSocket } from "../../uds/_native.ts";
import { ipcTest, type Peer, type Scope, spawnPython } from "../_helpers/mod.ts";

const F_DUPFD_CLOEXEC = 1030;
const ONE = new Uint8Array(new BigUint64Array([1n]).buffer);

/** A socket in this process connected to a Python peer that sends on command. */
async function connected(scope: Scope): Promise<{ fd: number; peer: Peer }> {
  const path = `${await scope.tempDir()}/ready.sock`;
  const listener = openSocket(SOCK_STREAM);
  try {
    bindAndListen(listener, path);
    const peer = spawnPython("ready_peer.py", [path]);
    scope.defer(() => peer[Symbol.asyncDispose]());
    const fd = await acceptFrom(listener, AbortSignal.timeout(15_000));
    assert.equal(await peer.line(), "connected");
    return { fd, peer };
  } finally {
    libc().close(listener);
  }
}

async function command(peer: Peer, line: string): Promise<void> {
  await peer.send(line);
  assert.equal(await peer.line(), "done");
}

function eventFd(scope?: Scope): number {
  const fd = check(libc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
  scope?.defer(() => libc().close(fd));
  return fd;
}

ipcTest(
  "epoll: waiters on one socket for different events are served by one registration",
  async (_t, scope) => {
    const { fd, peer } = await connected(scope);
    scope.defer(() => libc().close(fd));
    const timeout = AbortSignal.timeout(15_000);
    const readers = [1, 2, 3].map(() => waitReady(fd, POLLIN, timeout));
    const writers = [1, 2].map(() => waitReady(fd, POLLOUT | POLLIN, timeout));
    // Writable at once: the POLLOUT waiters wake, the readers wait on.
    assert.deepEqual(await Promise.all(writers), [POLLOUT, POLLOUT]);
    assert.equal(pendingWaits(), 3);
    await command(peer, "send hello");
    assert.deepEqual(await Promise.all(readers), [POLLIN, POLLIN, POLLIN]);
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "epoll: a wait added while the call is parked is served without a kick",
  async (_t, scope) => {
    const a = await connected(scope);
    const b = await connected(scope);
    scope.defer(() => libc().close(a.fd));
    scope.defer(() => libc().close(b.fd));
    const kicks = kickCount();
    const controller = new AbortController();
    const first = waitReady(a.fd, POLLIN, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the call is parked by now
    const second = waitReady(b.fd, POLLIN, AbortSignal.timeout(15_000));
    await command(b.peer, "send x");
    assert.equal(await second, POLLIN);
    assert.equal(kickCount(), kicks, "no kick for a new waiter");
    // The last waiter leaving must make the parked call return: one kick.
    const reason = new Error("stop");
    controller.abort(reason);
    await assert.rejects(first, (err) => err === reason);
    assert.equal(kickCount(), kicks + 1);
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "epoll: abort while others wait rejects at once and leaves the others served",
  async (_t, scope) => {
    const a = await connected(scope);
    scope.defer(() => libc().close(a.fd));
    const kicks = kickCount();
    const waiting = waitReady(a.fd, POLLIN, AbortSignal.timeout(15_000));
    const controllers = [1, 2].map(() => new AbortController());
    // One on the same descriptor, one on another.
    const other = eventFd(scope);
    const aborted = [
      waitReady(a.fd, POLLIN, controllers[0]!.signal),
      waitReady(other, POLLIN, controllers[1]!.signal),
    ];
    assert.equal(pendingWaits(), 3);
    for (const c of controllers) c.abort(new Error("gone"));
    for (const p of aborted) await assert.rejects(p, /gone/);
    assert.equal(kickCount(), kicks, "the call in flight still serves the first waiter");
    assert.equal(pendingWaits(), 1);
    await command(a.peer, "send x");
    assert.equal(await waiting, POLLIN);
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "epoll: a descriptor closed mid-wait is reported POLLNVAL, not waited on forever",
  async (_t, scope) => {
    const { fd } = await connected(scope);
    const waiting = waitReady(fd, POLLIN, AbortSignal.timeout(15_000));
    check(libc().close(fd), "close"); // the kernel drops its epoll registration silently
    assert.equal(await waiting, POLLNVAL);
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "epoll: a stale registration (closed number reused while a duplicate keeps the file) wakes nobody",
  async (_t, scope) => {
    const { fd, peer } = await connected(scope);
    const dup = check(socketLib().fcntl(fd, F_DUPFD_CLOEXEC, 0), "fcntl");
    scope.defer(() => libc().close(dup));
    const timeout = AbortSignal.timeout(15_000);
    const old = waitReady(fd, POLLIN, timeout);
    check(libc().close(fd), "close"); // the registration lives on through `dup`
    const reused = eventFd(scope);
    assert.equal(reused, fd, "the lowest free number is taken again");
    const fresh = waitReady(reused, POLLIN, timeout);
    // The old socket becomes readable: its (armed) registration fires.
    await command(peer, "send x");
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(pendingWaits(), 2, "neither wait woke for the other file's data");
    check(libc().write(reused, ONE, 8n), "write");
    // Both waits are now on the number's new file, as poll(2) would see it.
    assert.deepEqual(await Promise.all([old, fresh]), [POLLIN, POLLIN]);
  },
);

ipcTest(
  "epoll: duplicated descriptors are registered and served each on its own",
  async (_t, scope) => {
    const { fd, peer } = await connected(scope);
    scope.defer(() => libc().close(fd));
    const dup = check(socketLib().fcntl(fd, F_DUPFD_CLOEXEC, 0), "fcntl");
    scope.defer(() => libc().close(dup));
    const timeout = AbortSignal.timeout(15_000);
    const waits = [waitReady(fd, POLLIN, timeout), waitReady(dup, POLLIN, timeout)];
    await command(peer, "send x");
    assert.deepEqual(await Promise.all(waits), [POLLIN, POLLIN]);
  },
);

ipcTest(
  "epoll: descriptors epoll refuses settle as poll(2) sees them, or reject",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/plain`;
    await Deno.writeTextFile(path, "x");
    const file = check(libc().open(cstring(path), O_RDONLY | O_CLOEXEC, 0), "open", path);
    scope.defer(() => libc().close(file));
    // A regular file (EPERM): always ready, as poll says.
    assert.equal(await waitReady(file, POLLIN | POLLOUT), POLLIN | POLLOUT);
    // A closed descriptor (EBADF): POLLNVAL.
    const closed = eventFd();
    libc().close(closed);
    assert.equal(await waitReady(closed, POLLIN), POLLNVAL);
    // The epoll instance itself (EINVAL), never writable: the error, not a hang.
    const [epfd] = internalFds();
    await assert.rejects(
      waitReady(epfd!, POLLOUT),
      (err: Error & { code?: string }) => err.code === "EINVAL" && /epoll_ctl/.test(err.message),
    );
    assert.equal(pendingWaits(), 0);
  },
);

ipcTest(
  "epoll: the instance and its kick eventfd are the only descriptors the poller keeps",
  async (_t, scope) => {
    const fd = eventFd(scope);
    libc().write(fd, ONE, 8n);
    assert.equal(await waitReady(fd, POLLIN), POLLIN);
    const kinds = internalFds().map((n) => Deno.readLinkSync(`/proc/self/fd/${n}`)).sort();
    assert.deepEqual(kinds, ["anon_inode:[eventfd]", "anon_inode:[eventpoll]"]);
  },
);
