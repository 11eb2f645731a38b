// Copyright 2026 the @ipc/linux authors. MIT license.
// Channel waits that end early (abort, close) settle only once the shared futex call returned.
import assert from "node:assert/strict";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { Channel } from "../../shm/mod.ts";
import { channels, type WaitMessage } from "../../diagnostics.ts";
import {
  futexCallPending,
  futexWaitDeadlines,
  monotonicMs,
  pendingFutexWaits,
} from "../../_ffi/futex.ts";
import { RACE_MS } from "../../shm/_ring_core.ts";
import { ipcTest, type Scope, spawnDeno, spawnPython } from "../_helpers/mod.ts";
import { checkMessage } from "../fixtures/shm_messages.ts";

ipcTest(
  "channel wait: an aborted receive or send rejects only after the shared futex call returned",
  async (_t, scope) => {
    const name = scope.name("chw_abort", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    await assert.rejects(
      ch.receive({ signal: AbortSignal.timeout(30) }),
      (err: Error) => err.name === "TimeoutError",
    );
    assert.equal(futexCallPending(), false, "a native call outlived the aborted receive");
    while (ch.trySend(new Uint8Array(100)));
    await assert.rejects(
      ch.send(new Uint8Array(100), { signal: AbortSignal.timeout(30) }),
      (err: Error) => err.name === "TimeoutError",
    );
    assert.equal(futexCallPending(), false, "a native call outlived the aborted send");
    assert.equal(pendingFutexWaits(), 0);
  },
);

ipcTest(
  "channel wait: close rejects a sleeping receive only after the shared futex call returned",
  async (_t, scope) => {
    const name = scope.name("chw_close", Channel.unlink);
    const ch = Channel.create(name, { capacity: 4096 });
    const pending = ch.receive();
    await new Promise((r) => setTimeout(r, 30));
    ch.close();
    await assert.rejects(pending, Deno.errors.BadResource);
    assert.equal(futexCallPending(), false, "a native call outlived the closed receive");
  },
);

/** One sleep of a wait, read as soon as the shared futex hub holds it. */
interface Sleep {
  /** Its deadline, CLOCK_MONOTONIC ms. */
  deadline: number;
  /** The time it had left then, in ms: at least what it was asked to sleep less a moment. */
  left: number;
}

/**
 * Record the sleeps of this process's Channel waits of `operation` (the
 * `channelWait` diagnostics are published just before each sleep; the hub
 * holds the wait a moment later, when a microtask reads its deadline).
 */
function watchSleeps(scope: Scope, operation: string): Sleep[] {
  const sleeps: Sleep[] = [];
  const listener = (message: unknown) => {
    if ((message as WaitMessage).operation !== operation) return;
    queueMicrotask(() => {
      const deadline = Math.max(...futexWaitDeadlines());
      sleeps.push({ deadline, left: deadline - monotonicMs() });
    });
  };
  subscribe(channels.channelWait, listener);
  scope.defer(() => unsubscribe(channels.channelWait, listener));
  return sleeps;
}

/**
 * Check the sleeps of a wait that a raw peer completed without any wake-up:
 * it changed a counter only once the WAITING flag was up, as a racing
 * publication looks, and reported when (`changed`, CLOCK_MONOTONIC ms, read
 * just after the change: the change came no later). The first sleep is
 * short (at most RACE_MS), and a change made before it ended is seen when
 * it ends: no second sleep. Whether the attempt proved that: a peer that
 * made its change only after the first sleep (descheduled on a loaded
 * machine) or before it began proves nothing, and the caller tries again.
 * Events are ordered on one clock; no duration of the test decides.
 */
function checkSleeps(sleeps: Sleep[], changed: number): boolean {
  if (sleeps.length === 0) return false; // changed before the re-check: nothing raced
  const first = sleeps[0]!;
  assert.ok(first.left <= RACE_MS, `first sleep with ${first.left} ms left, over ${RACE_MS}`);
  if (sleeps.length === 1) return true;
  assert.ok(
    changed >= first.deadline,
    `changed at ${changed} ms, before the first sleep ended at ${first.deadline}, yet slept again`,
  );
  return false;
}

/** Attempts of a race test before it gives up on a peer that keeps missing the first sleep. */
const ATTEMPTS = 20;

/** The CLOCK_MONOTONIC time a raw peer's report line ends with. */
const reported = (line: string): number => Number(line.split(" ")[1]);

/**
 * A publication racing with the consumer's sleep (its flag load ran before
 * the consumer's flag was visible, its store became visible only after the
 * consumer's re-check) wakes nobody. A raw Python peer publishes that way on
 * purpose, just after the flag rose: the receive sees the message when its
 * first sleep ends, and that sleep is short (see checkSleeps).
 */
ipcTest(
  "channel wait: a publication that missed the WAITING flag is received within the first short sleep",
  async (_t, scope) => {
    const sleeps = watchSleeps(scope, "receive");
    for (let attempt = 1;; attempt++) {
      const name = scope.name("chw_race", Channel.unlink);
      using ch = Channel.create(name, { capacity: 4096, spin: 0 });
      sleeps.length = 0;
      await using peer = spawnPython("shm_channel_raw.py", ["publish-silently", name]);
      await peer.expect("ready");
      // Nobody wakes this receive: only the end of one of its sleeps lets it see the message.
      const got = await ch.receive({ signal: AbortSignal.timeout(10_000) });
      const report = await peer.line();
      assert.match(report, /^published \d/);
      assert.equal(new TextDecoder().decode(got), "raced");
      assert.equal(ch.tryReceive(), undefined);
      if (checkSleeps(sleeps, reported(report))) return;
      assert.ok(attempt < ATTEMPTS, "the peer never published during the first sleep");
    }
  },
);

ipcTest(
  "channel wait: room freed without a wake-up lets a waiting send through within the first short sleep",
  async (_t, scope) => {
    const sleeps = watchSleeps(scope, "send");
    for (let attempt = 1;; attempt++) {
      const name = scope.name("chw_race_room", Channel.unlink);
      using ch = Channel.create(name, { capacity: 4096, spin: 0 });
      while (ch.trySend(new Uint8Array(1000)));
      sleeps.length = 0;
      await using peer = spawnPython("shm_channel_raw.py", ["free-silently", name]);
      await peer.expect("ready");
      await ch.send(new Uint8Array(1000), { signal: AbortSignal.timeout(10_000) });
      const report = await peer.line();
      assert.match(report, /^freed \d/);
      assert.equal(ch.stats.messagesSent, 5);
      if (checkSleeps(sleeps, reported(report))) return;
      assert.ok(attempt < ATTEMPTS, "the peer never freed room during the first sleep");
    }
  },
);

ipcTest(
  "channel wait: spinning trySend and tryReceiveInto on both sides of a 4 KiB ring carry 100,000 checked messages",
  async (_t, scope) => {
    // Mixed sizes up to 608 bytes in a 4 KiB ring: the ring is full and
    // wraps around all the time, and frames are split at its end.
    const name = scope.name("chw_spin", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    const count = 100_000;
    await using producer = spawnDeno("shm_peer.ts", ["produce-spin", name, String(count)]);
    assert.equal(await producer.line(), "ready");
    const buf = new Uint8Array(ch.maxMessageSize);
    const spin = { spin: 100_000 };
    for (let i = 0; i < count; i++) {
      let n = ch.tryReceiveInto(buf, spin);
      if (n < 0) n = await ch.receiveInto(buf, { signal: AbortSignal.timeout(10_000) });
      checkMessage(buf.subarray(0, n), i);
    }
    await assert.rejects(ch.receive(), Deno.errors.BrokenPipe);
    assert.equal(await producer.line(), "sent");
    assert.equal((await producer.status()).code, 0);
  },
);

ipcTest(
  "channel wait: trySend({ spin }) gives up on a full ring whose consumer died, and send says 'peer gone'",
  async (_t, scope) => {
    const name = scope.name("chw_spin_dead", Channel.unlink);
    using ch = Channel.create(name, { capacity: 4096 });
    await using consumer = spawnDeno("shm_peer.ts", ["sleepy-consumer", name]);
    assert.equal(await consumer.line(), "ready");
    while (ch.trySend(new Uint8Array(100)));
    consumer.kill("SIGKILL");
    await consumer.status();
    assert.equal(ch.trySend(new Uint8Array(100), { spin: 2000 }), false);
    await assert.rejects(
      ch.send(new Uint8Array(100), { signal: AbortSignal.timeout(10_000) }),
      (err) =>
        err instanceof Deno.errors.ConnectionReset && /consumer pid \d+ exited/.test(err.message),
    );
  },
);

ipcTest("channel wait: a bad spin of trySend is refused before anything is sent", (_t, scope) => {
  const name = scope.name("chw_spin_bad", Channel.unlink);
  using ch = Channel.create(name, { capacity: 4096 });
  assert.throws(() => ch.trySend(new Uint8Array(1), { spin: -1 }), RangeError);
  assert.throws(() => ch.trySend(new Uint8Array(1), { spin: 1.5 }), TypeError);
  assert.throws(() => ch.trySend(new Uint8Array(1), { spin: "5" as never }), TypeError);
  assert.equal(ch.stats.messagesSent, 0);
  assert.equal(ch.tryReceive(), undefined);
  assert.equal(ch.trySend(new Uint8Array([9]), { spin: 10 }), true);
  assert.deepEqual(ch.tryReceive(), new Uint8Array([9]));
});
