// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The runtime is decided once, in the host files of `_ffi/`: no other library
 * file names the `Deno`, `Bun` or `process` globals, or `globalThis` through
 * which they could be probed (in code; comments,
 * strings and type positions such as `Deno.errors.NotFound` in a JSDoc example
 * do not count). Tests, benchmarks, scripts and examples may.
 *
 * `cli/` is exempt: it is a Deno program (`deno run …/cli`), not part of the
 * runtime-neutral library.
 */
import { join } from "node:path";
import { report, ROOT, walk } from "./_files.ts";

/** The only library files that may look at the runtime's globals. */
const HOST_FILES = new Set([
  "_ffi/host.ts",
  "_ffi/_deno.ts",
  "_ffi/_deno_transport.ts",
  "_ffi/_node.ts",
  "_ffi/_bun.ts",
]);
const LIBRARY = ["_ffi", "protocol", "uds", "mq", "shm", "signals", "sysv"];
/** A runtime global named in code, or `globalThis` (through which one may be probed). */
const GLOBAL = /(?<![\w$.])(Deno|Bun|process|globalThis)(?![\w$])(?!\s*\??\s*:)/g;

/**
 * The code of a TypeScript source with comments, string literals and the
 * text of template literals blanked out (line numbers kept).
 */
export function codeOnly(source: string): string {
  let out = "";
  let i = 0;
  const blank = (text: string) => text.replace(/[^\n]/g, " ");
  const templates: number[] = []; // brace depth at which each open template resumes
  let depth = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end < 0 ? source.length : end;
      out += blank(source.slice(i, stop));
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += blank(source.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== "\n") {
        j += source[j] === "\\" ? 2 : 1;
      }
      out += blank(source.slice(i, j + 1));
      i = j + 1;
    } else if (c === "`" || (c === "}" && templates.at(-1) === depth)) {
      // Template text runs to the closing backtick or the next `${`.
      if (c === "}") templates.pop();
      let j = i + 1;
      while (
        j < source.length && source[j] !== "`" && !(source[j] === "$" && source[j + 1] === "{")
      ) {
        j += source[j] === "\\" ? 2 : 1;
      }
      if (source[j] === "$") {
        templates.push(depth);
        out += blank(source.slice(i, j)) + "${";
        i = j + 2;
      } else {
        out += blank(source.slice(i, j + 1));
        i = j + 1;
      }
    } else {
      if (c === "{") depth++;
      if (c === "}") depth--;
      out += c;
      i++;
    }
  }
  return out;
}

if (import.meta.main) {
  const problems: string[] = [];
  for (const dir of LIBRARY) {
    for (const file of walk(dir)) {
      if (HOST_FILES.has(file)) continue;
      const lines = codeOnly(Deno.readTextFileSync(join(ROOT, file))).split("\n");
      lines.forEach((line, n) => {
        for (const m of line.matchAll(GLOBAL)) {
          problems.push(
            `${file}:${n + 1}: names the global ${m[1]}; ask the host (_ffi/host.ts) instead`,
          );
        }
      });
    }
  }
  for (const file of ["mod.ts"]) {
    const code = codeOnly(Deno.readTextFileSync(join(ROOT, file)));
    if (GLOBAL.test(code)) problems.push(`${file}: names a runtime global`);
  }
  report("host seam", problems);
}
