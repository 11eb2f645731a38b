// Copyright 2026 the @ipc/linux authors. MIT license.
// The READMEs' `ipc` blocks run as written: each command in order, every one exiting 0,
// and nothing left behind (the block in README.md's Examples section cleans up after itself).
import assert from "node:assert/strict";
import { MessageQueue } from "../../mq/mod.ts";
import { errors } from "../../mod.ts";
import { ipcTest } from "../_helpers/mod.ts";
import { ipc } from "./_ipc.ts";

/** The commands of the ```sh block after `heading`, each as its argument list after `prefix`. */
async function commands(file: string, heading: string, prefix: string): Promise<string[][]> {
  const text = await Deno.readTextFile(new URL(`../../${file}`, import.meta.url));
  const from = text.indexOf(heading);
  assert.ok(from >= 0, `${file} has no ${heading}`);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(from))?.[1];
  assert.ok(block !== undefined, `${file}: no sh block after ${heading}`);
  return block.split("\n").flatMap((line) => line.replace(/#.*$/, "").split("&&"))
    .map((command) => command.trim()).filter((command) => command !== "")
    .map((command) => {
      assert.ok(command.startsWith(`${prefix} `), `${file}: ${command}`);
      return command.slice(prefix.length + 1).split(/\s+/);
    });
}

ipcTest("cli: README's ipc block runs as written and leaves no queue behind", async () => {
  const deno = await commands("README.md", "### The `ipc` command line", "deno run -A cli/mod.ts");
  const npm = await commands("README.npm.md", "## The `ipc` command line", "npx ipc");
  assert.deepEqual(npm, deno, "README.npm.md shows the same commands");
  // The block's own name, made unique so a parallel run or a stray /jobs cannot interfere.
  const name = `/jobs_readme_${Deno.pid}`;
  const runs = deno.map((args) => args.map((a) => a.replace(/\/jobs\b/, name)));
  assert.ok(runs.some((args) => args[0] === "inspect"), "the block inspects the queue");
  try {
    for (const args of runs) {
      const out = await ipc(...args);
      assert.equal(out.code, 0, `ipc ${args.join(" ")}: ${out.stderr}`);
      if (args[0] === "inspect") assert.equal(JSON.parse(out.stdout)[0]?.name, name);
      if (args[0] === "mq" && args[1] === "recv") assert.match(out.stdout, /^0 hello$/m);
    }
    assert.throws(() => MessageQueue.open(name), errors.NotFound);
  } finally {
    unlinkIfThere(name);
  }
});

/** Remove the queue if a failed command left it. */
function unlinkIfThere(name: string): void {
  try {
    MessageQueue.unlink(name);
  } catch (err) {
    if (!(err instanceof errors.NotFound)) throw err;
  }
}
