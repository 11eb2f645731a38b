// Copyright 2026 the @ipc/linux authors. MIT license.
/** Shared by the check scripts: walk the project's source files. */
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root. */
export const ROOT: string = fileURLToPath(new URL("..", import.meta.url));

const SKIP = new Set(["node_modules", "npm", ".git", ".build", "results"]);

/** Every file under `dir` (relative to the root) whose name ends with one of `exts`. */
export function* walk(dir = ".", exts = [".ts"]): Generator<string> {
  for (const entry of Deno.readDirSync(join(ROOT, dir))) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walk(path, exts);
    else if (exts.some((e) => entry.name.endsWith(e))) yield relative(".", path);
  }
}

/** Print problems and exit 1 if there are any; else print `ok`. */
export function report(check: string, problems: string[]): void {
  if (problems.length === 0) {
    console.log(`${check}: ok`);
    return;
  }
  for (const p of problems) console.error(`${check}: ${p}`);
  Deno.exit(1);
}
