// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A Node.js or Bun process ends when it is told to (process.exit, an
 * uncaught error, onShutdown after SIGTERM) even while a wait of the library
 * is pending. On Node, exiting joins libuv's pool threads, so a native call
 * parked there for the wait must return first.
 */
import assert from "node:assert/strict";
import { ipcTest } from "../_helpers/mod.ts";
import { spawnRuntime } from "../_helpers/npm.ts";

/** How long an exit may take once asked for (a hang is forever). */
const EXIT_WITHIN_MS = 3000;
const STATUS = { exit: 7, throw: 1, shutdown: 143 } as const;

for (const runtime of ["node", "bun"] as const) {
  for (const wait of ["mq", "pidfd", "sem", "channel"] as const) {
    for (const how of ["exit", "throw", "shutdown"] as const) {
      ipcTest(`npm/${runtime}: ${how} ends the process while a ${wait} wait is pending`, async (
        _t,
        scope,
      ) => {
        const name = scope.name("npm_exit");
        await using peer = await spawnRuntime(runtime, "npm_exit.mjs", [wait, how, name]);
        assert.equal(await peer.line(), "waiting");
        if (how === "shutdown") peer.kill("SIGTERM");
        let timer: ReturnType<typeof setTimeout> | undefined;
        const hung = new Promise<"hung">((resolve) => {
          timer = setTimeout(() => resolve("hung"), EXIT_WITHIN_MS);
        });
        const status = await Promise.race([peer.status(), hung]);
        clearTimeout(timer);
        assert.notEqual(status, "hung", `still running ${EXIT_WITHIN_MS} ms after the exit`);
        assert.equal((status as Deno.CommandStatus).code, STATUS[how], peer.stderr);
      });
    }
  }
}
