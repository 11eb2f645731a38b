// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { realtimeRange, signalName, signalNumber } from "../../signals/mod.ts";
import { ipcTest, run } from "../_helpers/mod.ts";

ipcTest("names: every signal number round-trips through its name", () => {
  const { min, max } = realtimeRange();
  assert.ok(min >= 32 && max === 64, `unexpected realtime range ${min}–${max}`);
  for (let n = 1; n <= 64; n++) {
    if (n > 31 && n < min) {
      assert.throws(() => signalName(n), RangeError);
      continue;
    }
    assert.equal(signalNumber(signalName(n)), n);
  }
  assert.equal(signalName(min), "SIGRTMIN");
  assert.equal(signalName(min + 1), "SIGRTMIN+1");
  assert.equal(signalName(max - 1), "SIGRTMAX-1");
  assert.equal(signalNumber("SIGIOT"), 6);
  assert.equal(signalNumber("SIGPOLL"), 29);
});

ipcTest("names: the realtime range matches what Python's C library reports", async () => {
  const out = await run("python3", [
    "-c",
    "import signal; print(signal.SIGRTMIN, signal.SIGRTMAX)",
  ]);
  const { min, max } = realtimeRange();
  assert.equal(out.stdout.trim(), `${min} ${max}`);
});

ipcTest("names: bad names and numbers", () => {
  for (const bad of ["", "TERM", "SIGterm", "SIGRTMIN+", "SIGRTMIN+x", "toString", "__proto__"]) {
    assert.throws(() => signalNumber(bad as "SIGHUP"), TypeError, bad);
  }
  assert.throws(() => signalNumber("SIGRTMIN+1000" as "SIGRTMIN"), TypeError); // > 3 digits
  assert.throws(() => signalNumber("SIGRTMAX-31"), RangeError);
  assert.throws(() => signalNumber(0), RangeError);
  assert.throws(() => signalNumber(NaN), TypeError);
  assert.throws(() => signalNumber({} as unknown as number), TypeError);
  assert.throws(() => signalName(65), RangeError);
});

ipcTest("names: signalName refuses a name instead of garbling it into a realtime name", () => {
  for (const bad of ["SIGTERM", "SIGIOT", "SIGRTMIN+2", "15", 15n, null]) {
    assert.throws(() => signalName(bad as unknown as number), TypeError, String(bad));
  }
});
