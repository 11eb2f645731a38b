// Copyright 2026 the @ipc/linux authors. MIT license.
// Each example runs with exactly the permissions its header states (its
// children get fewer), and when it cannot start its children (no
// --allow-run) it fails without leaving a name or a socket directory behind.
import assert from "node:assert/strict";
import { ipcTest, Peer } from "../_helpers/mod.ts";

const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;

/** The examples and the flags their header's `Run:` line gives. */
const RUNS = [...Deno.readDirSync(EXAMPLES)]
  .filter((e) => e.isFile && e.name.endsWith(".ts") && e.name !== "demo.ts")
  .map((e) => e.name)
  .sort()
  .map((file) => {
    const header = Deno.readTextFileSync(EXAMPLES + file);
    const run = header.match(/^ \* Run: `deno run ((?:--allow-[a-z]+ )+)examples\/([a-z_]+\.ts)`/m);
    assert.ok(run, `${file}: no "Run: \`deno run <flags> examples/${file}\`" line in its header`);
    assert.equal(run[2], file);
    return { file, flags: run[1]!.trim().split(" ") };
  });

/** Runs `file` with `flags` (sockets in `tmp`); returns its exit code and output. */
async function runExample(file: string, flags: string[], tmp: string) {
  await using peer = new Peer(Deno.execPath(), ["run", ...flags, EXAMPLES + file], {
    env: { NO_COLOR: "1", TMPDIR: tmp },
  });
  const { code } = await peer.status();
  const lines: string[] = [];
  for (;;) {
    try {
      lines.push(await peer.line(1000));
    } catch {
      break;
    }
  }
  return { code, out: lines.join("\n") + peer.stderr, pid: peer.pid };
}

function leftovers(pid: number, tmp: string): string[] {
  return [
    ...[...Deno.readDirSync("/dev/shm")].map((e) => e.name).filter((n) => n.includes(`_${pid}`)),
    ...[...Deno.readDirSync(tmp)].map((e) => `${tmp}/${e.name}`),
  ];
}

for (const { file, flags } of RUNS) {
  ipcTest(`examples: ${file} runs with exactly ${flags.join(" ")}`, async (_t, scope) => {
    assert.ok(flags.includes("--allow-run"), "every example starts a process");
    const tmp = await scope.tempDir();
    const { code, out, pid } = await runExample(file, flags, tmp);
    assert.equal(code, 0, out);
    assert.deepEqual(leftovers(pid, tmp), []);
  });

  ipcTest(
    `examples: ${file} without --allow-run fails and leaves nothing behind`,
    async (_t, scope) => {
      const tmp = await scope.tempDir();
      const { code, out, pid } = await runExample(
        file,
        flags.filter((f) => f !== "--allow-run"),
        tmp,
      );
      assert.notEqual(code, 0, out);
      assert.match(out, /--allow-run/);
      assert.deepEqual(leftovers(pid, tmp), []);
    },
  );
}
