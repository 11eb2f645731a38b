// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * POSIX IPC object names (mq, shm, sem), checked before any syscall.
 *
 * @module
 */
import { NAME_MAX } from "./constants.ts";

const encoder = new TextEncoder();

/**
 * Refuses a string that holds a lone surrogate: UTF-8 would turn it into
 * U+FFFD, naming another object (or file) than the one asked for.
 *
 * @param text The name or path to check.
 * @param action The start of the message, e.g. `Cannot serve: path "…"`.
 * @param kind What a mangled name would designate: `"object"`, `"file"`.
 * @throws {TypeError} When `text` is not well-formed UTF-16.
 */
export function refuseLoneSurrogate(text: string, action: string, kind: string): void {
  if (!text.isWellFormed()) {
    throw new TypeError(
      `${action}: it holds a lone surrogate (UTF-8 would name another ${kind})`,
    );
  }
}

/**
 * Normalise a POSIX IPC name: `"jobs"` and `"/jobs"` are the same object.
 * Returns the name with exactly one leading slash.
 *
 * @param name The name as the user gave it.
 * @param what The kind of object, for messages ("queue", "shared memory", …).
 * @param maxLength Longest allowed name without the slash (NAME_MAX, or less
 *   for semaphores, whose file name gets a `sem.` prefix).
 * @throws {TypeError} When `name` is not a string, is empty, or contains
 *   another `/`, a NUL or a lone surrogate (which UTF-8 would turn into
 *   U+FFFD, naming another object).
 * @throws {RangeError} When the name is longer than `maxLength` bytes.
 */
export function posixName(name: unknown, what: string, maxLength = NAME_MAX): string {
  if (typeof name !== "string") {
    throw new TypeError(`Cannot use ${what} name: expected a string, got ${typeof name}`);
  }
  const bare = name.startsWith("/") ? name.slice(1) : name;
  if (bare.length === 0 || bare === "." || bare === "..") {
    throw new TypeError(`Cannot use ${what} name ${JSON.stringify(name)}: it names no object`);
  }
  if (bare.includes("/") || bare.includes("\0")) {
    throw new TypeError(
      `Cannot use ${what} name ${
        JSON.stringify(name)
      }: it must not contain "/" (after the first) or NUL`,
    );
  }
  refuseLoneSurrogate(bare, `Cannot use ${what} name ${JSON.stringify(name)}`, "object");
  const bytes = encoder.encode(bare).length;
  if (bytes > maxLength) {
    throw new RangeError(
      `Cannot use ${what} name ${
        JSON.stringify(name)
      }: ${bytes} bytes is over the limit of ${maxLength}`,
    );
  }
  return `/${bare}`;
}
