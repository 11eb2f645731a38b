// Copyright 2026 the @ipc/linux authors. MIT license.
/** Every `js` block of README.npm.md (the npm package's README) runs as written on Node.js and Bun. */
import assert from "node:assert/strict";
import { ipcTest, run } from "../_helpers/mod.ts";
import { bunPath, npmProject } from "../_helpers/npm.ts";

const readme = await Deno.readTextFile(new URL("../../README.npm.md", import.meta.url));
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

ipcTest("npm: README.npm.md has a js example per module", () => {
  for (const module of ["uds", "mq", "shm", "signals"]) {
    assert.ok(blocks.some((b) => b.includes(`"@ipc/linux/${module}"`)), module);
  }
});

for (const runtime of ["node", "bun"] as const) {
  blocks.forEach((code, i) => {
    ipcTest(`npm/${runtime}: README.npm.md example ${i + 1} runs as written`, async () => {
      const dir = await npmProject();
      const file = `${dir}readme_${runtime}_${i}.mjs`;
      await Deno.writeTextFile(file, code);
      const exe = runtime === "node" ? "node" : await bunPath();
      const out = await run(exe, [file], { cwd: dir });
      await Deno.remove(file);
      assert.equal(out.code, 0, `${code}\n${out.stdout}${out.stderr}`);
    });
  });
}
