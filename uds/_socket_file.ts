// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Creating a Unix socket file safely: refuse a live one, replace a stale one,
 * set its mode without a umask race, remove it on shutdown. File operations
 * go through `node:fs` (the same on Deno, Node.js and Bun); failures are this
 * library's error classes.
 *
 * @module
 */
import { chmod, lstat as fsLstat, mkdir, rename, rmdir, unlink } from "node:fs/promises";
import type { Stats } from "node:fs";
import { dirname } from "node:path";
import { errors } from "../_ffi/errors.ts";
import { fsCall } from "./_os_error.ts";
import type { Listening, Transport } from "./transport.ts";

/** A bound Unix socket file and how to remove it. */
export interface SocketFile extends Listening {
  /** Removes the socket file if it is still the one this server created. */
  remove(): Promise<void>;
}

async function lstat(path: string): Promise<Stats | undefined> {
  try {
    return await fsCall("lstat", path, () => fsLstat(path));
  } catch (err) {
    if (err instanceof errors.NotFound) return undefined;
    throw err;
  }
}

/**
 * Binds `path` with permission bits `mode`.
 *
 * The socket is bound inside a fresh directory created with mode 0o700 next
 * to `path` (so nobody else can reach it whatever the umask), chmod-ed there,
 * then renamed onto `path` in one atomic step: the socket never exists at
 * `path` with the wrong mode, and a stale socket file is replaced atomically.
 */
export async function bindSocketFile(
  transport: Transport,
  path: string,
  mode: number,
): Promise<SocketFile> {
  if (path.startsWith("\0")) {
    const listening = await transport.listen({ transport: "unix", path });
    return { ...listening, remove: () => Promise.resolve() };
  }
  const existing = await lstat(path);
  if (existing) {
    if (!existing.isSocket()) {
      throw new errors.AlreadyExists(`File exists and is not a socket: serve "${path}"`);
    }
    let live = false;
    try {
      (await transport.connect({ transport: "unix", path })).close();
      live = true;
    } catch (err) {
      // ECONNREFUSED: nobody listens; the file is stale and will be replaced.
      if (!(err instanceof errors.ConnectionRefused)) throw err;
    }
    if (live) {
      throw new errors.AlreadyExists(
        `Address in use: a server is listening on "${path}" (refusing to replace it)`,
      );
    }
  }
  const random = crypto.getRandomValues(new Uint8Array(4));
  const dir = `${dirname(path)}/.ipc${
    [...random].map((b) => b.toString(16).padStart(2, "0")).join("")
  }`;
  const tmp = `${dir}/s`;
  if (new TextEncoder().encode(tmp).length > 107) {
    throw new RangeError(
      `Cannot serve "${path}": binding it race-free needs the temporary path "${tmp}", ` +
        "longer than sun_path allows; use a shorter path",
    );
  }
  await fsCall("mkdir", dir, () => mkdir(dir, { mode: 0o700 }));
  let listening: Listening | undefined;
  try {
    listening = await transport.listen({ transport: "unix", path: tmp });
    await fsCall("chmod", tmp, () => chmod(tmp, mode));
    await fsCall("rename", path, () => rename(tmp, path));
  } catch (err) {
    listening?.listener.close();
    await unlink(tmp).catch(() => {});
    throw err;
  } finally {
    await rmdir(dir).catch(() => {});
  }
  const ino = (await fsCall("lstat", path, () => fsLstat(path))).ino;
  return {
    listener: listening.listener,
    addr: { transport: "unix", path },
    async remove() {
      const now = await lstat(path).catch(() => undefined);
      // Only remove our own socket, never one a successor server bound since.
      if (now && now.isSocket() && now.ino === ino) await unlink(path).catch(() => {});
    },
  };
}
