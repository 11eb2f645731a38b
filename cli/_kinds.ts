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

/** One object, as `ipc ls` shows it. */
export interface ObjectEntry {
  /** Its kind: the key of its entry in {@linkcode KINDS} (what `rm kind:name` takes). */
  kind: string;
  /** Its name, with the leading `/`. */
  name: string;
  /** The file that backs it, when it has one. */
  path?: string;
  /** Size in bytes. */
  size?: number;
  /** Permission bits, e.g. "0600". */
  mode?: string;
  /** The owning user's name (or uid). */
  owner?: string;
  /** The creating process this library recorded. */
  ownerPid?: number;
  /** Whether that process still runs. */
  ownerAlive?: boolean;
  /** A short kind-specific summary (a queue's fill). */
  detail?: string;
  /** A queue's attributes (queues only, when readable). */
  queue?: { maxMessages: number; messageSize: number; currentMessages: number };
  /** Why some of it could not be read (the rest is shown). */
  error?: string;
}

/** What `ls` asks a kind for. */
export interface ListFilter {
  /** Include objects this library did not create (no owner record). */
  all: boolean;
  /** Only names starting with this (with or without the leading `/`). */
  prefix: string;
}

/** One kind of object. */
export interface ObjectKind {
  /** Its key: `ls --kind`, `rm <key>:<name>`, `inspect <key>:<name>`. */
  key: string;
  /** One line for the help. */
  description: string;
  /** The objects of this kind (may throw NotSupported when they cannot be listed at all). */
  list(filter: ListFilter): ObjectEntry[];
  /** Remove the object's name. */
  unlink(name: string): void;
  /** Everything known about the object, or undefined when there is none of that name. */
  inspect(name: string): Record<string, unknown> | undefined;
}

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
    return rows(list({ kinds: ["queue"], all: true, prefix }), "mq").flatMap((entry) => {
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
];

/** The kind of `key`, or undefined. */
export function kindOf(key: string): ObjectKind | undefined {
  return KINDS.find((k) => k.key === key);
}

/** Split "kind:name" into a known kind and a name; undefined when it is not one. */
export function splitTarget(arg: string): { kind: ObjectKind; name: string } | undefined {
  const [key, name] = arg.split(/:(.*)/s, 2);
  const kind = kindOf(key);
  return kind === undefined || !name ? undefined : { kind, name };
}

/** "shm:<name>, sem:<name> or mq:<name>"-style list of the accepted forms. */
export function targetForms(): string {
  const forms = KINDS.map((k) => `${k.key}:<name>`);
  return `${forms.slice(0, -1).join(", ")} or ${forms[forms.length - 1]}`;
}
