// Copyright 2026 the @ipc/linux authors. MIT license.
// A client that never reads cannot make the server's writes to it pend
// forever (writeTimeout), and other clients are served meanwhile.
import assert from "node:assert/strict";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";
import { connect, serve, type ServerConnection } from "../../uds/mod.ts";

/** Settles `promise`, or fails the test after `ms` instead of hanging it. */
async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        timer = setTimeout(() => reject(new Error(`${what} still pending after ${ms} ms`)), ms)
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

for (const peerCredentials of [false, true]) {
  ipcTest(
    `uds writeTimeout: a client that never reads is failed; its writes reject, others are served${
      peerCredentials ? " (node:net transport)" : ""
    }`,
    async (_t, scope) => {
      const path = `${await scope.tempDir()}/s.sock`;
      const connections: ServerConnection[] = [];
      await using server = await serve({
        path,
        peerCredentials,
        writeTimeout: 300,
        highWaterMark: 64 * 1024,
        onConnection: (c) => void connections.push(c),
      }, (req) => req.payload);
      await using deaf = spawnDeno("uds_client.ts", ["deaf", path]);
      await deaf.expect("deaf");
      await using healthy = await connect({ path });
      assert.equal(connections.length, 2);
      const stuck = connections[0]!;

      // Far more than the kernel buffers and the queue hold: some notifies wait.
      const chunk = new Uint8Array(64 * 1024);
      const notifies = Array.from(
        { length: 64 },
        () => stuck.notify("blob", chunk).then(() => undefined, (err: Error) => err),
      );
      const broadcast = server.broadcast("tick", "1");
      // The healthy client keeps getting answers while the deaf one is stuck.
      for (let i = 0; i < 20; i++) {
        assert.equal(new TextDecoder().decode(await healthy.request("echo", `${i}`)), `${i}`);
      }
      const outcomes = await bounded(Promise.all(notifies), 15_000, "notify to the deaf client");
      await bounded(broadcast, 15_000, "broadcast");
      const failures = outcomes.filter((o) => o !== undefined);
      assert.ok(failures.length > 0, "every notify resolved: the client was not deaf");
      for (const err of failures) {
        assert.ok(err instanceof Deno.errors.TimedOut, `got ${err}`);
        assert.match(
          err.message,
          new RegExp(
            `^Cannot write to ${
              peerCredentials ? `the client pid ${deaf.pid}` : "a Unix-socket client"
            }: \\d+ bytes queued and none written for 300 ms`,
          ),
        );
      }
      assert.ok(stuck.closed);
      await assert.rejects(stuck.notify("late", "x"), Deno.errors.TimedOut);
      // The healthy client lives on, and still gets broadcasts.
      const got = new Promise<string>((resolve) =>
        healthy.addEventListener(
          "notification",
          (e) => resolve((e as Event & { method: string }).method),
        )
      );
      await server.broadcast("after", "");
      assert.equal(await got, "after");
      assert.equal(healthy.state, "ready");
      assert.deepEqual([...server.connections].length, 1);
    },
  );
}

ipcTest("uds writeTimeout: bad values are refused before any syscall", async () => {
  for (const writeTimeout of [0, -1]) {
    await assert.rejects(
      serve({ path: "/nonexistent/s.sock", writeTimeout }, () => ""),
      RangeError,
    );
  }
  for (const writeTimeout of [1.5, NaN]) { // not an integer at all: the shape is wrong
    await assert.rejects(
      serve({ path: "/nonexistent/s.sock", writeTimeout }, () => ""),
      TypeError,
    );
  }
});

ipcTest(
  "uds writeTimeout (native transport): small frames written at once fill a deaf client's socket; the rest waits, then fails the connection",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    const connections: ServerConnection[] = [];
    await using server = await serve({
      path,
      transport: "native",
      writeTimeout: 300,
      onConnection: (c) => void connections.push(c),
    }, (req) => req.payload);
    await using deaf = spawnDeno("uds_client.ts", ["deaf", path]);
    await deaf.expect("deaf");
    await using healthy = await connect({ path, transport: "native" });
    const stuck = connections[0]!;
    // One at a time: each finds the writer idle and is written at once,
    // until the socket takes only part of one (or none); that rest is queued.
    const chunk = new Uint8Array(15 * 1024).fill(7);
    let failure: unknown;
    for (let i = 0; i < 2000 && failure === undefined; i++) {
      failure = await bounded(
        stuck.notify("blob", chunk).then(() => undefined, (err: unknown) => err),
        15_000,
        `notify ${i} to the deaf client`,
      );
      // The healthy client is answered meanwhile.
      if (i % 50 === 0) {
        assert.equal(new TextDecoder().decode(await healthy.request("echo", `${i}`)), `${i}`);
      }
    }
    assert.ok(failure instanceof Deno.errors.TimedOut, `got ${failure}`);
    assert.match(
      (failure as Error).message,
      // The native transport knows its peer's pid (SO_PEERCRED) and names it.
      new RegExp(
        `^Cannot write to the client pid ${deaf.pid}: \\d+ bytes queued and none written for 300 ms`,
      ),
    );
    assert.ok(stuck.closed);
    assert.equal(new TextDecoder().decode(await healthy.request("echo", "after")), "after");
    assert.deepEqual([...server.connections].length, 1);
  },
);
