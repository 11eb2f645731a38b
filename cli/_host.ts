// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The command line's seam to the runtime: arguments, exit, standard output
 * and terminal detection through `node:process`, `node:fs` and `node:tty`,
 * which Deno, Node.js and Bun all provide. Nothing in cli/ touches `Deno.*`.
 */
import process from "node:process";
import { realpathSync, writeSync } from "node:fs";
import { isatty } from "node:tty";
import { fileURLToPath } from "node:url";

/** Where the commands write; tests capture it. */
export interface Output {
  /** Write one line of regular output. */
  out(line: string): void;
  /** Write one line of diagnostics. */
  err(line: string): void;
  /** Write raw bytes of regular output. */
  bytes(data: Uint8Array): void;
  /** Whether regular output may use colours (a terminal, and NO_COLOR unset). @default {false} */
  color?: boolean;
}

const encoder = new TextEncoder();

/** Write all of `data` to `fd`, synchronously (so exiting right after loses nothing). */
function writeAll(fd: number, data: Uint8Array): void {
  let written = 0;
  while (written < data.length) {
    try {
      written += writeSync(fd, data, written, data.length - written);
    } catch (err) {
      // A non-blocking pipe that is full: try again.
      if ((err as { code?: string }).code !== "EAGAIN") throw err;
    }
  }
}

function noColor(): boolean {
  try {
    return (process.env.NO_COLOR ?? "") !== "";
  } catch {
    return false; // no permission to read the environment
  }
}

/** Output to the process's stdout and stderr; colours only on a terminal without NO_COLOR. */
export function processOutput(): Output {
  return {
    out: (line) => writeAll(1, encoder.encode(line + "\n")),
    err: (line) => writeAll(2, encoder.encode(line + "\n")),
    bytes: (data) => writeAll(1, data),
    color: isatty(1) && !noColor(),
  };
}

/** The arguments after the program name. */
export function programArgs(): string[] {
  return process.argv.slice(2);
}

/** End the process with `code`. */
export function exit(code: number): never {
  process.exit(code);
}

/**
 * Whether the module of `meta` is the program being run: `import.meta.main`
 * where the runtime has it (Deno, Bun), else (Node.js 20) whether it is the
 * script Node was started with.
 */
export function isMain(meta: { url: string; main?: boolean }): boolean {
  if (typeof meta.main === "boolean") return meta.main;
  const script = process.argv[1];
  if (script === undefined || !meta.url.startsWith("file:")) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(meta.url));
  } catch {
    return false;
  }
}

const STYLES = { bold: [1, 22], red: [31, 39], yellow: [33, 39], dim: [2, 22] } as const;

/** `text` in a terminal style when `on`, as is otherwise. */
export function paint(on: boolean | undefined, style: keyof typeof STYLES, text: string): string {
  if (!on || text === "") return text;
  const [open, close] = STYLES[style];
  return `\x1b[${open}m${text}\x1b[${close}m`;
}

/**
 * Lines of a table with left-aligned columns; `style(row, column)` may colour
 * a cell (applied after padding, so colours do not shift the columns).
 */
export function table(
  rows: string[][],
  style: (row: number, column: number, text: string) => string = (_r, _c, t) => t,
): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map((r, ri) =>
    r.map((c, ci) => style(ri, ci, ci === r.length - 1 ? c : c.padEnd(widths[ci] ?? 0))).join("  ")
      .trimEnd()
  );
}
