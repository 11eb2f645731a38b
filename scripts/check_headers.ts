// Copyright 2026 the @ipc/linux authors. MIT license.
/** Every TypeScript, C and Python source starts with the licence header. */
import { join } from "node:path";
import { report, ROOT, walk } from "./_files.ts";

const HEADERS: Record<string, string> = {
  ".ts": "// Copyright 2026 the @ipc/linux authors. MIT license.",
  ".c": "// Copyright 2026 the @ipc/linux authors. MIT license.",
  ".py": "# Copyright 2026 the @ipc/linux authors. MIT license.",
};

const problems: string[] = [];
for (const file of walk(".", Object.keys(HEADERS))) {
  const header = HEADERS[file.slice(file.lastIndexOf("."))];
  const lines = Deno.readTextFileSync(join(ROOT, file)).split("\n", 3);
  // A Python script may start with a shebang.
  const first = lines[0]!.startsWith("#!") ? lines[1] : lines[0];
  if (first !== header) problems.push(`${file}: missing licence header "${header}"`);
}
report("licence headers", problems);
