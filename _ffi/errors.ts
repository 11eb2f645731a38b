// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Error classes. On Deno these are exactly `Deno.errors.*`, so
 * `err instanceof Deno.errors.NotFound` works; on Node.js and Bun the library
 * provides classes of the same names so `instanceof` works there too.
 *
 * @module
 */
import type { ErrorClass as HostErrorClass } from "./_backend.ts";
import { host } from "./host.ts";

/** Names of the `Deno.errors` classes this library throws. */
export type ErrorClassName =
  | "NotFound"
  | "PermissionDenied"
  | "AlreadyExists"
  | "WouldBlock"
  | "Interrupted"
  | "TimedOut"
  | "Busy"
  | "BadResource"
  | "NotSupported"
  | "InvalidData"
  | "BrokenPipe"
  | "AddrInUse"
  | "ConnectionRefused"
  | "ConnectionReset"
  | "NotConnected"
  | "IsADirectory"
  | "NotADirectory"
  | "FilesystemLoop";

const NAMES: readonly ErrorClassName[] = [
  "NotFound",
  "PermissionDenied",
  "AlreadyExists",
  "WouldBlock",
  "Interrupted",
  "TimedOut",
  "Busy",
  "BadResource",
  "NotSupported",
  "InvalidData",
  "BrokenPipe",
  "AddrInUse",
  "ConnectionRefused",
  "ConnectionReset",
  "NotConnected",
  "IsADirectory",
  "NotADirectory",
  "FilesystemLoop",
];

/** A constructor of one of the error classes in {@linkcode errors}. */
export type ErrorClass = HostErrorClass;

function ownClasses(): Record<ErrorClassName, ErrorClass> {
  const out = {} as Record<ErrorClassName, ErrorClass>;
  for (const name of NAMES) {
    out[name] = {
      [name]: class extends Error {
        constructor(message?: string, options?: ErrorOptions) {
          super(message, options);
          this.name = name;
        }
      },
    }[name]!;
  }
  return out;
}

const hostErrors = host().errorClasses;

/**
 * The error classes this library throws for operating-system failures:
 * `Deno.errors` on Deno, look-alike classes elsewhere.
 *
 * @example Catching a missing object
 * ```ts
 * import assert from "node:assert/strict";
 * import { errors } from "@ipc/linux";
 *
 * assert.equal(errors.NotFound, Deno.errors.NotFound);
 * ```
 */
export const errors: Readonly<Record<ErrorClassName, ErrorClass>> = hostErrors
  ? Object.fromEntries(NAMES.map((n) => [n, hostErrors[n]])) as Record<
    ErrorClassName,
    ErrorClass
  >
  : ownClasses();

/**
 * An operating-system failure with no matching `Deno.errors` class (EINVAL,
 * ENOSPC, EMFILE, EMSGSIZE, …). `code` holds the errno name.
 *
 * @example Recognising an out-of-space failure
 * ```ts
 * import assert from "node:assert/strict";
 * import { OsError } from "@ipc/linux";
 *
 * const err = new OsError("No space left on device (os error 28): shm", 28, "ENOSPC");
 * assert.equal(err.code, "ENOSPC");
 * assert.equal(err.errno, 28);
 * ```
 */
export class OsError extends Error {
  /** The errno name, e.g. `"ENOSPC"`. */
  readonly code: string;
  /** The errno number. */
  readonly errno: number;
  /**
   * Make an error for errno `errno` named `code`.
   *
   * @param message The full message.
   * @param errno The errno number.
   * @param code The errno name.
   */
  constructor(message: string, errno: number, code: string) {
    super(message);
    this.name = "OsError";
    this.errno = errno;
    this.code = code;
  }
}
