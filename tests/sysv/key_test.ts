// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import { ftok, IPC_PRIVATE } from "../../sysv/mod.ts";
import { buildC, run } from "../_helpers/mod.ts";
import { isRoot, pythonSysvIpc, SYSTEM_PYTHON, sysvPythonEnv } from "../_helpers/sysv.ts";

const noPython = !pythonSysvIpc();

Deno.test("sysv ftok: the same key as C's ftok(3)", async () => {
  const exe = await buildC("sysv_c_peer.c");
  const dir = await Deno.makeTempDir();
  try {
    for (const [path, proj] of [[dir, 1], ["/tmp", 255], ["/", 65]] as const) {
      const c = await run(exe, ["ftok", path, String(proj)]);
      assert.equal(c.code, 0, c.stderr);
      assert.equal(ftok(path, proj), Number(c.stdout.trim()), `${path} ${proj}`);
    }
  } finally {
    await Deno.remove(dir);
  }
});

Deno.test({
  name: "sysv ftok: the same key as Python's sysv_ipc.ftok",
  ignore: noPython,
  async fn() {
    const py = await run(SYSTEM_PYTHON, [
      "-c",
      "import sysv_ipc; print(sysv_ipc.ftok('/tmp', 42, silence_warning=True))",
    ], { env: sysvPythonEnv() });
    assert.equal(py.code, 0, py.stderr);
    assert.equal(ftok("/tmp", 42), Number(py.stdout.trim()));
  },
});

Deno.test("sysv ftok: bad arguments are refused before any call", () => {
  assert.equal(IPC_PRIVATE, 0);
  assert.throws(() => ftok("/nonexistent/sysv_key", 1), Deno.errors.NotFound);
  assert.throws(() => ftok("/tmp", 0), RangeError);
  assert.throws(() => ftok("/tmp", 256), RangeError);
  assert.throws(() => ftok("/tmp", 1.5), TypeError);
  assert.throws(() => ftok(1 as unknown as string, 1), TypeError);
  assert.throws(() => ftok("/tmp\0x", 1), TypeError);
});

Deno.test({
  name: "sysv ftok: -1 (0xffffffff) is a key when the file gives it, as in C (root, unshare)",
  ignore: !isRoot() || !canUnshareMounts(),
  async fn() {
    const exe = await buildC("ftok_peer.c");
    const dir = await Deno.makeTempDir();
    try {
      // In a mount namespace of its own (the mounts go with it).
      const out = await run("unshare", [
        "-m",
        "--propagation",
        "private",
        "sh",
        fromFileUrl(new URL("../fixtures/ftok_all_ones.sh", import.meta.url)),
        dir,
        exe,
        Deno.execPath(),
        fromFileUrl(new URL("../fixtures/ftok_key.ts", import.meta.url)),
      ]);
      assert.equal(out.code, 0, out.stderr);
      const lines = Object.fromEntries(
        out.stdout.trim().split("\n").map((
          l,
        ) => [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1)]),
      );
      assert.equal(lines.c, "-1 0", out.stdout); // C: key -1, errno 0: a key, not a failure
      assert.equal(lines.ours, "-1", out.stdout);
      assert.equal(lines["c-missing"], "-1 2", out.stdout); // ENOENT
      assert.equal(lines["ours-missing"], "NotFound", out.stdout);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

function canUnshareMounts(): boolean {
  try {
    return new Deno.Command("unshare", { args: ["-m", "true"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}
