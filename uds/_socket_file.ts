// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Creating a Unix socket file safely: refuse a live one, replace a stale one,
 * set its mode without a umask race, remove it on shutdown. File operations
 * go through `node:fs` (the same on Deno, Node.js and Bun); failures are this
 * library's error classes.
 *
 * @module
 */
import { chmod, link, lstat as fsLstat, mkdir, rename, rmdir, unlink } from "node:fs/promises";
import type { Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import { errors } from "../_ffi/errors.ts";
import { fsCall, osError } from "./_os_error.ts";
import type { Listening, Transport } from "./transport.ts";

/** A bound Unix socket file and how to remove it. */
export interface SocketFile extends Listening {
  /** Removes the socket file if it is still the one this server created. */
  remove(): Promise<void>;
}

/** Whether `a` is the very file `b` (same device and inode), not another one at its name. */
function sameFile(a: Stats | undefined, b: Stats): boolean {
  return a !== undefined && a.ino === b.ino && a.dev === b.dev;
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
 * Whether a connect failed with EPROTOTYPE: the `code` of a library or
 * `node:net` error, or the message of the plain `Error` `Deno.connect`
 * throws for an errno it has no class for.
 */
function wrongType(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === "EPROTOTYPE" || /\(os error 91\)$/.test(String(e?.message ?? ""));
}

/**
 * Checks what is at `path`: nothing (`undefined`), or a stale socket file
 * (its stats). Throws `AlreadyExists` for anything else: a socket a server
 * answers on, or a file that is not a socket (a symlink included).
 */
export async function probe(transport: Transport, path: string): Promise<Stats | undefined> {
  const existing = await lstat(path);
  if (!existing) return undefined;
  if (!existing.isSocket()) {
    throw new errors.AlreadyExists(`File exists and is not a socket: serve "${path}"`);
  }
  try {
    (await transport.connect({ transport: "unix", path })).close();
  } catch (err) {
    // ECONNREFUSED: nobody listens; the file is stale and will be replaced.
    if (err instanceof errors.ConnectionRefused) return existing;
    if (err instanceof errors.NotFound) return undefined; // removed meanwhile
    // EPROTOTYPE: a live socket of another type (stream, seqpacket,
    // datagram) is bound there: as much in use as one of ours.
    if (wrongType(err)) {
      throw new errors.AlreadyExists(
        `Address in use: a socket of another type is bound to "${path}" (refusing to replace it)`,
        { cause: err },
      );
    }
    // EAGAIN: a server listens there but its backlog is full (it is not accepting).
    if (!(err instanceof errors.WouldBlock)) throw err;
  }
  throw new errors.AlreadyExists(
    `Address in use: a server is listening on "${path}" (refusing to replace it)`,
  );
}

/**
 * Removes the stale socket file `stale` from `path`, unless another file took
 * its place meanwhile: the file at `path` is first moved into our private
 * `dir` (atomically), and put back if it is not the stale one.
 */
export async function removeStale(path: string, stale: Stats, dir: string): Promise<void> {
  if (!sameFile(await lstat(path), stale)) return; // replaced meanwhile
  const grabbed = `${dir}/old`;
  try {
    await rename(path, grabbed);
  } catch (err) {
    if (osError(err, "rename", path) instanceof errors.NotFound) return; // gone already
    throw osError(err, "rename", path);
  }
  const got = await fsLstat(grabbed).catch(() => undefined);
  if (got && !sameFile(got, stale)) {
    await link(grabbed, path).catch(() => {}); // not ours to remove: put it back
  }
  await unlink(grabbed).catch(() => {});
}

/**
 * Puts the bound socket `tmp` at `path` with `link`, which fails if anything
 * is there: of servers starting at once on one path, exactly one gets it. A
 * stale socket file in the way is removed and the link tried again.
 */
async function claim(transport: Transport, tmp: string, path: string, dir: string): Promise<void> {
  for (let attempt = 0;; attempt++) {
    try {
      await link(tmp, path);
      return;
    } catch (err) {
      const mapped = osError(err, "link", path);
      if (!(mapped instanceof errors.AlreadyExists)) {
        // A file system without hard links to sockets: rename, as close as it gets.
        return await fsCall("rename", path, () => rename(tmp, path));
      }
      if (attempt === 8) throw mapped;
    }
    const stale = await probe(transport, path);
    if (stale) await removeStale(path, stale, dir);
  }
}

/**
 * Binds `path` with permission bits `mode`.
 *
 * The socket is bound inside a fresh directory created with mode 0o700 next
 * to `path` (so nobody else can reach it whatever the umask), chmod-ed there,
 * then linked at `path` in one atomic step (see {@linkcode claim}): the
 * socket never exists at `path` with the wrong mode, and a live socket is
 * never replaced, not even by a server starting at the same moment.
 */
export async function bindSocketFile(
  transport: Transport,
  path: string,
  mode: number,
): Promise<SocketFile> {
  if (path.startsWith("\0")) {
    try {
      const listening = await transport.listen({ transport: "unix", path });
      return { ...listening, remove: () => Promise.resolve() };
    } catch (err) {
      if (!(err instanceof errors.AddrInUse)) throw err;
      throw new errors.AlreadyExists(
        `Address in use: a server is listening on abstract socket ${JSON.stringify(path)}`,
        { cause: err },
      );
    }
  }
  const absolute = resolve(path); // a relative path still names this file after a chdir
  await probe(transport, path); // fail early, before creating anything
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
  let ours: Stats;
  try {
    listening = await transport.listen({ transport: "unix", path: tmp });
    await fsCall("chmod", tmp, () => chmod(tmp, mode));
    ours = await fsCall("lstat", tmp, () => fsLstat(tmp));
    await claim(transport, tmp, path, dir);
  } catch (err) {
    listening?.listener.close();
    throw err;
  } finally {
    await unlink(tmp).catch(() => {});
    await rmdir(dir).catch(() => {});
  }
  return {
    listener: listening.listener,
    addr: { transport: "unix", path },
    async remove() {
      const now = await lstat(absolute).catch(() => undefined);
      // Only remove our own socket, never one a successor server bound since.
      if (sameFile(now, ours)) {
        await unlink(absolute).catch(() => {});
      }
    },
  };
}
