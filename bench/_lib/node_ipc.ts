// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The node-ipc baseline of `bench/uds_bench.ts`: npm `node-ipc` (9.2.1, the
 * last release before the 2022 protestware ones) under Node, installed on
 * first use into `.build/node-ipc`, doing the same 64-in-flight exchange.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The node-ipc version measured. */
export const NODE_IPC_VERSION = "9.2.1";
const NODE_IPC_SCRIPT = `
const ipc = require("node-ipc");
const [mode, dir, countArg] = process.argv.slice(2);
ipc.config.silent = true;
ipc.config.socketRoot = dir + "/";
ipc.config.appspace = "";
ipc.config.id = mode;
ipc.config.maxRetries = 50;
const payload = "x".repeat(64);
if (mode === "server") {
  ipc.serve(() => {
    ipc.server.on("req", (data, socket) => ipc.server.emit(socket, "res", data));
    console.log("ready");
  });
  ipc.server.start();
} else {
  const count = Number(countArg);
  ipc.connectTo("server", () => {
    let sent = 0, got = 0, t;
    const send = () => ipc.of.server.emit("req", { id: sent++, payload });
    ipc.of.server.on("connect", () => {
      t = process.hrtime.bigint();
      for (let i = 0; i < 64; i++) send();
    });
    ipc.of.server.on("res", () => {
      if (++got === count) {
        const secs = Number(process.hrtime.bigint() - t) / 1e9;
        console.log(JSON.stringify({ msgsPerSec: count / secs }));
        process.exit(0);
      } else if (sent < count) send();
    });
  });
}
`;

/** Install node-ipc once; its directory, or undefined when npm cannot get it. */
export async function nodeIpcSetup(): Promise<string | undefined> {
  const dir = `${ROOT}.build/node-ipc`;
  try {
    await Deno.stat(`${dir}/node_modules/node-ipc/package.json`);
  } catch {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/package.json`, '{"private":true}\n');
    const out = await new Deno.Command("npm", {
      args: [
        "install",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        `node-ipc@${NODE_IPC_VERSION}`,
      ],
      cwd: dir,
      stdin: "null",
    }).output().catch((err) => ({ success: false, stderr: new TextEncoder().encode(String(err)) }));
    if (!out.success) {
      console.error(`node-ipc unavailable: ${new TextDecoder().decode(out.stderr).slice(0, 300)}`);
      return undefined;
    }
  }
  await Deno.writeTextFile(`${dir}/bench.cjs`, NODE_IPC_SCRIPT);
  return dir;
}

/** Run the node-ipc server and client; the client's msgs/s. */
export async function nodeIpc(dir: string, sockDir: string, count: number): Promise<number> {
  const server = new Deno.Command("node", {
    args: [`${dir}/bench.cjs`, "server", sockDir],
    stdout: "piped",
    stdin: "null",
    stderr: "inherit",
  }).spawn();
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let seen = "";
    while (!seen.includes("ready")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("node-ipc server ended");
      seen += value;
    }
    const out = await new Deno.Command("node", {
      args: [`${dir}/bench.cjs`, "client", sockDir, String(count)],
      stdin: "null",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    return JSON.parse(new TextDecoder().decode(out.stdout)).msgsPerSec;
  } finally {
    server.kill("SIGKILL");
    await server.status;
    await reader.cancel().catch(() => {});
  }
}
