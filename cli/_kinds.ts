// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The kinds of object the command line knows, in one table: `ls`, `rm` and
 * `inspect` go through {@linkcode KINDS}, so a new kind of object plugs in
 * with one entry.
 */
import { MessageQueue } from "../mq/mod.ts";
import { Channel, type IpcObjectInfo, list, Semaphore, SharedMemory } from "../shm/mod.ts";
import { errors, readDirNames, readTextFile } from "../_ffi/mod.ts";
import { channelFacts, checkReadable, fileFacts, mappedBy, reason } from "./_inspect.ts";
import type { ListFilter, ObjectEntry, ObjectKind } from "./_kind.ts";
import { SYSV_KINDS } from "./_sysv.ts";

export type { ListFilter, ObjectEntry, ObjectKind } from "./_kind.ts";

/**
 * Turn a library listing into rows, with mode and owner (or the reason they
 * are missing); an object removed since it was listed is left out.
 */
function rows(found: IpcObjectInfo[], kind: string): ObjectEntry[] {
  return found.flatMap((info) => {
    const entry: ObjectEntry = {
      kind,
      name: info.name,
      path: info.path,
      size: info.size,
      ownerPid: info.ownerPid,
      ownerAlive: info.ownerAlive,
    };
    try {
      const { mode, owner } = fileFacts(info.path);
      Object.assign(entry, { mode, owner });
    } catch (err) {
      if (err instanceof errors.NotFound) return [];
      entry.error = reason(err);
    }
    return [entry];
  });
}

const SHM_DIR = "/dev/shm";

/**
 * The rows of one kind found in /dev/shm: the library's listing (objects
 * without an owner record only with `all`), and every file there the
 * listing had to leave out because it cannot be read, with the reason.
 */
