// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Descriptor passing between real processes: this Deno process against
 * another Deno process, Python (`socket.send_fds`/`recv_fds`) and C
 * (`sendmsg`/`recvmsg`); Node.js and Bun are in tests/npm/unix_socket_test.ts.
 */
import { fileURLToPath } from "node:url";
import { UnixListener } from "../../uds/mod.ts";
import { buildC, ipcTest, spawnDeno, spawnProgram, spawnPython } from "../_helpers/mod.ts";
import { exchange } from "./_fd_exchange.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

ipcTest("UnixSocket: descriptors between Deno processes", async (_t, scope) => {
  const path = `${await scope.tempDir()}/fd.sock`;
  await using listener = await UnixListener.listen(path);
  await using peer = spawnDeno("npm_fd_peer.mjs", [path, "deno"], {
    env: { IPC_LINUX_BASE: ROOT },
  });
  await exchange(listener, peer, "deno");
});

ipcTest("UnixSocket: descriptors with Python's socket.send_fds/recv_fds", async (_t, scope) => {
  const path = `${await scope.tempDir()}/fd.sock`;
  await using listener = await UnixListener.listen(path);
  await using peer = spawnPython("fd_peer.py", [path]);
  await exchange(listener, peer, "python");
});

ipcTest("UnixSocket: descriptors with C's sendmsg/recvmsg", async (_t, scope) => {
  const exe = await buildC("fd_peer.c");
  const path = `${await scope.tempDir()}/fd.sock`;
  await using listener = await UnixListener.listen(path);
  await using peer = spawnProgram(exe, [path]);
  await exchange(listener, peer, "c");
});
