// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Small, runtime-neutral file reads through libc (for /proc, /dev/shm,
 * /dev/mqueue): the same code on Deno, Node.js and Bun, errors as
 * `Deno.errors.*` with errno codes.
 *
 * @module
 */
import { backend, check, cstring, libc } from "./libc.ts";
import { errnoError } from "./errno.ts";
import { O_CLOEXEC, O_PATH, O_RDONLY } from "./constants.ts";
import { decodeStat, STAT_SIZE } from "./struct.ts";

const decoder = new TextDecoder();

/** Read a whole (small or /proc) file as UTF-8 text. */
export function readTextFile(path: string): string {
  const lib = libc();
  const fd = check(lib.open(cstring(path), O_RDONLY | O_CLOEXEC, 0), "open", path);
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(4096);
      const n = Number(check(lib.read(fd, chunk, 4096n), "read", path));
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    return decoder.decode(all);
  } finally {
    lib.close(fd);
  }
}

/** d_name's offset in glibc's `struct dirent` (x86_64 and aarch64). */
const D_NAME = 19;
const NAME_MAX_BYTES = 256;

/** The entry names of a directory, without "." and "..". */
export function readDirNames(path: string): string[] {
  const lib = libc();
  const dir = lib.opendir(cstring(path));
  if (dir === null) throw errnoError(backend().errno(), "opendir", path);
  try {
    const names: string[] = [];
    for (let entry = lib.readdir(dir); entry !== null; entry = lib.readdir(dir)) {
      const bytes = new Uint8Array(backend().view(entry, D_NAME + NAME_MAX_BYTES), D_NAME);
      const name = decoder.decode(bytes.subarray(0, bytes.indexOf(0)));
      if (name !== "." && name !== "..") names.push(name);
    }
    return names;
  } finally {
    lib.closedir(dir);
  }
}

/**
 * The device and inode numbers of `path` (`st_dev`, `st_ino`, as stat(2)
 * reports them, following symlinks), or undefined when it cannot be
 * stat-ed. Opened `O_PATH`, so a file without read permission has them too.
 */
export function fileIds(path: string): { dev: bigint; ino: bigint } | undefined {
  const lib = libc();
  const fd = lib.open(cstring(path), O_PATH | O_CLOEXEC, 0);
  if (fd < 0) return undefined;
  try {
    const st = new Uint8Array(STAT_SIZE);
    if (lib.fstat(fd, st) !== 0) return undefined;
    const { dev, ino } = decodeStat(st);
    return { dev, ino };
  } finally {
    lib.close(fd);
  }
}
