// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Validation of `serve(options, handler)` arguments, before any syscall.
 *
 * @module
 */
import { DEFAULT_MAX_FRAME_SIZE, MIN_MAX_FRAME_SIZE } from "../protocol/mod.ts";
import { type Address, toAddress } from "./transport.ts";
import type { Handler } from "./server_connection.ts";
import type { ServeOptions } from "./server.ts";

/** Checks that `value` is an integer in `min..max` (a `serve` option, or `what` one). */
export function integer(
  value: unknown,
  name: string,
  min: number,
  max: number,
  what = "serve",
): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new RangeError(`Cannot ${what}: ${name} ${value} is not an integer in ${min}..${max}`);
  }
  return value as number;
}

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
  const mode = integer(options.mode ?? 0o600, "mode", 0, 0o777);
  const maxConnections = integer(options.maxConnections ?? 1024, "maxConnections", 1, 2 ** 31 - 1);
  const maxFrameSize = integer(
    options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE,
    "maxFrameSize",
    MIN_MAX_FRAME_SIZE,
    0xffff_ffff,
  );
  const handshakeTimeout = integer(
    options.handshakeTimeout ?? 10_000,
    "handshakeTimeout",
    1,
    2 ** 31 - 1,
  );
  const highWaterMark = integer(options.highWaterMark ?? 1 << 20, "highWaterMark", 1, 2 ** 31 - 1);
  const writeTimeout = options.writeTimeout === Infinity
    ? Infinity
    : integer(options.writeTimeout ?? 30_000, "writeTimeout", 1, 2 ** 31 - 1);
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
