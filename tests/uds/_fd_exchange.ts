// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The test's side of the descriptor-passing exchange that the peers
 * tests/fixtures/npm_fd_peer.mjs (Deno, Node.js, Bun), fd_peer.py and
 * fd_peer.c play: memfds both ways, a pipe, 253 descriptors both ways, and a
 * message with more descriptors than this side allows.
 */
import assert from "node:assert/strict";
import { libc } from "../../_ffi/libc.ts";
import { socketLib } from "../../_ffi/socket.ts";
import { SharedMemory } from "../../shm/mod.ts";
import { serve, type Server, type UnixListener, type UnixSocket } from "../../uds/mod.ts";
import { assertNoNewFds, openFds, type Peer } from "../_helpers/mod.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const F_DUPFD_CLOEXEC = 1030;

/** A pipe (close-on-exec): [read end, write end]. */
export function pipe(): [number, number] {
  const fds = new Int32Array(2);
  assert.equal(socketLib().pipe2(new Uint8Array(fds.buffer), 0o2000000), 0);
  return [fds[0]!, fds[1]!];
}

/** Read a descriptor to its end. */
export function readToEnd(fd: number): string {
  const chunks: number[] = [];
  const buf = new Uint8Array(4096);
  for (;;) {
    const n = Number(libc().read(fd, buf, 4096n));
    assert.ok(n >= 0, "read failed");
    if (n === 0) return dec(new Uint8Array(chunks));
    chunks.push(...buf.subarray(0, n));
  }
}

/** `count` duplicates of `fd` (close-on-exec). */
export function dups(fd: number, count: number): number[] {
  return Array.from({ length: count }, () => socketLib().fcntl(fd, F_DUPFD_CLOEXEC, 0));
}

async function next(sock: UnixSocket): Promise<{ text: string; fds: number }> {
  const m = await sock.receive({ signal: AbortSignal.timeout(20_000) });
  assert.ok(m !== null, "the peer ended early");
  const count = m.fds.length;
  for (const fd of m.fds) fd.close();
  return { text: dec(m.data), fds: count };
}

/** Accept `peer` on `listener` and play the exchange with it; `name` is how it signs. */
export async function exchange(listener: UnixListener, peer: Peer, name: string): Promise<void> {
  using sock = await listener.accept({ signal: AbortSignal.timeout(20_000) });
  assert.equal(sock.peer().uid, libc().getuid());

  // 1. memfd both ways
  using shm = SharedMemory.anonymous(64);
  shm.write(enc("from-test"));
  await sock.send(enc("memfd"), { fds: [shm] });
  const m = await sock.receive({ signal: AbortSignal.timeout(20_000) });
  assert.equal(dec(m!.data), "memfd:from-test");
  assert.equal(m!.fds.length, 1);
  using theirs = SharedMemory.fromFd(m!.fds[0]!.take());
  assert.equal(dec(theirs.read(0, 5 + name.length)), `from-${name}`);

  // 2. a pipe carries data
  const [r, w] = pipe();
  await sock.send(enc("pipe"), { fds: [w] });
  libc().close(w);
  assert.deepEqual(await next(sock), { text: "piped", fds: 0 });
  assert.equal(readToEnd(r), `pipe-from-${name}`);
  libc().close(r);

  // 3. 253 descriptors in one message (SCM_MAX_FD); the peer closes them all
  const many = dups(shm.fd, 253);
  await sock.send(enc("many"), { fds: many });
  for (const fd of many) libc().close(fd);
  assert.deepEqual(await next(sock), { text: "many:253:same", fds: 0 });
  await sock.send(enc("go"));

  // 4. 253 back
  assert.deepEqual(await next(sock), { text: "back", fds: 253 });
  await sock.send(enc("ok"));

  // 5. more than this side allows: the documented error, nothing leaked
  const before = openFds();
  await assert.rejects(
    sock.receive({ maxFds: 2, signal: AbortSignal.timeout(20_000) }),
    (err: Error & { data?: Uint8Array }) => {
      assert.ok(err instanceof Deno.errors.InvalidData, String(err));
      assert.match(err.message, /more descriptors than maxFds \(2\).*MSG_CTRUNC/);
      assert.equal(dec(err.data!), "toomany");
      return true;
    },
  );
  assertNoNewFds(before);
  await sock.send(enc("done"));
  assert.equal(await peer.line(), "sender:same");
  assert.equal(await sock.receive({ signal: AbortSignal.timeout(20_000) }), null);
  assert.equal((await peer.status()).code, 0, peer.stderr);
}

/** A server for the FDS tests; `shm` holds "from-deno" and is what "give-memfd" passes. */
export async function fdServer(
  path: string,
  shm: SharedMemory,
  transport: "native" | "default" = "native",
): Promise<Server> {
  shm.write(enc("from-deno"));
  return await serve({ path, transport }, (req) => {
    if (req.method === "read-memfd") {
      using memory = SharedMemory.fromFd(req.fds[0]!.take());
      return memory.read(0, 11);
    }
    if (req.method === "give-memfd") return { payload: "memfd", fds: [shm] }; // a copy goes

    if (req.method === "count") return String(req.fds.length); // untaken: closed after
    if (req.method === "pipe") {
      const [r, w] = pipe();
      libc().write(w, enc("piped"), 5n);
      libc().close(w);
      const reply = { payload: "pipe", fds: [r] };
      queueMicrotask(() => libc().close(r)); // ours: the frame holds a duplicate
      return reply;
    }
    return req.payload;
  });
}
