// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Validation of `serve(options, handler)` arguments, before any syscall.
 *
 * @module
 */
import { checkInteger } from "../_ffi/validate.ts";
import { DEFAULT_MAX_FRAME_SIZE, MIN_MAX_FRAME_SIZE } from "../protocol/mod.ts";
import { type Address, toAddress } from "./transport.ts";
import type { Handler, ServeOptions } from "./types.ts";

/**
 * With `fd`: a descriptor number, no `port`; a `path` only names the socket
 * (it is not bound). Without `path` the address is read from the socket.
 */
function checkFd(options: ServeOptions): Address {
  if (options.port !== undefined) {
    throw new TypeError("Cannot serve: give either fd or port, not both");
  }
  if (options.path !== undefined) toAddress({ path: options.path }, "serve"); // checked, not bound
  const fd = options.fd;
  if (typeof fd !== "number" || !Number.isInteger(fd) || fd < 0) {
    throw new TypeError(`Cannot serve: fd ${String(fd)} is not a descriptor`);
  }
  return { transport: "unix", path: options.path ?? "", native: true };
}

/** The checked values of `serve` options, with their defaults applied. */
export interface CheckedServeOptions {
  address: Address;
  mode: number;
  maxConnections: number;
  maxFrameSize: number;
  handshakeTimeout: number;
  highWaterMark: number;
  borrowNotifications: boolean;
  writeTimeout: number;
}

/**
 * Checks `serve`'s arguments and applies the defaults.
 *
 * @throws {TypeError|RangeError} On bad options.
 */
export function checkServeOptions(options: ServeOptions, handler: Handler): CheckedServeOptions {
  const address = options?.fd === undefined ? toAddress(options, "serve") : checkFd(options);
  if (typeof handler !== "function") throw new TypeError("Cannot serve: handler is not a function");
  const mode = checkInteger(options.mode ?? 0o600, "serve", "mode", 0, 0o777);
  const maxConnections = checkInteger(
    options.maxConnections ?? 1024,
    "serve",
    "maxConnections",
    1,
    2 ** 31 - 1,
  );
  const maxFrameSize = checkInteger(
    options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE,
    "serve",
    "maxFrameSize",
    MIN_MAX_FRAME_SIZE,
    0xffff_ffff,
  );
  const handshakeTimeout = checkInteger(
    options.handshakeTimeout ?? 10_000,
    "serve",
    "handshakeTimeout",
    1,
    2 ** 31 - 1,
  );
  const highWaterMark = checkInteger(
    options.highWaterMark ?? 1 << 20,
    "serve",
    "highWaterMark",
    1,
    2 ** 31 - 1,
  );
  const writeTimeout = options.writeTimeout === Infinity
    ? Infinity
    : checkInteger(options.writeTimeout ?? 30_000, "serve", "writeTimeout", 1, 2 ** 31 - 1);
  for (const name of ["onNotification", "onConnection", "onError"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      throw new TypeError(`Cannot serve: ${name} is not a function`);
    }
  }
  const borrowNotifications = options.borrowNotifications ?? false;
  if (typeof borrowNotifications !== "boolean") {
    throw new TypeError("Cannot serve: borrowNotifications must be a boolean");
  }
  return {
    address,
    mode,
    maxConnections,
    maxFrameSize,
    handshakeTimeout,
    highWaterMark,
    borrowNotifications,
    writeTimeout,
  };
}
