// Copyright 2026 the @ipc/linux authors. MIT license.
/** `ipc ls`, `ipc rm`, `ipc shm cat`: POSIX objects in /dev/shm and /dev/mqueue. */
import { MessageQueue } from "../mq/mod.ts";
import { Semaphore, SharedMemory } from "../shm/mod.ts";
import { integer, type Output, parse, table, UsageError } from "./_args.ts";

/** One POSIX IPC object. */
export interface ObjectEntry {
  kind: "shm" | "sem" | "mq";
  name: string;
  size: number;
  mode: string;
  owner: string;
  /** Queue attributes (mq only, when readable). */
  queue?: { maxMessages: number; messageSize: number; currentMessages: number };
}

function users(): Map<number, string> {
  const map = new Map<number, string>();
  try {
    for (const line of Deno.readTextFileSync("/etc/passwd").split("\n")) {
      const [name, , uid] = line.split(":");
      if (uid !== undefined) map.set(Number(uid), name);
    }
  } catch {
    // no passwd file: show numeric uids
  }
  return map;
}

function entries(dir: string): Array<{ file: string; stat: Deno.FileInfo }> {
  const out = [];
  for (const e of Deno.readDirSync(dir)) {
    try {
      out.push({ file: e.name, stat: Deno.statSync(`${dir}/${e.name}`) });
    } catch {
      // removed while listing
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Whether /dev/mqueue is mounted (queues can be listed). */
export function mqueueMounted(): boolean {
  try {
    return Deno.readTextFileSync("/proc/self/mounts").split("\n").some((l) =>
      l.split(" ")[1] === "/dev/mqueue"
    );
  } catch {
    return false;
  }
}

/** Every POSIX shm segment, semaphore, and (if /dev/mqueue is mounted) queue. */
export function listObjects(): ObjectEntry[] {
  const names = users();
  const owner = (uid: number | null) => uid === null ? "?" : names.get(uid) ?? String(uid);
  const mode = (m: number | null) => `0${((m ?? 0) & 0o777).toString(8)}`;
  const list: ObjectEntry[] = [];
  for (const { file, stat } of entries("/dev/shm")) {
    if (!stat.isFile) continue;
    const sem = file.startsWith("sem.");
    list.push({
      kind: sem ? "sem" : "shm",
      name: `/${sem ? file.slice(4) : file}`,
      size: stat.size,
      mode: mode(stat.mode),
      owner: owner(stat.uid),
    });
  }
  if (mqueueMounted()) {
    for (const { file, stat } of entries("/dev/mqueue")) {
      const entry: ObjectEntry = {
        kind: "mq",
        name: `/${file}`,
        size: stat.size,
        mode: mode(stat.mode),
        owner: owner(stat.uid),
      };
      try {
        using q = MessageQueue.open(file, { readOnly: true });
        entry.queue = q.attributes();
      } catch {
        // not readable by us: list it without attributes
      }
      list.push(entry);
    }
  }
  return list;
}

/** Help for `ipc ls`. */
export const LS_HELP = `Usage:
  ipc ls [--json]

List POSIX shared memory segments and named semaphores (/dev/shm) and message
queues (/dev/mqueue, when mounted) with size, mode and owner.`;

/** Run `ipc ls`. */
export function ls(args: string[], io: Output): number {
  const { flags } = parse(args, ["json"]);
  if (flags.has("help")) {
    io.out(LS_HELP);
    return 0;
  }
  const list = listObjects();
  if (flags.has("json")) {
    io.out(JSON.stringify(list));
    return 0;
  }
  const rows = [["KIND", "NAME", "SIZE", "MODE", "OWNER", "QUEUE"]];
  for (const o of list) {
    const q = o.queue
      ? `${o.queue.currentMessages}/${o.queue.maxMessages} × ${o.queue.messageSize} B`
      : "";
    rows.push([o.kind, o.name, String(o.size), o.mode, o.owner, q]);
  }
  for (const line of table(rows)) io.out(line);
  if (!mqueueMounted()) {
    io.err(
      "note: /dev/mqueue is not mounted, so message queues cannot be listed (as root: mount -t mqueue none /dev/mqueue)",
    );
  }
  return 0;
}

/** Help for `ipc rm`. */
export const RM_HELP = `Usage:
  ipc rm <kind>:<name>...       kind is shm, sem or mq, e.g. ipc rm shm:/frames mq:/jobs

Unlink the named objects. Exit codes: 0 all removed, 1 one failed, 2 usage error.`;

/** Run `ipc rm`. */
export function rm(args: string[], io: Output): number {
  const { positional, flags } = parse(args);
  if (flags.has("help")) {
    io.out(RM_HELP);
    return 0;
  }
  if (positional.length === 0) throw new UsageError("rm needs at least one <kind>:<name>");
  const unlink = {
    shm: SharedMemory.unlink,
    sem: Semaphore.unlink,
    mq: MessageQueue.unlink,
  } as const;
  const targets = positional.map((arg) => {
    const [kind, name] = arg.split(/:(.*)/s, 2);
    if (!(kind in unlink) || !name) {
      throw new UsageError(
        `expected shm:<name>, sem:<name> or mq:<name>, got ${JSON.stringify(arg)}`,
      );
    }
    return { kind: kind as keyof typeof unlink, name };
  });
  let code = 0;
  for (const { kind, name } of targets) {
    try {
      unlink[kind](name);
      io.out(`removed ${kind}:${name}`);
    } catch (err) {
      io.err(`cannot remove ${kind}:${name}: ${(err as Error).message}`);
      code = 1;
    }
  }
  return code;
}

/** Help for `ipc shm`. */
export const SHM_HELP = `Usage:
  ipc shm cat <name> [--offset N] [--length N]

Write the segment's bytes (or a range of them) to standard output.`;

/** Run `ipc shm cat`. */
export function shm(args: string[], io: Output): number {
  const [verb, ...rest] = args;
  const { positional, flags } = parse(rest);
  if (flags.has("help") || verb === undefined || verb === "--help" || verb === "-h") {
    io.out(SHM_HELP);
    return verb === undefined ? 2 : 0;
  }
  if (verb !== "cat") throw new UsageError(`unknown shm command ${JSON.stringify(verb)}`);
  const [name] = positional;
  if (name === undefined) throw new UsageError("shm cat needs <name>");
  using seg = SharedMemory.open(name, { readOnly: true });
  const offset = integer(flags.get("offset"), "--offset", 0);
  const length = integer(flags.get("length"), "--length", Math.max(0, seg.size - offset));
  io.bytes(seg.read(offset, length));
  return 0;
}
