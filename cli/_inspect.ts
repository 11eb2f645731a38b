// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * What the command line finds out about one object: mode and owner, who maps
 * it (from /proc/<pid>/maps) and a Channel's header. Files are read through
 * `_ffi/` like the library does, so `--allow-ffi` is all Deno asks for.
 */
import {
  backend,
  check,
  cstring,
  errnoError,
  libc,
  readDirNames,
  readTextFile,
} from "../_ffi/mod.ts";
import { O_CLOEXEC, O_PATH } from "../_ffi/constants.ts";
import { decodeStat, STAT_SIZE } from "../_ffi/struct.ts";
import * as L from "../shm/_layout.ts";
import { closeQuietly, openToLook } from "../shm/_object_file.ts";
import { isProcessAlive } from "../signals/mod.ts";

let userNames: Map<number, string> | undefined;

/** A uid's user name, or the uid as text (no /etc/passwd, or not readable). */
export function userName(uid: number): string {
  if (userNames === undefined) {
    userNames = new Map();
    try {
      for (const line of readTextFile("/etc/passwd").split("\n")) {
        const [name, , id] = line.split(":");
        if (id !== undefined && name !== undefined) userNames.set(Number(id), name);
      }
    } catch {
      // not readable: numeric uids
    }
  }
  return userNames.get(uid) ?? String(uid);
}

/** Mode, owner and size of a file, as the command line shows them. */
export interface FileFacts {
  /** Permission bits, e.g. "0600". */
  mode: string;
  /** The owning user's id. */
  uid: number;
  /** The owning user's name (or uid). */
  owner: string;
  /** Size in bytes. */
  size: number;
  /** The inode number, as text. */
  inode: string;
}

/**
 * Stat `path` (opened with O_PATH, which needs no read permission on the
 * file); throws the errno error (NotFound, PermissionDenied).
 */
export function fileFacts(path: string): FileFacts {
  const fd = check(libc().open(cstring(path), O_PATH | O_CLOEXEC, 0), "open", path);
  try {
    const st = new Uint8Array(STAT_SIZE);
    check(libc().fstat(fd, st), "fstat", path);
    const { mode, uid, size, id } = decodeStat(st);
    return {
      mode: `0${(mode & 0o777).toString(8).padStart(3, "0")}`,
      uid,
      owner: userName(uid),
      size,
      inode: id.slice(id.indexOf(":") + 1),
    };
  } finally {
    closeQuietly(fd);
  }
}

/** Throw why `path` cannot be opened for reading; return quietly when it can. */
export function checkReadable(path: string): void {
  const fd = openToLook(path);
  if (fd < 0) throw errnoError(backend().errno(), "open", path);
  closeQuietly(fd);
}

/** A process that maps an object. */
export interface Mapper {
  /** Its pid. */
  pid: number;
  /** Its command name (/proc/<pid>/comm). */
  command: string;
}

/**
 * The processes that have the file at `path` mapped (those whose
 * /proc/<pid>/maps this process may read). A mapping is matched by inode in
 * the same directory, not by name: a semaphore's creator maps the temporary
 * file glibc renamed into place, which its maps list as "(deleted)".
 */
export function mappedBy(path: string): Mapper[] {
  const inode = inodeOf(path);
  if (inode === undefined) return [];
  const dir = path.slice(0, path.lastIndexOf("/") + 1);
  const out: Mapper[] = [];
  for (const entry of readDirNames("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let maps: string;
    try {
      maps = readTextFile(`/proc/${entry}/maps`);
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    // "start-end perms offset dev inode path"
    const mapped = maps.split("\n").some((line) => {
      const fields = line.split(/\s+/, 6);
      return fields[4] === inode && fields[5]?.startsWith(dir);
    });
    if (!mapped) continue;
    let command = "?";
    try {
      command = readTextFile(`/proc/${entry}/comm`).trim();
    } catch {
      // exited meanwhile
    }
    out.push({ pid: Number(entry), command });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** The inode number of `path` as text, or undefined when it cannot be looked at. */
function inodeOf(path: string): string | undefined {
  try {
    return fileFacts(path).inode;
  } catch {
    return undefined;
  }
}

/** One side of a Channel. */
export interface ChannelRole {
  /** The last process to hold the role (0: never held). */
  pid: number;
  /** Whether a handle holds the role now. */
  held: boolean;
  /** Whether that process still runs. */
  alive: boolean;
}

/** What a Channel's header says. */
export interface ChannelFacts {
  /** Layout version. */
  version: number;
  /** Ring capacity in bytes. */
  capacity: number;
  /** Bytes written and not yet received. */
  usedBytes: number;
  /** usedBytes / capacity, 0 … 1. */
  fill: number;
  /** Whether the producer called end(). */
  ended: boolean;
  /** Whether several producers may send. */
  multiProducer: boolean;
  /** Bytes per record of a fixed-record channel; 0 for length-prefixed messages. */
  recordSize: number;
  /** The producer. */
  producer: ChannelRole;
  /** The consumer. */
  consumer: ChannelRole;
}

/** The header word at index `i` (0 past the end). */
function word(i32: Int32Array, i: number): number {
  return i32[i] ?? 0;
}

function role(i32: Int32Array, token: number, pid: number): ChannelRole {
  const who = word(i32, pid);
  return { pid: who, held: word(i32, token) !== 0, alive: who > 0 && isProcessAlive(who) };
}

/** Read a Channel's header from its file (without attaching to it). */
export function channelFacts(path: string): ChannelFacts {
  const header = new Uint8Array(L.HEADER_SIZE);
  const fd = openToLook(path);
  if (fd < 0) throw errnoError(backend().errno(), "open", path);
  try {
    const n = check(libc().read(fd, header, BigInt(header.length)), "read", path);
    if (Number(n) !== header.length) {
      throw new Error(`Cannot read the channel header of ${path}: file too short`);
    }
  } finally {
    closeQuietly(fd);
  }
  const i32 = new Int32Array(header.buffer);
  const capacity = word(i32, L.I_CAPACITY);
  const usedBytes = (word(i32, L.I_TAIL) - word(i32, L.I_HEAD)) | 0;
  return {
    version: word(i32, L.I_VERSION),
    capacity,
    usedBytes,
    fill: capacity > 0 ? usedBytes / capacity : 0,
    ended: (word(i32, L.I_STATE) & L.STATE_ENDED) !== 0,
    multiProducer: (word(i32, L.I_FLAGS) & L.FLAG_MULTI_PRODUCER) !== 0,
    recordSize: word(i32, L.I_RECORD_SIZE),
    producer: role(i32, L.I_PRODUCER_TOKEN, L.I_PRODUCER_PID),
    consumer: role(i32, L.I_CONSUMER_TOKEN, L.I_CONSUMER_PID),
  };
}

/** The message of an error, for a row or a field. */
export function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
