// Copyright 2026 the @ipc/linux authors. MIT license.
/** `ipc ls`, `ipc rm`, `ipc shm cat`: POSIX objects in /dev/shm and /dev/mqueue. */
import { MessageQueue } from "../mq/mod.ts";
import { type IpcObjectInfo, list, Semaphore, SharedMemory, sweep } from "../shm/mod.ts";
import { expect, integer, type Output, parse, table, UsageError } from "./_args.ts";
import { sweepSysv, SYSV_REMOVERS, sysvEntries, sysvRows } from "./_sysv.ts";

/** One POSIX IPC object, as `ipc ls` shows it. */
export interface ObjectEntry extends Omit<IpcObjectInfo, "kind"> {
  /** What it is: plain shared memory, a Channel, a named semaphore, a message queue. */
  kind: IpcObjectInfo["kind"] | "queue";
  /** Permission bits, e.g. "0600". */
  mode: string;
  /** The owning user's name (or uid). */
  owner: string;
  /** Queue attributes (queues only, when readable). */
  queue?: { maxMessages: number; messageSize: number; currentMessages: number };
}

function users(): Map<number, string> {
  const map = new Map<number, string>();
  try {
    for (const line of Deno.readTextFileSync("/etc/passwd").split("\n")) {
      const [name, , uid] = line.split(":");
      if (uid !== undefined && name !== undefined) map.set(Number(uid), name);
    }
  } catch {
    // no passwd file: show numeric uids
  }
  return map;
}

/**
 * Every POSIX shm segment, channel and semaphore, and (when /dev/mqueue is
 * mounted) every queue, with this library's owner records where present.
 * `queuesListed` is false when /dev/mqueue is not mounted.
 */
export function listObjects(): { objects: ObjectEntry[]; queuesListed: boolean } {
  const found: Array<Omit<IpcObjectInfo, "kind"> & { kind: ObjectEntry["kind"] }> = list({
    all: true,
    kinds: ["shm", "semaphore"],
  });
  let queuesListed = true;
  try {
    for (const q of MessageQueue.list()) {
      found.push({ kind: "queue", ...q, ownerPid: undefined, ownerAlive: undefined });
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotSupported)) throw err;
    queuesListed = false;
  }
  const names = users();
  const objects: ObjectEntry[] = [];
  for (const info of found) {
    let stat: Deno.FileInfo;
    try {
      stat = Deno.statSync(info.path);
    } catch {
      continue; // removed while listing
    }
    const entry: ObjectEntry = {
      ...info,
      mode: `0${((stat.mode ?? 0) & 0o777).toString(8)}`,
      owner: stat.uid === null ? "?" : names.get(stat.uid) ?? String(stat.uid),
    };
    if (info.kind === "queue") {
      try {
        // Only its attributes are read: another user's queue may be looked at.
        using q = MessageQueue.open(info.name, { readOnly: true, allowOtherOwner: true });
        entry.queue = q.attributes();
      } catch {
        // not readable by us: list it without attributes
      }
    }
    objects.push(entry);
  }
  return { objects, queuesListed };
}

/** Help for `ipc ls`. */
export const LS_HELP = `Usage:
  ipc ls [--json]

List POSIX shared memory segments, channels and named semaphores (/dev/shm) and
message queues (/dev/mqueue, when mounted) with size, mode and owner. PID is the
creating process recorded by this library ("dead" when it no longer runs).
System V objects (sysv-msg, sysv-shm, sysv-sem) follow, named as ipc rm takes
them; their PID is a segment's creator or a queue's last sender.`;

