// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * What the library publishes on node:diagnostics_channel, seen by a
 * subscriber in this process while the other end runs in another process
 * (the `ipc` command line, a server fixture, a Channel producer).
 */
import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import {
  channels,
  type ConnectionMessage,
  type HandshakeRejectMessage,
  type ReconnectMessage,
  type RequestEndMessage,
  type RequestErrorMessage,
  type RequestStartMessage,
  type WaitMessage,
} from "../mod.ts";
import { MessageQueue } from "../mq/mod.ts";
import { Channel } from "../shm/mod.ts";
import { ErrorCode } from "../protocol/mod.ts";
import { connect, RemoteError, serve, type ServerRequest } from "../uds/mod.ts";
import { ipcTest, type Scope, spawnDeno } from "./_helpers/mod.ts";
import { ipc } from "./cli/_ipc.ts";

/** Collect what is published on `name` until the test ends. */
function collect<T>(scope: Scope, name: string): T[] {
  const seen: T[] = [];
  const listener = (message: unknown) => seen.push(message as T);
  subscribe(name, listener);
  scope.defer(() => unsubscribe(name, listener));
  return seen;
}

ipcTest(
  "diagnostics: requests a client process makes, their timing, errors and onError",
  async (_t, scope) => {
    const starts = collect<RequestStartMessage>(scope, channels.requestStart);
    const ends = collect<RequestEndMessage>(scope, channels.requestEnd);
    const failures = collect<RequestErrorMessage>(scope, channels.requestError);
    const opened = collect<ConnectionMessage>(scope, channels.connectionOpen);
    const closed = collect<ConnectionMessage>(scope, channels.connectionClose);
    const handlerErrors: Array<[unknown, string, number]> = [];
    const path = `${await scope.tempDir()}/diag.sock`;
    {
      await using server = await serve({
        path,
        onError: (error, request: ServerRequest, connection) =>
          handlerErrors.push([error, request.method, connection.id]),
      }, async (req) => {
        if (req.method === "throw") throw new Error(`boom ${req.text()}`);
        if (req.method === "refuse") throw new RemoteError(4001, "quota exceeded");
        await new Promise((r) => setTimeout(r, 20));
        return req.payload;
      });
      assert.equal((await ipc("call", path, "echo", "hi")).code, 0);
      assert.equal((await ipc("call", path, "throw", "x")).code, 4);
      assert.equal((await ipc("call", path, "refuse")).code, 4);
      assert.equal(server.connections.size, 0);
    }
    assert.deepEqual(starts.map((s) => s.method), ["echo", "throw", "refuse"]);
    assert.equal(ends.length, 1);
    assert.equal(ends[0]!.method, "echo");
    assert.ok(ends[0]!.durationMs >= 15, String(ends[0]!.durationMs));
    assert.deepEqual(failures.map((f) => [f.method, f.code]), [
      ["throw", ErrorCode.HANDLER_ERROR],
      ["refuse", 4001],
    ]);
    assert.equal((failures[0]!.error as Error).message, "boom x");
    // onError sees the handler's own error, not the application's RemoteError.
    assert.equal(handlerErrors.length, 1);
    assert.equal((handlerErrors[0]![0] as Error).message, "boom x");
    assert.equal(handlerErrors[0]![1], "throw");
    assert.equal(handlerErrors[0]![2], starts[1]!.connectionId);
    // One connection per call, opened and closed cleanly (both GOODBYEs: no reason).
    assert.deepEqual(opened.map((o) => o.side), ["server", "server", "server"]);
    assert.deepEqual(closed.map((c) => [c.side, c.reason]), [
      ["server", undefined],
      ["server", undefined],
      ["server", undefined],
    ]);
    assert.deepEqual(
      new Set(closed.map((c) => c.connectionId)),
      new Set(starts.map((s) => s.connectionId)),
    );
  },
);

