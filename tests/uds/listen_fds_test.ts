// Copyright 2026 the @ipc/linux authors. MIT license.
// Socket activation: listenFds() and serve({ activation }) with a launcher that binds first.
import assert from "node:assert/strict";
import { connect } from "../../uds/mod.ts";
import { ipcTest, spawnPython } from "../_helpers/mod.ts";

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
