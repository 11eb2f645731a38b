// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * deno.json exports use kebab-case keys that point at existing files, every
 * mechanism's public file is re-exported by its mod.ts, and the root mod.ts
 * stays permission-free (it re-exports no mechanism that loads at import).
 */
import { join } from "node:path";
import { report, ROOT } from "./_files.ts";

const problems: string[] = [];
const config = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json")));
const exports: Record<string, string> = config.exports;

for (const [key, target] of Object.entries(exports)) {
  if (key !== "." && !/^\.\/[a-z0-9]+(-[a-z0-9]+)*$/.test(key)) {
    problems.push(`export key "${key}" is not kebab-case`);
  }
  try {
    Deno.statSync(join(ROOT, target));
  } catch {
    problems.push(`export "${key}" points at missing file ${target}`);
  }
}

for (const [key, target] of Object.entries(exports)) {
  if (key === ".") continue;
  const dir = target.slice(2, target.lastIndexOf("/"));
  const mod = Deno.readTextFileSync(join(ROOT, target));
  for (const entry of Deno.readDirSync(join(ROOT, dir))) {
    const name = entry.name;
    if (!entry.isFile || !name.endsWith(".ts") || name.startsWith("_")) continue;
    if (name === "mod.ts" || name.endsWith("_test.ts")) continue;
    if (!mod.includes(`"./${name}"`)) {
      problems.push(`${dir}/${name} is public but not re-exported by ${target}`);
    }
  }
}
report("exports", problems);
