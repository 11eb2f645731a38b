// Copyright 2026 the @ipc/linux authors. MIT license.
/** Argument parsing (`node:util` `parseArgs`) and checks for the `ipc` command line. */
import { parseArgs } from "node:util";
import type { Output } from "./_host.ts";

/** A usage error: the command prints its short usage and exits with 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The options a command takes: `"boolean"` flags, `"string"` options with a
 * value, `"string[]"` options that may be repeated.
 */
export type OptionSpec = Readonly<Record<string, "boolean" | "string" | "string[]">>;

/** Positional arguments and the options given. */
export interface Parsed {
  positional: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
}

/**
 * Split `args` with `parseArgs` (strict: an unknown option, a value given to
 * a flag or a missing value is a {@linkcode UsageError}). `--help`/`-h` is
 * always accepted.
 */
export function parse(args: string[], spec: OptionSpec = {}): Parsed {
  const options: Record<
    string,
    { type: "boolean" | "string"; short?: string; multiple?: boolean }
  > = { help: { type: "boolean", short: "h" } };
  for (const [name, type] of Object.entries(spec)) {
    options[name] = type === "string[]" ? { type: "string", multiple: true } : { type };
  }
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { positional: positionals, flags: values as Parsed["flags"] };
  } catch (err) {
    throw parseError(err);
  }
}

/** parseArgs' errors, said shortly. */
function parseError(err: unknown): unknown {
  const code = (err as { code?: string })?.code;
  if (typeof code !== "string" || !code.startsWith("ERR_PARSE_ARGS_")) return err;
  const message = (err as Error).message;
  const option = /'(-[^' <]*)/.exec(message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return new UsageError(`unknown option ${option}`);
  if (/does not take an argument/.test(message)) {
    return new UsageError(`option ${option} takes no value`);
  }
  if (/ambiguous/.test(message)) {
    return new UsageError(`option ${option} needs a value (a negative one as ${option}=-N)`);
  }
  if (/argument missing/.test(message)) return new UsageError(`option ${option} needs a value`);
  return new UsageError(message.split("\n")[0]);
}

/**
 * The positional arguments of `command`, checked: every one of `required`
 * (their names, for the message) and at most the `optional` ones more.
 */
export function expect<
  const R extends readonly string[],
  const O extends readonly string[] = [],
>(
  positional: string[],
  command: string,
  required: R,
  optional?: O,
): [...{ [K in keyof R]: string }, ...{ [K in keyof O]: string | undefined }] {
  if (positional.length < required.length) {
    throw new UsageError(`${command} needs ${required.join(" ")}`);
  }
  const most = required.length + (optional?.length ?? 0);
  if (positional.length > most) {
    throw new UsageError(`${command}: unexpected argument ${JSON.stringify(positional[most])}`);
  }
  return positional as [...{ [K in keyof R]: string }, ...{ [K in keyof O]: string | undefined }];
}

/** An integer option or positional argument, checked. */
export function integer(
  value: string | boolean | string[] | undefined,
  what: string,
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) {
    throw new UsageError(`${what} must be an integer, got ${JSON.stringify(value ?? "")}`);
  }
  return Number(value);
}

/** Longest timeout a timer can run (ms); a longer one fires at once. */
const MAX_TIMEOUT_MS = 0x7fff_ffff;

/** A `--timeout` in milliseconds, checked to be one a timer can wait for. */
export function timeoutMs(
  value: string | boolean | string[] | undefined,
  fallback?: number,
): number {
  const ms = integer(value, "--timeout", fallback);
  if (ms < 0 || ms > MAX_TIMEOUT_MS) {
    throw new UsageError(
      `--timeout must be 0 to ${MAX_TIMEOUT_MS} ms, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** Print a command's help on stdout; exit code 0. */
export function help(io: Output, text: string): number {
  io.out(text);
  return 0;
}

/** The first paragraph of a help text (its "Usage:" lines): what a usage error shows. */
export function usageOf(text: string): string {
  return text.split("\n\n")[0] ?? text;
}
