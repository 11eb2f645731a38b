// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ipcTest, Peer, run } from "../_helpers/mod.ts";

const DEMO = fileURLToPath(new URL("../../examples/demo.ts", import.meta.url));

ipcTest("demo: the tour runs every part between real processes and succeeds", async () => {
  const out = await run(Deno.execPath(), ["run", "-A", "--unstable-net", DEMO], {
    env: { NO_COLOR: "1" },
  });
  assert.equal(out.code, 0, out.stdout + out.stderr);
  assert.match(out.stdout, /ffi\s+child pid via getpid\(2\)\s+\d+ \(matches\)/);
  assert.match(out.stdout, /ffi\s+errno round trip\s+NotFound ENOENT/);
  assert.match(
    out.stdout,
    /signals\s+graceful shutdown of a child on SIGTERM\s+cleanup SIGTERM x1, exit code 143/,
  );
  assert.match(out.stdout, /signals\s+sigqueue SIGRTMIN\+1 .*value 42 from pid \d+ \(matches\)/);
  assert.doesNotMatch(out.stdout, /FAILED/);
  assert.match(out.stdout, /Tour finished in [\d.]+ s\./);
});

ipcTest(
  "demo: Ctrl-C finishes the running part's cleanup, leaves no names, exits 130",
  async () => {
    await using demo = new Peer(Deno.execPath(), ["run", "-A", "--unstable-net", DEMO], {
      env: { NO_COLOR: "1" },
    });
    // Interrupt while the tour is still running (after its first parts).
    await demo.expect("• Unix sockets");
    demo.kill("SIGINT");
    const status = await demo.status();
    assert.equal(status.code, 130, demo.stderr);
    // The part that was running is reported as interrupted, not as a failure.
    const rest: string[] = [];
    for (;;) {
      try {
        rest.push(await demo.line(1000));
      } catch {
        break;
      }
    }
    const out = rest.join("\n");
    assert.match(out, /^• .*: interrupted$/m);
    assert.doesNotMatch(out, /FAILED/);
    assert.match(out, /^Interrupted: the remaining parts were skipped\.$/m);
    const leftovers = [...Deno.readDirSync("/dev/shm")].map((e) => e.name)
      .filter((n) => n.includes(`_${demo.pid}`));
    assert.deepEqual(leftovers, []);
  },
);

for (
  const [missing, flags] of [
    ["--allow-run", ["--allow-ffi", "--allow-read", "--allow-write", "--allow-net"]],
    ["--allow-net", ["--allow-run", "--allow-ffi", "--allow-read", "--allow-write"]],
    ["--allow-ffi", ["--allow-run", "--allow-read", "--allow-write", "--allow-net"]],
  ] as const
) {
  ipcTest(
    `demo: without ${missing}, the parts that fail leave no names behind`,
    async (_t, scope) => {
      const tmp = await scope.tempDir(); // the demo's socket directories go here
      await using demo = new Peer(Deno.execPath(), ["run", ...flags, DEMO], {
        env: { NO_COLOR: "1", TMPDIR: tmp },
      });
      const status = await demo.status();
      const out: string[] = [];
      for (;;) {
        try {
          out.push(await demo.line(1000));
        } catch {
          break;
        }
      }
      assert.equal(status.code, 1, out.join("\n") + demo.stderr);
      assert.match(out.join("\n"), /FAILED/);
      const leftovers = [...Deno.readDirSync("/dev/shm")].map((e) => e.name)
        .filter((n) => n.includes(`_${demo.pid}`));
      assert.deepEqual(leftovers, []);
      assert.deepEqual([...Deno.readDirSync(tmp)].map((e) => e.name), []);
    },
  );
}
