// Copyright 2026 the @ipc/linux authors. MIT license.
/** `ipc ls`, `ipc inspect`, `ipc rm`, `ipc sweep`, `ipc shm cat`: the named objects. */
import { errors } from "../_ffi/mod.ts";
import { SharedMemory, sweep } from "../shm/mod.ts";
import { expect, help, integer, parse, UsageError } from "./_args.ts";
import { type Output, paint, table } from "./_host.ts";
import { sweepSysv } from "./_sysv.ts";
import {
  kindOf,
  KINDS,
  type ObjectEntry,
  type ObjectKind,
  splitTarget,
  targetForms,
} from "./_kinds.ts";

const kindKeys = KINDS.map((k) => k.key).join(", ");

/** Help for `ipc ls`. */
export const LS_HELP = `Usage:
  ipc ls [--kind K]... [--prefix P] [--all] [--json]

List IPC objects. PID is the creating process this library recorded ("dead"
when it no longer runs); SIZE, MODE and OWNER come from the object itself.
System V objects are named as ipc rm takes them (msqid:<id>, shmid:<id>,
semid:<id>); their PID is a segment's creator or a queue's last sender, and
--prefix leaves them out (they have keys, not names).

--kind K    only objects of kind K (repeatable), one of:
            ${kindKeys}
--prefix P  only names starting with P
--all       also objects this library did not create (no owner record);
            POSIX message queues and System V objects carry no owner
            record and are always listed
--json      one JSON array; an object that could not be read has "error"

A kind this system does not offer (e.g. /dev/mqueue not mounted) is a note
on stderr, not a failure.

Exit codes: 0 listed, 1 some objects could not be read (listed with the
reason), 2 usage error.`;

/** Run `ipc ls`. */
export function ls(args: string[], io: Output): number {
  const { positional, flags } = parse(args, {
    json: "boolean",
    all: "boolean",
    kind: "string[]",
    prefix: "string",
  });
  if (flags.help) return help(io, LS_HELP);
  expect(positional, "ls", []);
  const wanted = (flags.kind as string[] | undefined) ?? [];
  const kinds: ObjectKind[] = [];
  for (const key of wanted) {
    const kind = kindOf(key);
    if (kind === undefined) {
      throw new UsageError(`--kind must be one of ${kindKeys}, got ${JSON.stringify(key)}`);
    }
    kinds.push(kind);
  }
  const filter = { all: flags.all === true, prefix: (flags.prefix as string | undefined) ?? "" };
  const objects: ObjectEntry[] = [];
  const notes: string[] = [];
  for (const kind of kinds.length > 0 ? kinds : KINDS) {
    try {
      objects.push(...kind.list(filter));
    } catch (err) {
      if (!(err instanceof errors.NotSupported)) throw err;
      notes.push(`note: ${kind.key}: ${err.message}`);
    }
  }
  if (flags.json) io.out(JSON.stringify(objects));
  else printTable(objects, io);
  for (const note of notes) io.err(note);
  const unreadable = objects.filter((o) => o.error !== undefined).length;
  if (unreadable > 0) {
    io.err(`ipc ls: ${unreadable} object${unreadable === 1 ? "" : "s"} could not be read fully`);
    return 1;
  }
  return 0;
}

function printTable(objects: ObjectEntry[], io: Output): void {
  const rows = [["KIND", "NAME", "SIZE", "MODE", "OWNER", "PID", "DETAIL"]];
  for (const o of objects) {
    const pid = o.ownerPid === undefined ? "-" : `${o.ownerPid}${o.ownerAlive ? "" : " (dead)"}`;
    const detail = o.error === undefined ? o.detail ?? "" : `unreadable: ${o.error}`;
    const name = o.label ?? o.name;
    rows.push([o.kind, name, String(o.size ?? "?"), o.mode ?? "?", o.owner ?? "?", pid, detail]);
  }
  const lines = table(rows, (row, column, text) => {
    if (row === 0) return paint(io.color, "bold", text);
    const o = objects[row - 1];
    if (o === undefined) return text;
    if (column === 5 && o.ownerAlive === false) return paint(io.color, "red", text);
    if (column === 6 && o.error !== undefined) return paint(io.color, "yellow", text);
    return text;
  });
  for (const line of lines) io.out(line);
}

/** Help for `ipc inspect`. */
export const INSPECT_HELP = `Usage:
  ipc inspect [<kind>:]<name> [--json]

Show everything known about one object: size, mode, owner, the creating
process, the processes that map it (from /proc/<pid>/maps), and per kind: a
queue's attributes and waiting messages, a semaphore's value, a channel's
producer and consumer, fill level and whether it ended. Without <kind>:, every
kind that has an object of that name is shown. Kinds:
  ${kindKeys}

Exit codes: 0 found, 1 no such object (or it could not be read), 2 usage error.`;

