// Copyright 2026 the @ipc/linux authors. MIT license.
// The client in this process against a server in another process.
import assert from "node:assert/strict";
import { ipcTest } from "../_helpers/mod.ts";
import {
  type Client,
  type ClientState,
  connect,
  ConnectionClosedError,
  ErrorCode,
  type NotificationEvent,
  RemoteError,
} from "../../uds/mod.ts";
import { serverPeer } from "./_server_peer.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Wait for the client's "statechange" events until it is in `state` (10 s at most). */
async function stateReached(client: Client, state: ClientState): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the client never became ${state}`)), 10_000);
  });
  try {
    while (client.state !== state) {
      await Promise.race([
        new Promise((resolve) => client.addEventListener("statechange", resolve, { once: true })),
        late,
      ]);
    }
  } finally {
    clearTimeout(timer);
  }
}

ipcTest(
  "uds client: many requests in flight are answered out of order and matched",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await serverPeer(path);
    await using client = await connect({ path });
    const slow = client.request("sleep", "300");
    const fast = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.request("echo", `${i}`)),
    );
    assert.deepEqual(fast.map(text), Array.from({ length: 50 }, (_, i) => `${i}`));
    assert.equal(client.inFlight, 1);
    assert.equal(text(await slow), "slept");
    assert.ok(await client.ping() >= 0);
  },
);

ipcTest(
  "uds client: requests on three connections, answered out of order, each get their own reply",
  async (_t, scope) => {
    // One client process reading three connections (their read loops share
    // one frames array), each with requests whose answers overtake one
    // another (request tables with more than one entry, then one, then more).
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await serverPeer(path);
    const clients = await Promise.all([0, 1, 2].map(() => connect({ path })));
    try {
      for (let round = 0; round < 3; round++) {
        const calls = clients.flatMap((client, c) =>
          Array.from({ length: 20 }, (_, i) => {
            const slow = (i + c + round) % 4 === 0;
            const want = slow ? "slept" : `${c}:${i}:${"x".repeat(i * 7)}`;
            const reply = slow
              ? client.request("sleep", String((i * 5 + c) % 13))
              : client.request("echo", want);
            return reply.then((bytes) => assert.equal(text(bytes), want));
          })
        );
        await Promise.all(calls);
        for (const client of clients) assert.equal(client.inFlight, 0);
      }
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  },
);

ipcTest(
  "uds client: a handler that throws gives a RemoteError with its message",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await serverPeer(path);
    await using client = await connect({ path });
    await assert.rejects(client.request("throw", "x"), (err) => {
      assert.ok(err instanceof RemoteError);
      assert.equal(err.code, ErrorCode.HANDLER_ERROR);
      assert.equal(err.message, "boom: x");
      return true;
    });
    await assert.rejects(client.request("app-error"), { name: "RemoteError", code: 4001 });
    await assert.rejects(client.request("nope"), { code: ErrorCode.UNKNOWN_METHOD });
    // The connection survives handler errors.
    assert.equal(text(await client.request("echo", "still here")), "still here");
  },
);

ipcTest(
  "uds client: cancelling an in-flight request aborts the server's handler",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using server = await serverPeer(path);
    await using client = await connect({ path });
    const ac = new AbortController();
    const pending = client.request("sleep", "30000", { signal: ac.signal });
    await client.request("echo", "sync"); // the sleep request has reached the handler
    ac.abort(new Error("user gave up"));
    await assert.rejects(pending, { message: "user gave up" });
    assert.equal(await server.expect("aborted"), "aborted 30000");
    await assert.rejects(
      client.request("echo", "x", { signal: AbortSignal.abort(new Error("already")) }),
      { message: "already" },
    );
    assert.equal(text(await client.request("echo", "after")), "after");
  },
);

ipcTest(
  "uds client: server shutdown with requests in flight answers every one",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using server = await serverPeer(path);
    await using client = await connect({ path });
    const inflight = Array.from(
      { length: 20 },
      (_, i) => client.request("sleep", `${100 + i * 10}`),
    );
    await client.request("echo", "sync");
    await server.send("shutdown");
    const results = await Promise.allSettled(inflight);
    assert.deepEqual(
      results.map((r) => r.status === "fulfilled" && text(r.value)),
      Array(20).fill("slept"),
    );
    // New requests after GOODBYE reject clearly instead of vanishing.
    await assert.rejects(client.request("echo", "late"), ConnectionClosedError);
    await server.expect("finished");
    assert.equal((await server.status()).code, 0);
    await assert.rejects(Deno.lstat(path), Deno.errors.NotFound); // socket file removed
  },
);

ipcTest("uds client: notifications flow both ways", async (_t, scope) => {
  const path = `${await scope.tempDir()}/s.sock`;
  await using server = await serverPeer(path);
  await using client = await connect({ path });
  const got: string[] = [];
  client.addEventListener("notification", (e) => got.push((e as NotificationEvent).text()));
  assert.equal(text(await client.request("notify-me", "3")), "done");
  assert.deepEqual(got, ["0", "1", "2"]);
  await server.send("broadcast news hello");
  await server.expect("broadcasted");
  await client.ping();
  assert.deepEqual(got, ["0", "1", "2", "hello"]);
  await client.notify("log", "from client");
  assert.equal(await server.expect("notified"), "notified log from client");
});

ipcTest(
  "uds client: reconnect after the server dies never resends a request",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    const first = await serverPeer(path, "--log");
    scope.defer(() => first[Symbol.asyncDispose]());
    await using client = await connect({ path, reconnect: { initialDelay: 20, maxDelay: 100 } });
    const states: string[] = [];
    client.addEventListener("statechange", () => states.push(client.state));
    const doomed = client.request("sleep", "30000");
    assert.equal(await first.expect("got sleep"), "got sleep 30000");
    first.kill("SIGKILL");
    await assert.rejects(doomed, (err) => {
      assert.ok(err instanceof ConnectionClosedError);
      assert.match(err.message, /not resent/);
      return true;
    });
    await first.status();
    // A new server replaces the stale socket file; the client finds it.
    await using second = await serverPeer(path, "--log");
    assert.equal(text(await client.request("echo", "fresh")), "fresh");
    assert.equal(await second.line(), "got echo fresh"); // and nothing else was sent
    assert.deepEqual(states.slice(0, 2), ["reconnecting", "ready"]);
    await client.close();
    assert.equal(client.state, "closed");
    await second.send("shutdown");
    await second.expect("finished");
    assert.equal((await second.status()).code, 0);
    await first.closeStdin();
  },
);

ipcTest(
  "uds client: without reconnect a lost server rejects in-flight requests and closes",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using server = await serverPeer(path);
    await using client = await connect({ path });
    const pending = client.request("sleep", "30000");
    await client.request("echo", "sync");
    server.kill("SIGKILL");
    await assert.rejects(pending, ConnectionClosedError);
    await server.status();
    assert.equal(client.state, "closed");
    await assert.rejects(client.request("echo", "x"), ConnectionClosedError);
  },
);

ipcTest(
  "uds client: a request over the server's maxFrameSize is a RangeError",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await serverPeer(path, "--max-frame", "4096");
    await using client = await connect({ path });
    await assert.rejects(client.request("echo", new Uint8Array(5000)), RangeError);
    await assert.rejects(client.request("", "x"), RangeError);
    assert.equal((await client.request("echo", new Uint8Array(4000))).length, 4000);
  },
);

ipcTest(
  "uds client: a response over the client's maxFrameSize becomes RESPONSE_TOO_LARGE",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using _server = await serverPeer(path);
    await using client = await connect({ path, maxFrameSize: 4096 });
    await assert.rejects(client.request("echo", new Uint8Array(5000)), (err) => {
      assert.ok(err instanceof RemoteError);
      assert.equal(err.code, ErrorCode.RESPONSE_TOO_LARGE);
      return true;
    });
    assert.equal((await client.request("echo", new Uint8Array(4000))).length, 4000);
  },
);

ipcTest(
  "uds client: a request that waits for reconnection removes its abort listener once sent",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    const first = await serverPeer(path);
    scope.defer(() => first[Symbol.asyncDispose]());
    await using client = await connect({ path, reconnect: { initialDelay: 20, maxDelay: 100 } });
    first.kill("SIGKILL");
    await first.status();
    await stateReached(client, "reconnecting");
    // Record the abort listeners the request adds and removes on its signal.
    const signal = new AbortController().signal;
    const live = new Set<unknown>();
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (type: string, fn: unknown, options?: unknown) => {
      live.add(fn);
      add(type, fn as EventListener, options as AddEventListenerOptions);
    };
    signal.removeEventListener = (type: string, fn: unknown, options?: unknown) => {
      live.delete(fn);
      remove(type, fn as EventListener, options as EventListenerOptions);
    };
    const waiting = client.request("echo", "after reconnect", { signal });
    await using second = await serverPeer(path);
    assert.equal(text(await waiting), "after reconnect");
    assert.equal(live.size, 0, "every abort listener the request added was removed");
    await client.close();
    await second.send("shutdown");
    await second.expect("finished");
    await first.closeStdin();
  },
);

ipcTest(
  "uds client: a server that drops every handshake while the client reconnects sees one attempt at a time",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    const first = await serverPeer(path);
    scope.defer(() => first[Symbol.asyncDispose]());
    const delay = 10;
    const client = await connect({
      path,
      reconnect: { initialDelay: delay, maxDelay: delay, maxAttempts: 1_000_000 },
    });
    first.kill("SIGKILL");
    await first.status();
    await stateReached(client, "reconnecting");
    // In its place, a listener that accepts every connection and closes it
    // before the handshake: every attempt fails, and each failure must not
    // start another reconnection loop next to the one already running.
    await Deno.remove(path);
    const listener = Deno.listen({ transport: "unix", path });
    let attempts = 0;
    const accepting = (async () => {
      for await (const conn of listener) {
        attempts++;
        conn.close();
      }
    })();
    const start = performance.now();
    await new Promise((r) => setTimeout(r, 400));
    const elapsed = performance.now() - start;
    // One loop makes at most one attempt per `delay` ms.
    assert.ok(attempts > 0, "the client kept trying");
    assert.ok(
      attempts <= elapsed / delay + 2,
      `${attempts} attempts in ${elapsed.toFixed(0)} ms: more than one reconnection loop`,
    );
    assert.equal(client.state, "reconnecting");
    // Closed by the user: the waiting request says so (not "gave up reconnecting").
    // (Its handler is attached before close() rejects it.)
    const waiting = assert.rejects(client.request("echo", "never sent"), (err) => {
      assert.ok(err instanceof ConnectionClosedError);
      assert.equal(err.message, "The client is closed");
      return true;
    });
    await client.close();
    assert.equal(client.state, "closed");
    await waiting;
    const after = attempts;
    await new Promise((r) => setTimeout(r, 5 * delay));
    assert.equal(attempts, after, "no attempt after close()");
    listener.close();
    await accepting;
  },
);

ipcTest(
  "uds client: with reconnect, a request made after the server's GOODBYE waits for the next server",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    const first = await serverPeer(path, "--log");
    scope.defer(() => first[Symbol.asyncDispose]());
    await using client = await connect({ path, reconnect: { initialDelay: 20, maxDelay: 50 } });
    // A request in flight keeps the first server draining after its GOODBYE.
    // (Each promise is observed at once: if an assertion fails first, its
    // rejection must not be reported unhandled, hiding the real failure.)
    const inFlight = client.request("sleep", "300").then(text, (err) => err);
    // The server must have it before its GOODBYE, or it answers SHUTTING_DOWN.
    await first.expect("got sleep");
    const closing = new Promise((resolve) =>
      client.addEventListener("statechange", () => client.state === "closing" && resolve(null))
    );
    await first.send("shutdown");
    await closing;
    // A rolling restart: this request waits for the next server instead of failing.
    const next = client.request("echo", "to the next server").then(text, (err) => err);
    assert.equal(await inFlight, "slept");
    await first.expect("finished");
    await first.status();
    await using second = await serverPeer(path);
    assert.equal(await next, "to the next server");
    await client.close();
    await second.send("shutdown");
    await second.expect("finished");
  },
);

ipcTest(
  "uds client: a method with a lone surrogate is a TypeError, and nothing is sent",
  async (_t, scope) => {
    const path = `${await scope.tempDir()}/s.sock`;
    await using server = await serverPeer(path, "--log");
    await using client = await connect({ path });
    await assert.rejects(client.request("echo\uD83D", "x"), TypeError);
    await assert.rejects(client.notify("\uDE00", "x"), TypeError);
    // A well-formed astral character is fine, and the connection is intact.
    assert.equal(text(await client.request("echo", "after \u{1F600}")), "after \u{1F600}");
    assert.equal(await server.line(), "got echo after \u{1F600}"); // nothing else arrived
    await client.close();
    await server.send("shutdown");
    await server.expect("finished");
  },
);
