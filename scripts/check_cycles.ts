// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * No import cycles in library code: every static import, re-export and
 * dynamic `import()` between the library's files (type-only imports too)
 * forms a graph without a loop. Tests, benchmarks, scripts and examples are
 * not library code.
 */
import { dirname, join, normalize } from "node:path";
import { report, ROOT, walk } from "./_files.ts";

const LIBRARY = ["_ffi", "protocol", "uds", "mq", "shm", "signals", "sysv", "cli"];
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;

/** The source with its comments removed (JSDoc examples import the package too). */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** The library files `file` imports, by path relative to the root. */
export function importsOf(file: string, source: string): string[] {
  const out: string[] = [];
  for (const m of withoutComments(source).matchAll(IMPORT)) {
    out.push(normalize(join(dirname(file), m[1]!)));
  }
  return out;
}

/** The strongly connected components of more than one file (or a file importing itself). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  function visit(v: string): void {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

if (import.meta.main) {
  const graph = new Map<string, string[]>();
  for (const file of ["mod.ts", ...LIBRARY.flatMap((dir) => [...walk(dir)])]) {
    graph.set(file, importsOf(file, Deno.readTextFileSync(join(ROOT, file))));
  }
  const problems = cycles(graph).map((c) => `import cycle: ${c.join(" -> ")}`);
  report("import cycles", problems);
}