/** Run `ipc ls`. */
export function ls(args: string[], io: Output): number {
  const { positional, flags } = parse(args, ["json"]);
  if (flags.has("help")) {
    io.out(LS_HELP);
    return 0;
  }
  expect(positional, "ls", []);
  const { objects, queuesListed } = listObjects();
  if (flags.has("json")) {
    io.out(JSON.stringify([...objects, ...sysvEntries()]));
    return 0;
  }
  const rows = [["KIND", "NAME", "SIZE", "MODE", "OWNER", "PID", "QUEUE"]];
  for (const o of objects) {
    const q = o.queue
      ? `${o.queue.currentMessages}/${o.queue.maxMessages} × ${o.queue.messageSize} B`
      : "";
    const pid = o.ownerPid === undefined ? "-" : `${o.ownerPid}${o.ownerAlive ? "" : " (dead)"}`;
    rows.push([o.kind, o.name, String(o.size), o.mode, o.owner, pid, q]);
  }
  const names = users();
  rows.push(...sysvRows((uid) => names.get(uid) ?? String(uid)));
  for (const line of table(rows)) io.out(line);
  if (!queuesListed) {
    io.err(
      "note: /dev/mqueue is not mounted, so message queues cannot be listed (as root: mount -t mqueue none /dev/mqueue)",
    );
  }
  return 0;
}

/** Help for `ipc rm`. */
export const RM_HELP = `Usage:
  ipc rm <kind>:<name>...       kind is shm, sem or mq, e.g. ipc rm shm:/frames mq:/jobs
  ipc rm msqid:<id> shmid:<id> semid:<id>   remove System V objects (like ipcrm)

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
    ...SYSV_REMOVERS,
  } as const;
  const targets = positional.map((arg) => {
    const [kind, name] = arg.split(/:(.*)/s, 2);
    if (kind === undefined || !Object.hasOwn(unlink, kind) || !name) {
      const sysv = "System V: msqid:<id>, shmid:<id>, semid:<id>";
      throw new UsageError(
        `expected shm:<name>, sem:<name> or mq:<name> (${sysv}), got ${JSON.stringify(arg)}`,
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
  const { positional, flags } = parse(rest, [], ["offset", "length"]);
  if (flags.has("help") || verb === undefined || verb === "--help" || verb === "-h") {
    if (verb === undefined) throw new UsageError("shm needs a command");
    io.out(SHM_HELP);
    return 0;
  }
  if (verb !== "cat") throw new UsageError(`unknown shm command ${JSON.stringify(verb)}`);
  const [name] = expect(positional, "shm cat", ["<name>"]);
  using seg = SharedMemory.open(name, { readOnly: true });
  const offset = integer(flags.get("offset"), "--offset", 0);
  const length = integer(flags.get("length"), "--length", Math.max(0, seg.size - offset));
  io.bytes(seg.read(offset, length));
  return 0;
}

/** Help for `ipc sweep`. */
export const SWEEP_HELP = `Usage:
  ipc sweep [--dry-run] [--prefix P] [--sysv]

Remove the shared memory, channels and semaphores this library created whose
owner process has died. Objects without an owner record are never touched.
--dry-run lists what would be removed. --sysv also removes this user's System V
segments with no attachment and empty queues whose recorded processes all died
(System V objects carry no creator record: try --dry-run first).`;

/** Run `ipc sweep`. */
export function sweepCommand(args: string[], io: Output): number {
  const { positional, flags } = parse(args, ["dry-run", "sysv"], ["prefix"]);
  if (flags.has("help")) {
    io.out(SWEEP_HELP);
    return 0;
  }
  expect(positional, "sweep", []);
  const prefix = flags.get("prefix");
  const removed = sweep({
    dryRun: flags.has("dry-run"),
    prefix: typeof prefix === "string" ? prefix : undefined,
  });
  const verb = flags.has("dry-run") ? "would remove" : "removed";
  for (const o of removed) io.out(`${verb} ${o.kind} ${o.name} (owner pid ${o.ownerPid})`);
  const sysv = flags.has("sysv") ? sweepSysv(flags.has("dry-run"), verb, io) : 0;
  if (removed.length === 0 && sysv === 0) io.out("nothing to sweep");
  return 0;
}