function shmDirRows(where: "shm" | "semaphore", key: string, filter: ListFilter): ObjectEntry[] {
  const every = list({ kinds: [where], all: true, prefix: filter.prefix });
  const kind = key === "sem" ? "semaphore" : key;
  const out = rows(
    every.filter((o) => o.kind === kind && (filter.all || o.ownerPid !== undefined)),
    key,
  );
  if (key === "channel") return out; // an unreadable file's kind is unknown: listed as shm
  const listed = new Set(every.map((o) => o.path));
  const bare = filter.prefix.startsWith("/") ? filter.prefix.slice(1) : filter.prefix;
  for (const file of readDirNames(SHM_DIR)) {
    const isSem = file.startsWith("sem.");
    const name = isSem ? file.slice(4) : file;
    const path = `${SHM_DIR}/${file}`;
    if (isSem !== (where === "semaphore") || !name.startsWith(bare) || listed.has(path)) continue;
    try {
      checkReadable(path);
      continue; // readable, so left out on purpose (not a regular file, or gone)
    } catch (err) {
      if (err instanceof errors.NotFound) continue;
      const entry: ObjectEntry = { kind: key, name: `/${name}`, path, error: reason(err) };
      try {
        const { mode, owner, size } = fileFacts(path);
        Object.assign(entry, { mode, owner, size });
      } catch {
        // not even its mode: the reason above says why
      }
      out.push(entry);
    }
  }
  return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The POSIX name with its leading `/`. */
function slashed(name: string): string {
  return name.startsWith("/") ? name : `/${name}`;
}

/** The object of `name` and listing kind, found through the library's `list`. */
function find(kind: "shm" | "channel" | "semaphore", name: string): IpcObjectInfo | undefined {
  const where = kind === "semaphore" ? "semaphore" : "shm";
  const full = slashed(name);
  return list({ kinds: [where], all: true, prefix: full })
    .find((o) => o.name === full && o.kind === kind);
}

/** The facts every file-backed object has, each missing one replaced by its reason. */
function fileDetails(info: IpcObjectInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { path: info.path, size: info.size };
  try {
    Object.assign(out, fileFacts(info.path));
  } catch (err) {
    out.error = reason(err);
  }
  out.ownerPid = info.ownerPid;
  out.ownerAlive = info.ownerAlive;
  out.mappedBy = mappedBy(info.path);
  return out;
}

function shmKind(key: "shm" | "channel", description: string): ObjectKind {
  return {
    key,
    description,
    list: (filter) => shmDirRows("shm", key, filter),
    unlink: key === "shm" ? SharedMemory.unlink : Channel.unlink,
    inspect(name) {
      const info = find(key, name);
      if (info === undefined) return undefined;
      const out = fileDetails(info);
      if (key === "channel") {
        try {
          Object.assign(out, channelFacts(info.path));
        } catch (err) {
          out.error = reason(err);
        }
      }
      return out;
    },
  };
}

const MQUEUE_DIR = "/dev/mqueue";

/** A queue's attributes, or the reason they cannot be read. */
function queueDetails(name: string): Record<string, unknown> {
  try {
    // Only its attributes are read: another user's queue may be looked at.
    using q = MessageQueue.open(name, { readOnly: true, allowOtherOwner: true });
    return { ...q.attributes() };
  } catch (err) {
    if (err instanceof errors.NotFound) throw err;
    return { error: reason(err) };
  }
}

const mqKind: ObjectKind = {
  key: "mq",
  description: "POSIX message queues (listed when /dev/mqueue is mounted)",
  list({ prefix }) {
    // Queues carry no owner record, so every queue is listed.
    return rows(
      MessageQueue.list({ prefix: prefix ?? "" }).map((q) => ({
        kind: "shm" as const,
        ...q,
        ownerPid: undefined,
        ownerAlive: undefined,
      })),
      "mq",
    ).flatMap((entry) => {
      let q: Record<string, unknown>;
      try {
        q = queueDetails(entry.name);
      } catch {
        return []; // removed since it was listed
      }
      if (typeof q.error === "string") entry.error ??= q.error;
      else {
        entry.queue = q as NonNullable<ObjectEntry["queue"]>;
        entry.detail = `${q.currentMessages}/${q.maxMessages} × ${q.messageSize} B`;
      }
      return [entry];
    });
  },
  unlink: MessageQueue.unlink,
  inspect(name) {
    let out: Record<string, unknown>;
    try {
      out = queueDetails(name);
    } catch (err) {
      if (err instanceof errors.NotFound) return undefined;
      throw err;
    }
    const path = `${MQUEUE_DIR}${slashed(name)}`;
    try {
      // "QSIZE:12 NOTIFY:0 SIGNO:0 NOTIFY_PID:0" (only when /dev/mqueue is mounted).
      const text = readTextFile(path);
      Object.assign(out, { path, ...fileFacts(path) });
      out.queuedBytes = Number(/QSIZE:(\d+)/.exec(text)?.[1] ?? 0);
      out.notifyPid = Number(/NOTIFY_PID:(\d+)/.exec(text)?.[1] ?? 0);
    } catch {
      out.note = `${MQUEUE_DIR} is not mounted: mode and owner unknown`;
    }
    return out;
  },
};

const semKind: ObjectKind = {
  key: "sem",
  description: "POSIX named semaphores (/dev/shm/sem.*)",
  list: (filter) => shmDirRows("semaphore", "sem", filter),
  unlink: Semaphore.unlink,
  inspect(name) {
    const info = find("semaphore", name);
    if (info === undefined) return undefined;
    const out = fileDetails(info);
    try {
      // Only its value is read: another user's semaphore may be looked at.
      using sem = Semaphore.open(name, { allowOtherOwner: true });
      out.value = sem.value;
    } catch (err) {
      out.error = reason(err);
    }
    return out;
  },
};

/** Every kind of object, in the order `ls` lists them. */
export const KINDS: readonly ObjectKind[] = [
  shmKind("shm", "POSIX shared memory segments (/dev/shm)"),
  shmKind("channel", "this library's Channels (shared memory with a ring header)"),
  semKind,
  mqKind,
  ...SYSV_KINDS,
];

/** The kind of `key` (as `ls --kind` takes it), or undefined. */
export function kindOf(key: string): ObjectKind | undefined {
  return KINDS.find((k) => k.key === key);
}

/** Split "kind:name" (or "msqid:<id>" …) into a known kind and a name; undefined when it is not one. */
export function splitTarget(arg: string): { kind: ObjectKind; name: string } | undefined {
  const [prefix, name] = arg.split(/:(.*)/s, 2);
  const kind = KINDS.find((k) => (k.prefix ?? k.key) === prefix);
  return kind === undefined || !name ? undefined : { kind, name };
}

/** "shm:<name>, sem:<name> or mq:<name>"-style list of the accepted forms. */
export function targetForms(): string {
  const forms = KINDS.map((k) => `${k.prefix ?? k.key}:<${k.prefix ? "id" : "name"}>`);
  return `${forms.slice(0, -1).join(", ")} or ${forms[forms.length - 1]}`;
}