/** Run `ipc inspect`. */
export function inspect(args: string[], io: Output): number {
  const { positional, flags } = parse(args, { json: "boolean" });
  if (flags.help) return help(io, INSPECT_HELP);
  const [target] = expect(positional, "inspect", ["<name>"]);
  const split = splitTarget(target);
  const candidates = split ? [split] : KINDS.map((kind) => ({ kind, name: target }));
  const found: Record<string, unknown>[] = [];
  for (const { kind, name } of candidates) {
    const facts = kind.inspect(name);
    if (facts !== undefined) {
      found.push({ kind: kind.key, name: name.startsWith("/") ? name : `/${name}`, ...facts });
    }
  }
  if (found.length === 0) {
    io.err(`ipc inspect: no IPC object named ${JSON.stringify(target)}`);
    return 1;
  }
  if (flags.json) io.out(JSON.stringify(found));
  else {
    for (const facts of found) {
      io.out(paint(io.color, "bold", `${facts.kind}:${facts.name}`));
      for (const [key, value] of Object.entries(facts)) {
        if (key === "kind" || key === "name" || value === undefined) continue;
        const text = key === "error" ? paint(io.color, "yellow", show(value)) : show(value);
        io.out(`  ${key.padEnd(16)} ${text}`);
      }
    }
  }
  return found.some((f) => f.error !== undefined) ? 1 : 0;
}

/** A field's value as text. */
function show(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "-";
    return value.map((v) =>
      typeof v === "object" && v !== null && "pid" in v ? `${v.pid} (${v.command})` : show(v)
    ).join(", ");
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).map(([k, v]) => `${k}=${show(v)}`).join(" ");
  }
  return String(value);
}

/** Help for `ipc rm`. */
export const RM_HELP = `Usage:
  ipc rm <kind>:<name>...
  ipc rm msqid:<id> shmid:<id> semid:<id>

Unlink the named objects, e.g. ipc rm shm:/frames mq:/jobs channel:/events
sem:/lock; remove System V objects by id, as ipcrm(1) does.

Exit codes: 0 all removed, 1 one failed, 2 usage error.`;

/** Run `ipc rm`. */
export function rm(args: string[], io: Output): number {
  const { positional, flags } = parse(args);
  if (flags.help) return help(io, RM_HELP);
  if (positional.length === 0) throw new UsageError("rm needs at least one <kind>:<name>");
  const targets = positional.map((arg) => {
    const target = splitTarget(arg);
    if (target === undefined) {
      throw new UsageError(`expected ${targetForms()}, got ${JSON.stringify(arg)}`);
    }
    return target;
  });
  let code = 0;
  for (const { kind, name } of targets) {
    try {
      kind.unlink(name);
      io.out(`removed ${kind.key}:${name}`);
    } catch (err) {
      io.err(`cannot remove ${kind.key}:${name}: ${(err as Error).message}`);
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
  if (verb === undefined) throw new UsageError("shm needs a command");
  const { positional, flags } = parse(rest, { offset: "string", length: "string" });
  if (flags.help || verb === "--help" || verb === "-h") return help(io, SHM_HELP);
  if (verb !== "cat") throw new UsageError(`unknown shm command ${JSON.stringify(verb)}`);
  const [name] = expect(positional, "shm cat", ["<name>"]);
  const offset = integer(flags.offset, "--offset", 0);
  using seg = SharedMemory.open(name, { readOnly: true });
  const length = integer(flags.length, "--length", Math.max(0, seg.size - offset));
  io.bytes(seg.read(offset, length));
  return 0;
}

/** Help for `ipc sweep`. */
export const SWEEP_HELP = `Usage:
  ipc sweep [--dry-run] [--prefix P] [--sysv] [--json]

Remove the shared memory, channels and semaphores this library created whose
owner process has died. Objects without an owner record are never touched.
--dry-run lists what would be removed; --json prints them as one JSON array.
--sysv also removes this user's System V segments with no attachment and empty
queues whose recorded processes all died (System V objects carry no creator
record: try --dry-run first).`;

/** Run `ipc sweep`. */
export function sweepCommand(args: string[], io: Output): number {
  const { positional, flags } = parse(args, {
    "dry-run": "boolean",
    prefix: "string",
    sysv: "boolean",
    json: "boolean",
  });
  if (flags.help) return help(io, SWEEP_HELP);
  expect(positional, "sweep", []);
  const dryRun = flags["dry-run"] === true;
  const removed = sweep({ dryRun, prefix: flags.prefix as string | undefined });
  const verb = dryRun ? "would remove" : "removed";
  const quiet: Output = { ...io, out: () => {} };
  if (flags.json) {
    const sysv = flags.sysv ? sweepSysv(dryRun, verb, quiet) : [];
    io.out(JSON.stringify([...removed, ...sysv]));
    return 0;
  }
  for (const o of removed) io.out(`${verb} ${o.kind} ${o.name} (owner pid ${o.ownerPid})`);
  const sysv = flags.sysv ? sweepSysv(dryRun, verb, io) : [];
  if (removed.length === 0 && sysv.length === 0) io.out("nothing to sweep");
  return 0;
}
