// Copyright 2026 the @ipc/linux authors. MIT license.
// Socket activation: listenFds() and serve({ activation }) with a launcher that binds first.
import assert from "node:assert/strict";
import { connect } from "../../uds/mod.ts";
import { ipcTest, run, spawnPython } from "../_helpers/mod.ts";

const FIXTURE = new URL("../fixtures/activated_server.ts", import.meta.url).pathname;
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

ipcTest(
  "activation: clients connect before the server starts and are served once it has",
  async (_t, scope) => {
    const dir = await scope.tempDir();
    const api = `${dir}/api.sock`;
    const packets = `${dir}/packets.sock`;
    await using launcher = spawnPython("activation_launcher.py", [
      api,
      packets,
      "--",
      Deno.execPath(),
      "run",
      "--allow-env",
      "--allow-ffi",
      "--allow-read",
      "--allow-write",
      "--allow-net",
      FIXTURE,
    ]);
    await launcher.expect("bound");
    // Nothing serves yet: the connections wait in the listen backlog.
    const early = connect({ path: api, handshakeTimeout: 60_000 });
    const earlyPackets = connect({
      path: packets,
      transport: "native",
      type: "seqpacket",
      handshakeTimeout: 60_000,
    });
    const first = await Promise.race([
      early.then(() => "connected"),
      new Promise((r) => setTimeout(() => r("waiting"), 200)),
    ]);
    assert.equal(first, "waiting");
    await launcher.send("start");
    await using a = await early;
    await using p = await earlyPackets;
    await launcher.expect("serving");
    const fromApi = JSON.parse(dec(await a.request("whoami")));
    assert.equal(fromApi.label, "api");
    assert.deepEqual(fromApi.inherited, [
      { fd: 3, name: "api", type: "stream", listening: true },
      { fd: 4, name: "packets", type: "seqpacket", listening: true },
    ]);
    assert.deepEqual(fromApi.env, [null, null, null]); // taken out of the environment
    assert.equal(JSON.parse(dec(await p.request("whoami"))).label, "packets");
    await launcher.closeStdin();
    await launcher.status();
  },
);

ipcTest("activation: LISTEN_PID of another process takes nothing; misuse is refused", async () => {
  // listenFds() takes the variables once per process: this test runs it in a child.
  const code = `
    import assert from "node:assert/strict";
    import { listenFds, serve } from "${new URL("../../uds/mod.ts", import.meta.url).href}";
    Deno.env.set("LISTEN_PID", String(Deno.pid + 1));
    Deno.env.set("LISTEN_FDS", "1");
    assert.deepEqual(listenFds(), []);
    assert.equal(Deno.env.get("LISTEN_PID"), undefined);
    await assert.rejects(serve({ activation: true }, () => ""), Deno.errors.NotFound);
    await assert.rejects(serve({ activation: "x", fd: 3 }, () => ""), TypeError);
    await assert.rejects(serve({ activation: 7 as unknown as string }, () => ""), TypeError);
    await assert.rejects(serve({ activation: true, maxConnections: 0 }, () => ""), RangeError);
    console.log("ok");
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(dec(out.stdout).trim(), "ok", dec(out.stderr));
});

const PROBE = new URL("../fixtures/activation_probe.ts", import.meta.url).pathname;

/** What activation_probe.ts, launched with LISTEN_PID=printf(pidFormat, pid), got. */
async function probe(pidFormat: string, count: string) {
  const out = await run("python3", [
    new URL("../fixtures/activation_env.py", import.meta.url).pathname,
    pidFormat,
    count,
    "--",
    Deno.execPath(),
    "run",
    "--allow-env",
    "--allow-ffi",
    PROBE,
  ]);
  assert.equal(out.code, 0, out.stderr);
  return JSON.parse(out.stdout) as { pid: string; self: number; result: unknown };
}

ipcTest(
  "activation: LISTEN_PID and LISTEN_FDS are plain unsigned decimals (not what Number() takes)",
  async () => {
    const one = [{ fd: 3, type: "stream", listening: true }];
    // The launcher's own spelling is taken.
    const plain = await probe("%d", "1");
    assert.equal(plain.pid, String(plain.self));
    assert.deepEqual(plain.result, one);
    // A LISTEN_PID that Number() reads as this pid, but that is not a plain
    // decimal, names no process: nothing is taken, as for another pid.
    const pids = await Promise.all(
      [" %d", "%d ", "+%d", "%d.0", "%de0", "0x%x"].map((f) => probe(f, "1")),
    );
    for (const got of pids) {
      assert.equal(Number(got.pid), got.self, got.pid); // Number() would have taken it
      assert.deepEqual(got.result, [], JSON.stringify(got));
    }
    // A LISTEN_FDS for this process that is not a plain decimal is refused,
    // as any malformed count is.
    const counts = await Promise.all(
      [" 1", "1 ", "+1", "1.0", "1e0", "0x1"].map((c) => probe("%d", c)),
    );
    for (const got of counts) {
      assert.deepEqual(
        (got.result as { error?: string }).error,
        "InvalidData",
        JSON.stringify(got),
      );
      assert.match((got.result as { message: string }).message, /is not a count/);
    }
  },
);
