// Copyright 2026 the @ipc/linux authors. MIT license.
// No promise the library creates rejects unobserved: thousands of races of
// close, end-of-stream, reconnection and abort against a server in another
// process, with `unhandledrejection` listeners (here, and in the server
// process) that fail the test.
import assert from "node:assert/strict";
import { ipcTest, type Peer } from "../_helpers/mod.ts";
import { type Client, connect } from "../../uds/mod.ts";
import { serverPeer } from "./_server_peer.ts";

const ROUNDS = 1500;
const PARALLEL = 12;

/** A small deterministic PRNG, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}

/** Waits 0–3 event-loop turns (or a few microtasks). */
function jitter(r: () => number): Promise<void> {
  const n = Math.floor(r() * 6);
  if (n < 3) {
    let p = Promise.resolve();
    for (let i = 0; i < n * 3; i++) p = p.then(() => {});
    return p;
  }
  return new Promise((resolve) => setTimeout(resolve, n - 3));
}

/** The `unhandled …` lines the server fixture printed so far. */
async function unhandledIn(server: Peer): Promise<string[]> {
  const found: string[] = [];
  for (;;) {
    try {
      const line = await server.line(100);
      if (line.startsWith("unhandled")) found.push(line);
    } catch {
      return found;
    }
  }
}

/** Every promise the test makes is observed at once; the library's own must be too. */
const settle = (p: Promise<unknown>) => p.then(() => {}, () => {});

async function round(path: string, r: () => number): Promise<void> {
  const ac = new AbortController();
  const reconnect = r() < 0.5 ? { initialDelay: 0, maxDelay: 5, maxAttempts: 3 } : false;
  const opening = connect({
    path,
    reconnect,
    borrowNotifications: r() < 0.3,
    signal: r() < 0.2
      ? ac.signal
      : r() < 0.1
      ? AbortSignal.timeout(Math.floor(r() * 3))
      : undefined,
  });
  if (r() < 0.1) ac.abort(new Error("abort while connecting"));
  let client: Client;
  try {
    client = await opening;
  } catch {
    return;
  }
  const work: Promise<unknown>[] = [];
  const calls = 1 + Math.floor(r() * 5);
  for (let i = 0; i < calls; i++) {
    const pick = r();
    const signal = r() < 0.3 ? AbortSignal.timeout(Math.floor(r() * 3)) : undefined;
    if (pick < 0.25) work.push(settle(client.request("drop", "", { signal })));
    else if (pick < 0.5) work.push(settle(client.request("echo", "x", { signal })));
    else if (pick < 0.65) work.push(settle(client.request("sleep", "2", { signal })));
    else if (pick < 0.72) work.push(settle(client.notify("n", "x")));
    else if (pick < 0.8) work.push(settle(client.request("notify-me", "3", { signal })));
    else work.push(settle(client.ping({ signal })));
    if (r() < 0.5) await jitter(r);
  }
  if (r() < 0.3) ac.abort(new Error("late abort"));
  await jitter(r);
  const closing = settle(client.close());
  if (r() < 0.3) work.push(settle(client.request("echo", "after close")));
  await Promise.all([closing, ...work]);
  assert.equal(client.state, "closed");
}

for (const transport of ["Deno.listen", "node:net"]) {
  ipcTest(
    `uds stress: close, end-of-stream, reconnect and abort race without unhandled rejections (${transport} server)`,
    async (_t, scope) => {
      const path = `${await scope.tempDir()}/s.sock`;
      const flags = transport === "node:net" ? ["--peer"] : [];
      let server = await serverPeer(path, ...flags);
      scope.defer(() => server[Symbol.asyncDispose]());
      const unhandled: unknown[] = [];
      const onUnhandled = (e: PromiseRejectionEvent) => {
        e.preventDefault();
        unhandled.push(e.reason);
      };
      globalThis.addEventListener("unhandledrejection", onUnhandled);
      try {
        const r = random(12);
        let next = 0;
        const restarts = (async () => {
          // The server dies (SIGKILL: resets, end-of-stream, refused
          // reconnections) or shuts down gracefully, and comes back, a few
          // times during the rounds.
          for (let i = 1; i <= 3; i++) {
            while (next < i * ROUNDS / 4) await new Promise((resolve) => setTimeout(resolve, 5));
            unhandled.push(...await unhandledIn(server));
            if (i === 2) {
              // A graceful restart: GOODBYE to every client, which reconnect.
              await server.send("shutdown");
              await server.status();
            } else {
              server.kill("SIGKILL");
            }
            await server[Symbol.asyncDispose]();
            await Deno.remove(path).catch(() => {});
            server = await serverPeer(path, ...flags);
          }
        })();
        await Promise.all([
          restarts,
          ...Array.from({ length: PARALLEL }, async () => {
            while (next < ROUNDS) {
              next++;
              await round(path, r);
            }
          }),
        ]);
        // Let late timers (reconnection delays, lingering closes) fire.
        await new Promise((resolve) => setTimeout(resolve, 300));
        unhandled.push(...await unhandledIn(server));
      } finally {
        globalThis.removeEventListener("unhandledrejection", onUnhandled);
      }
      assert.deepEqual(unhandled.map(String), []);
    },
  );
}
