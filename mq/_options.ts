// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: argument checks for message queues, all done before any syscall.
 *
 * @module
 */
import { checkInteger, MAX_WAIT_MICROS } from "../_ffi/validate.ts";
import { MQ_PRIO_MAX, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_WRONLY } from "../_ffi/constants.ts";
import { checkMode } from "../_ffi/mod.ts";
import { HARD_MSGMAX, HARD_MSGSIZEMAX, readLimits } from "./_limits.ts";
import type { OpenOptions, TryReceiveOptions, TrySendOptions } from "./types.ts";

/** Open options turned into what `mq_open` takes. */
export interface ParsedOpen {
  flags: number;
  mode: number;
  /** Attributes to create with, or undefined for the system defaults. */
  attr: { maxMessages: number; messageSize: number } | undefined;
  canRead: boolean;
  canWrite: boolean;
  /** Whether an existing queue of another uid is trusted. */
  allowOtherOwner: boolean;
  spin: number;
  syncWait: number;
  unlinkOnClose: boolean;
}

function optionalBoolean(options: OpenOptions, key: keyof OpenOptions): boolean {
  const value = options[key];
  if (value === undefined) return false;
  if (typeof value !== "boolean") {
    throw new TypeError(
      `Cannot open queue: option "${key}" must be a boolean, got ${typeof value}`,
    );
  }
  return value;
}

/** Check an integer option; `undefined` passes through. */
export function integerOption(
  action: string,
  key: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  return value === undefined ? undefined : checkInteger(value, action, key, min, max);
}

/** Validate {@linkcode OpenOptions} and compute the flags and attributes. */
export function parseOpenOptions(options: unknown): ParsedOpen {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`Cannot open queue: options must be an object, got ${options}`);
  }
  const o = options as OpenOptions;
  const create = optionalBoolean(o, "create");
  const exclusive = optionalBoolean(o, "exclusive");
  const readOnly = optionalBoolean(o, "readOnly");
  const allowOtherOwner = optionalBoolean(o, "allowOtherOwner");
  const writeOnly = optionalBoolean(o, "writeOnly");
  const unlinkOnClose = optionalBoolean(o, "unlinkOnClose");
  if (readOnly && writeOnly) {
    throw new TypeError('Cannot open queue: "readOnly" and "writeOnly" exclude each other');
  }
  if (exclusive && o.create === false) {
    throw new TypeError('Cannot open queue: "exclusive" needs "create"');
  }
  const mode = checkMode(o.mode ?? 0o600, "open queue");
  const maxMessages = integerOption("open queue", "maxMessages", o.maxMessages, 1, HARD_MSGMAX);
  const messageSize = integerOption(
    "open queue",
    "messageSize",
    o.messageSize,
    1,
    HARD_MSGSIZEMAX,
  );
  const spin = integerOption("open queue", "spin", o.spin, 0, MAX_WAIT_MICROS) ?? 50;
  const syncWait = integerOption("open queue", "syncWait", o.syncWait, 0, MAX_WAIT_MICROS) ?? 200;
  let attr: ParsedOpen["attr"];
  if (maxMessages !== undefined || messageSize !== undefined) {
    if (!create && !exclusive) {
      throw new TypeError(
        'Cannot open queue: "maxMessages" and "messageSize" apply only with "create"',
      );
    }
    const limits = maxMessages === undefined || messageSize === undefined
      ? readLimits()
      : undefined;
    attr = {
      maxMessages: maxMessages ?? (nonNaN(limits!.defaultMaxMessages) ?? 10),
      messageSize: messageSize ?? (nonNaN(limits!.defaultMessageSize) ?? 8192),
    };
  }
  // Blocking on purpose: every call passes an absolute deadline (see _wait.ts).
  let flags = readOnly ? O_RDONLY : writeOnly ? O_WRONLY : O_RDWR;
  if (create || exclusive) flags |= O_CREAT;
  if (exclusive) flags |= O_EXCL;
  return {
    flags,
    mode,
    attr,
    canRead: !writeOnly,
    canWrite: !readOnly,
    allowOtherOwner,
    spin,
    syncWait,
    unlinkOnClose,
  };
}

function nonNaN(n: number): number | undefined {
  return Number.isNaN(n) ? undefined : n;
}

/** Check a message priority (0 … MQ_PRIO_MAX-1). */
export function checkPriority(action: string, priority: unknown): number {
  return integerOption(action, "priority", priority, 0, MQ_PRIO_MAX - 1) ?? 0;
}

/** Check that `signal` is an AbortSignal or undefined. */
export function checkSignal(action: string, signal: unknown): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw new TypeError(`Cannot ${action}: signal must be an AbortSignal, got ${typeof signal}`);
}

/** Check that an options argument is an object (or undefined). */
export function checkOptions<T extends object>(action: string, options: unknown): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object") {
    throw new TypeError(`Cannot ${action}: options must be an object, got ${options}`);
  }
  return options as T;
}

/** The priority in send or trySend options: checked, 0 when absent. */
export function sendPriority(options: TrySendOptions | undefined): number {
  if (options === undefined) return 0;
  return checkPriority("send", checkOptions<TrySendOptions>("send", options).priority);
}

/** The `spin` of trySend or tryReceive options (µs): checked, 0 when absent. */
export function trySpin(
  action: string,
  options: TrySendOptions | TryReceiveOptions | undefined,
): number {
  if (options === undefined) return 0;
  const { spin } = checkOptions<TryReceiveOptions>(action, options);
  return integerOption(action, "spin", spin, 0, MAX_WAIT_MICROS) ?? 0;
}

/** The signal in send or receive options: checked, or undefined. */
export function optionSignal(
  action: string,
  options: { signal?: AbortSignal } | undefined,
): AbortSignal | undefined {
  if (options === undefined) return undefined;
  return checkSignal(action, checkOptions<{ signal?: AbortSignal }>(action, options).signal);
}
