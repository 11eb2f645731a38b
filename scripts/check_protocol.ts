// Copyright 2026 the @ipc/linux authors. MIT license.
/** protocol/ stays runtime-agnostic: no `Deno.` and no `node:` anywhere in its code. */
import { join } from "node:path";
import { report, ROOT, walk } from "./_files.ts";

const problems: string[] = [];
for (const file of walk("protocol")) {
  const lines = Deno.readTextFileSync(join(ROOT, file)).split("\n");
  lines.forEach((line, i) => {
    // Doc comments may show Deno usage in examples; code may not.
    const code = line.trimStart();
    if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/**")) return;
    if (/\bDeno\./.test(line)) problems.push(`${file}:${i + 1}: uses Deno.*`);
    if (/["']node:/.test(line)) problems.push(`${file}:${i + 1}: imports node:*`);
  });
}
report("runtime-agnostic protocol/", problems);
