// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { onSignal, sendSignal, signals } from "../../signals/mod.ts";
import { ipcTest, spawnDeno } from "../_helpers/mod.ts";

ipcTest(
  "onSignal: dispose removes the listener in a real child (the plain one still fires)",
  async () => {
    await using child = spawnDeno("signals_child.ts", ["listen"]);
    await child.expect("ready");
    sendSignal(child.pid, "SIGUSR1");
    assert.deepEqual(
      new Set([await child.line(), await child.line()]),
      new Set(["plain SIGUSR1", "got SIGUSR1"]),
    );
    await child.send("dispose");
    assert.equal(await child.line(), "disposed true");
    sendSignal(child.pid, "SIGUSR1");
    assert.equal(await child.line(), "plain SIGUSR1");
    await child.closeStdin();
    assert.equal((await child.status()).code, 0);
    assert.doesNotMatch(child.stderr, /got SIGUSR1/);
  },
);

ipcTest("signals: a child iterates SIGHUP, SIGUSR2 and stops listening on break", async () => {
  await using child = spawnDeno("signals_child.ts", ["iterate"]);
  await child.expect("ready");
  sendSignal(child.pid, "SIGHUP");
  assert.equal(await child.line(), "SIGHUP");
  sendSignal(child.pid, "SIGUSR2");
  assert.equal(await child.line(), "SIGUSR2");
  assert.equal(await child.line(), "done closed=true");
  // The iterator kept the child alive while it waited, and let it exit after break.
  assert.equal((await child.status()).code, 0);
});

ipcTest(
  "signals: in-process delivery, buffering, and every listener removed (sanitizers)",
  async () => {
    const stream = signals(["SIGWINCH", "SIGURG"]);
    Deno.kill(Deno.pid, "SIGWINCH");
    assert.deepEqual(await stream.next(), { value: "SIGWINCH", done: false });
    const pending = stream.next();
    stream.close();
    assert.deepEqual(await pending, { value: undefined, done: true });
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
    assert.equal(stream.closed, true);
  },
);

ipcTest(
  "signals: abort rejects a pending next() with the reason and ends the iteration",
  async () => {
    const controller = new AbortController();
    const stream = signals(["SIGURG"], { signal: controller.signal });
    const pending = stream.next();
    const reason = new Error("enough");
    controller.abort(reason);
    await assert.rejects(pending, (err) => err === reason);
    assert.deepEqual(await stream.next(), { value: undefined, done: true });
    // Already aborted: the first next() rejects, nothing is listened to.
    const early = signals(["SIGURG"], { signal: AbortSignal.abort(reason) });
    assert.equal(early.closed, true);
    await assert.rejects(early.next(), (err) => err === reason);
    // An abort with nobody waiting is reported by the next call.
    const c2 = new AbortController();
    const later = signals(["SIGURG"], { signal: c2.signal });
    c2.abort(reason);
    await assert.rejects(later.next(), (err) => err === reason);
  },
);

ipcTest("signals: for await with break, and `using` disposal", async () => {
  {
    using stream = signals(["SIGWINCH"]);
    Deno.kill(Deno.pid, "SIGWINCH");
    for await (const name of stream) {
      assert.equal(name, "SIGWINCH");
      break;
    }
    assert.equal(stream.closed, true);
  }
  let outer;
  {
    using sub = onSignal("SIGWINCH", () => {});
    outer = sub;
    assert.equal(sub.closed, false);
  }
  assert.equal(outer.closed, true);
});

ipcTest("onSignal/signals: bad input", () => {
  assert.throws(() => onSignal("SIGKILL", () => {}), TypeError);
  assert.throws(() => onSignal("SIGSTOP", () => {}), TypeError);
  assert.throws(() => onSignal("SIGSEGV", () => {}), TypeError);
  assert.throws(() => onSignal("SIGBOGUS" as "SIGHUP", () => {}), TypeError);
  assert.throws(() => onSignal("SIGRTMIN+1", () => {}), Deno.errors.NotSupported);
  assert.throws(() => onSignal(40, () => {}), Deno.errors.NotSupported);
  assert.throws(() => onSignal(99, () => {}), RangeError);
  assert.throws(() => onSignal("SIGHUP", "nope" as unknown as () => void), TypeError);
  assert.throws(() => signals([]), TypeError);
  assert.throws(() => signals("SIGHUP" as unknown as ["SIGHUP"]), TypeError);
  assert.throws(() => signals(["SIGHUP", "SIGKILL"]), TypeError);
  // Aliases resolve to the canonical name Deno knows.
  using sub = onSignal("SIGPOLL", () => {});
  assert.equal(sub.closed, false);
});

ipcTest("signals: a bad abort option throws without leaving listeners behind", async () => {
  await using child = spawnDeno("../signals/_listen_child.ts", ["bad-abort"]);
  assert.equal(await child.line(), "TypeError");
  assert.equal(await child.line(), "ready");
  sendSignal(child.pid, "SIGUSR2");
  // No listener left: SIGUSR2's default action ends the child. (Not SIGUSR1:
  // unhandled, it makes a Deno process that has run ~1 s start its inspector.)
  assert.equal((await child.status()).signal, "SIGUSR2");
});

ipcTest("onSignal: a name that is no signal is a TypeError, even one starting SIGRT", () => {
  for (const name of ["SIGRTX", "SIGRT", "SIGRTMIN+x", "SIGRTMAXX"]) {
    assert.throws(() => onSignal(name as "SIGHUP", () => {}), TypeError, name);
    assert.throws(() => signals([name as "SIGHUP"]), TypeError, name);
  }
  assert.throws(() => onSignal(1.5, () => {}), TypeError);
  // Real realtime names are still refused as NotSupported.
  assert.throws(() => onSignal("SIGRTMAX-2", () => {}), Deno.errors.NotSupported);
  assert.throws(() => onSignal("SIGRTMIN", () => {}), Deno.errors.NotSupported);
});
