// Copyright 2026 the @ipc/linux authors. MIT license.
/** What the command line knows about a kind of object, and one object as `ipc ls` shows it. */

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
  /** What the NAME column shows when it is more than `name` (a System V key). */
  label?: string;
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
  /** Its key: `ls --kind`, and `rm <key>:<name>`, `inspect <key>:<name>` unless it has a `prefix`. */
  key: string;
  /** What `rm` and `inspect` take before the colon when it is not `key` (System V: `msqid`). */
  prefix?: string;
  /** One line for the help. */
  description: string;
  /** The objects of this kind (may throw NotSupported when they cannot be listed at all). */
  list(filter: ListFilter): ObjectEntry[];
  /** Remove the object's name. */
  unlink(name: string): void;
  /** Everything known about the object, or undefined when there is none of that name. */
  inspect(name: string): Record<string, unknown> | undefined;
}