ipcTest(
  "diagnostics: a handshake the server refuses is published with its code",
  async (_t, scope) => {
    const rejected = collect<HandshakeRejectMessage>(scope, channels.handshakeReject);
    const path = `${await scope.tempDir()}/busy.sock`;
    await using _server = await serve({ path, maxConnections: 1 }, () => "ok");
    await using holder = spawnDeno("uds_client.ts", ["hold", path]);
    assert.equal(await holder.line(), "connected");
    const refused = await ipc("call", path, "echo");
    assert.equal(refused.code, 1, refused.stderr);
    assert.deepEqual(rejected.map((r) => r.code), [ErrorCode.SERVER_BUSY]);
    assert.match(rejected[0]!.message, /connection limit/);
    holder.kill("SIGKILL");
    await holder.status();
  },
);

ipcTest(
  "diagnostics: a client sees its server die, then each reconnect attempt",
  async (_t, scope) => {
    const opened = collect<ConnectionMessage>(scope, channels.connectionOpen);
    const closed = collect<ConnectionMessage>(scope, channels.connectionClose);
    const attempts = collect<ReconnectMessage>(scope, channels.reconnect);
    const path = `${await scope.tempDir()}/re.sock`;
    const first = spawnDeno("uds_server.ts", [path]);
    await first.expect("listening ");
    await using client = await connect({
      path,
      reconnect: { initialDelay: 20, maxDelay: 40, maxAttempts: 200 },
    });
    first.kill("SIGKILL");
    await first.status();
    await first[Symbol.asyncDispose]();
    while (attempts.length < 2) await new Promise((r) => setTimeout(r, 10));
    await using second = spawnDeno("uds_server.ts", [path]);
    await second.expect("listening ");
    // The attempt that succeeds is published once open() returned.
    while (attempts.at(-1)?.error !== undefined) await new Promise((r) => setTimeout(r, 10));
    assert.equal(client.state, "ready");
    assert.deepEqual(opened.map((o) => o.side), ["client", "client"]);
    assert.equal(closed[0]!.side, "client");
    assert.ok(closed[0]!.reason instanceof Error, "the lost connection has a reason");
    const last = attempts[attempts.length - 1];
    assert.equal(last?.error, undefined);
    assert.ok(attempts.slice(0, -1).every((a) => a.error instanceof Error));
    assert.deepEqual(attempts.map((a) => a.attempt), attempts.map((_, i) => i + 1));
    await client.close();
    await second.send("shutdown");
    await second.expect("finished");
  },
);

ipcTest(
  "diagnostics: a queue receive and a Channel receive that sleep are published",
  async (_t, scope) => {
    const mqWaits = collect<WaitMessage>(scope, channels.mqWait);
    const channelWaits = collect<WaitMessage>(scope, channels.channelWait);
    const queue = scope.name("diag_mq", MessageQueue.unlink);
    using q = MessageQueue.open(queue, { create: true });
    const received = q.receive({ signal: AbortSignal.timeout(10_000) });
    assert.equal((await ipc("mq", "send", queue, "late")).code, 0);
    assert.equal(new TextDecoder().decode((await received).data), "late");
    assert.deepEqual(mqWaits, [{ name: `/${queue}`, operation: "receive" }]);

    const name = scope.name("diag_ch", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    const message = ch.receive({ signal: AbortSignal.timeout(10_000) });
    await using producer = spawnDeno("shm_peer.ts", ["produce", name, "1"]);
    assert.ok((await message).length >= 8);
    assert.ok(channelWaits.length >= 1);
    assert.deepEqual(channelWaits[0], { name: `/${name}`, operation: "receive" });
    // Counters, read without a subscription: this handle received one message.
    assert.deepEqual(
      [ch.stats.messagesReceived, ch.stats.bytesReceived, ch.stats.messagesSent],
      [1, (await message).length, 0],
    );
    await producer.status();
  },
);

ipcTest(
  "diagnostics: Client events are typed (no cast for a notification's method)",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/typed.sock`;
    await using server = spawnDeno("uds_server.ts", [path]);
    await server.expect("listening ");
    const seen: string[] = [];
    {
      await using client = await connect({ path });
      client.addEventListener("notification", (e) => seen.push(`${e.method} ${e.text()}`));
      await client.request("notify-me", "2");
    }
    assert.deepEqual(seen, ["tick 0", "tick 1"]);
    await server.send("shutdown");
    await server.expect("finished");
  },
);
