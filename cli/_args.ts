// Copyright 2026 the @ipc/linux authors. MIT license.
/** Argument parsing and output for the `ipc` command line. */

/** A usage error: the command prints the help text and exits with 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Positional arguments and `--flag value` / `--flag` options. */
export interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Split arguments; `booleans` are flags that take no value, `values` the
 * options that take one. Any other `--option` is a usage error.
 */
export function parse(
  args: string[],
  booleans: readonly string[] = [],
  values: readonly string[] = [],
): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const key = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      if (booleans.includes(key) || key === "help") {
        if (inline !== undefined) throw new UsageError(`option --${key} takes no value`);
        flags.set(key, true);
      } else if (!values.includes(key)) throw new UsageError(`unknown option --${key}`);
      else if (inline !== undefined) flags.set(key, inline);
      else if (i + 1 < args.length) flags.set(key, args[++i]!);
      else throw new UsageError(`option --${key} needs a value`);
    } else if (arg === "-h") {
      flags.set("help", true);
    } else {
      positional.push(arg);
    }
  }
  return { positional, flags };
}

/**
 * The positional arguments of `command`, checked: every one of `required`
 * (their names, for the message) and at most the `optional` ones more.
 */
export function expect<const R extends readonly string[]>(
  positional: string[],
  command: string,
  required: R,
  optional: readonly string[] = [],
): [...{ [K in keyof R]: string }, ...(string | undefined)[]] {
  if (positional.length < required.length) {
    throw new UsageError(`${command} needs ${required.join(" ")}`);
  }
  const most = required.length + optional.length;
  if (positional.length > most) {
    throw new UsageError(`${command}: unexpected argument ${JSON.stringify(positional[most])}`);
  }
  return positional as [...{ [K in keyof R]: string }, ...(string | undefined)[]];
}

/** An integer option or positional argument, checked. */
export function integer(value: string | true | undefined, what: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) {
    throw new UsageError(`${what} must be an integer, got ${JSON.stringify(value ?? "")}`);
  }
  return Number(value);
}

/** Longest timeout a timer can run (ms); a longer one fires at once. */
const MAX_TIMEOUT_MS = 0x7fff_ffff;

/** A `--timeout` in milliseconds, checked to be one a timer can wait for. */
export function timeoutMs(value: string | true | undefined, fallback?: number): number {
  const ms = integer(value, "--timeout", fallback);
  if (ms < 0 || ms > MAX_TIMEOUT_MS) {
    throw new UsageError(
      `--timeout must be 0 to ${MAX_TIMEOUT_MS} ms, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** Where the commands write; tests capture it. */
export interface Output {
  /** Write one line of regular output. */
  out(line: string): void;
  /** Write one line of diagnostics. */
  err(line: string): void;
  /** Write raw bytes of regular output. */
  bytes(data: Uint8Array): void;
}

/** Output to the process's stdout and stderr. */
export const processOutput: Output = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  bytes: (data) => {
    let written = 0;
    while (written < data.length) written += Deno.stdout.writeSync(data.subarray(written));
  },
};

/** Format a table with left-aligned columns. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
}
