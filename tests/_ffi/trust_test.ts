// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Squatted and malformed objects (see _ffi/trust.ts). /dev/shm is
 * world-writable and queue names are global: another process, of another
 * uid, may create any name first. Each case prepares what the "attacker"
 * left, then a separate Deno process opens and uses it: it must get a clear
 * error (InvalidData, PermissionDenied naming the owner), never die of a
 * signal. Objects of "another uid" are made by chowning (the suite runs as
 * root; those cases are skipped otherwise).
 */
import assert from "node:assert/strict";
import { Channel, Semaphore, SharedMemory } from "../../shm/mod.ts";
import { MessageQueue } from "../../mq/mod.ts";
import { ipcTest, run, runDeno, type Scope, spawnDeno } from "../_helpers/mod.ts";

const OTHER_UID = 12345;
const ROOT = Deno.uid() === 0;
const SQUATTER = new URL("../fixtures/squatter.py", import.meta.url).pathname;

interface Outcome {
  ok?: boolean;
  error?: string;
  message?: string;
  code?: string;
  [key: string]: unknown;
}

/** Open (and use) `name` as `kind` in a fresh Deno process; it must exit normally. */
async function attempt(kind: string, name: string, options: object = {}): Promise<Outcome> {
  const r = await runDeno("open_object.ts", [kind, name, JSON.stringify(options)]);
  assert.equal(r.code, 0, `the opener died (exit code ${r.code}): ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

async function squat(...args: string[]): Promise<void> {
  const r = await run("python3", [SQUATTER, ...args]);
  assert.equal(r.stdout.trim(), "done", r.stderr);
}

/** A path in /dev/shm removed (whatever it holds) when the test ends. */
function shmPath(scope: Scope, file: string): string {
  const path = `/dev/shm/${file}`;
  scope.defer(() => Deno.remove(path, { recursive: true }).catch(() => {}));
  return path;
}

function assertRefused(out: Outcome, error: string, ...parts: (string | RegExp)[]): void {
  assert.equal(out.error, error, JSON.stringify(out));
  for (const part of parts) {
    if (typeof part === "string") assert.ok(out.message!.includes(part), out.message);
    else assert.match(out.message!, part);
  }
}

ipcTest(
  "trust: an empty file in place of a semaphore is InvalidData, not SIGBUS",
  async (_t, scope) => {
    const name = scope.name("trust_sem0");
    Deno.writeFileSync(shmPath(scope, `sem.${name}`), new Uint8Array(0));
    for (const kind of ["create-semaphore", "semaphore"]) {
      assertRefused(await attempt(kind, name), "InvalidData", `semaphore "/${name}"`, "size 0");
    }
  },
);

ipcTest(
  "trust: a text file in place of a semaphore is InvalidData, not an abort",
  async (_t, scope) => {
    const name = scope.name("trust_semtxt");
    const path = shmPath(scope, `sem.${name}`);
    Deno.writeTextFileSync(path, "x".repeat(63) + "\n");
    assertRefused(
      await attempt("create-semaphore", name),
      "InvalidData",
      `semaphore "/${name}"`,
      "not a process-shared semaphore",
    );
    // Right size and flag, but a value no semaphore can hold.
    const words = new Uint8Array(32);
    new DataView(words.buffer).setUint32(0, 0xffff_ffff, true);
    new DataView(words.buffer).setInt32(8, 128, true);
    Deno.writeFileSync(path, words);
    assertRefused(await attempt("semaphore", name), "InvalidData", "value 4294967295");
  },
);

ipcTest(
  "trust: a directory or a symbolic link in place of a semaphore is InvalidData",
  async (_t, scope) => {
    const name = scope.name("trust_semdir");
    const path = shmPath(scope, `sem.${name}`);
    Deno.mkdirSync(path);
    assertRefused(await attempt("create-semaphore", name), "InvalidData", "a directory");
    Deno.removeSync(path);
    // A link to a good semaphore of ours: still refused (O_NOFOLLOW), the link is not the object.
    const target = scope.name("trust_semtarget", Semaphore.unlink);
    Semaphore.open(target, { create: true, value: 3 }).close();
    Deno.symlinkSync(`/dev/shm/sem.${target}`, path);
    assertRefused(await attempt("semaphore", name), "InvalidData", "a symbolic link");
  },
);

ipcTest("trust: a semaphore C's sem_open made (this uid) opens and works", async (_t, scope) => {
  const name = scope.name("trust_semok", Semaphore.unlink);
  await squat("semaphore", `/${name}`, String(Deno.uid()), "5");
  const out = await attempt("create-semaphore", name);
  assert.deepEqual(out, { ok: true, value: 5, took: true });
});

ipcTest(
  "trust: another uid's semaphore is refused, naming the owner; allowOtherOwner trusts it",
  async (_t, scope) => {
    const name = scope.name("trust_semuid", Semaphore.unlink);
    await squat("semaphore", `/${name}`, String(OTHER_UID), "7");
    const refused = await attempt("create-semaphore", name);
    assertRefused(
      refused,
      "PermissionDenied",
      `semaphore "/${name}"`,
      `uid ${OTHER_UID}`,
      "allowOtherOwner",
    );
    const trusted = await attempt("semaphore", name, { allowOtherOwner: true });
    assert.deepEqual(trusted, { ok: true, value: 7, took: true });
  },
  { ignore: !ROOT },
);

ipcTest(
  "trust: another uid's shared memory is refused, naming the owner; allowOtherOwner trusts it",
  async (_t, scope) => {
    const name = scope.name("trust_shmuid", SharedMemory.unlink);
    SharedMemory.create(name, { size: 64, mode: 0o666 }).close();
    Deno.chownSync(`/dev/shm/${name}`, OTHER_UID, OTHER_UID);
    assertRefused(
      await attempt("shm", name),
      "PermissionDenied",
      `shared memory "/${name}"`,
      `uid ${OTHER_UID}`,
    );
    assert.deepEqual(await attempt("shm", name, { allowOtherOwner: true }), {
      ok: true,
      size: 64,
      first: 0,
      copy: 64,
    });
  },
  { ignore: !ROOT },
);

ipcTest(
  "trust: a zero-length shared memory object opens and is empty, nothing crashes",
  async (_t, scope) => {
    const name = scope.name("trust_shm0");
    Deno.writeFileSync(shmPath(scope, name), new Uint8Array(0));
    assert.deepEqual(await attempt("shm", name), { ok: true, size: 0, copy: 0 });
    using shm = SharedMemory.open(name);
    assert.equal(shm.bytes.length, 0);
    assert.equal(shm.bytes[0], undefined);
    assert.throws(() => shm.read(0, 1), RangeError);
    assert.throws(() => shm.write(new Uint8Array(1)), RangeError);
  },
);

ipcTest(
  "trust: a directory or a symbolic link in place of shared memory is InvalidData",
  async (_t, scope) => {
    const name = scope.name("trust_shmdir");
    const path = shmPath(scope, name);
    Deno.mkdirSync(path);
    assertRefused(await attempt("shm", name), "InvalidData", `shared memory "/${name}"`);
    assertRefused(
      await attempt("shm", name, { readOnly: true }),
      "InvalidData",
      "not a regular file",
    );
    Deno.removeSync(path);
    const target = scope.name("trust_shmtarget", SharedMemory.unlink);
    SharedMemory.create(target, { size: 16 }).close();
    Deno.symlinkSync(`/dev/shm/${target}`, path);
    assertRefused(await attempt("shm", name), "InvalidData", "a symbolic link");
  },
);

ipcTest(
  "trust: garbage, empty or foreign-version channel headers are InvalidData",
  async (_t, scope) => {
    const name = scope.name("trust_chbad");
    const path = shmPath(scope, name);
    Deno.writeFileSync(path, new Uint8Array(0));
    assertRefused(await attempt("channel", name), "InvalidData", `channel "/${name}"`, "size 0");
    Deno.writeFileSync(path, crypto.getRandomValues(new Uint8Array(8192)));
    assertRefused(await attempt("channel", name), "InvalidData", "bad magic");
    Deno.removeSync(path);
    Channel.create(name, { capacity: 4096 }).close();
    using file = Deno.openSync(path, { write: true });
    file.seekSync(4, Deno.SeekMode.Start);
    file.writeSync(new Uint8Array([1, 0, 0, 0])); // layout version 1 (an earlier release)
    assertRefused(await attempt("channel", name), "InvalidData", "layout version 1");
    Deno.removeSync(path);
    Channel.create(name, { capacity: 4096 }).close();
    Deno.truncateSync(path, 512 + 8192); // the header says 4096 bytes of ring
    assertRefused(await attempt("channel", name), "InvalidData", "does not match its size 8704");
    Deno.symlinkSync(path, `${path}_link`);
    shmPath(scope, `${name}_link`);
    assertRefused(await attempt("channel", `${name}_link`), "InvalidData", "a symbolic link");
  },
);

ipcTest(
  "trust: another uid's channel is refused, naming the owner; allowOtherOwner trusts it",
  async (_t, scope) => {
    const name = scope.name("trust_chuid", Channel.unlink);
    Channel.create(name, { capacity: 4096, mode: 0o666 }).close();
    Deno.chownSync(`/dev/shm/${name}`, OTHER_UID, OTHER_UID);
    assertRefused(
      await attempt("channel", name),
      "PermissionDenied",
      `channel "/${name}"`,
      `uid ${OTHER_UID}`,
    );
    assert.deepEqual(await attempt("channel", name, { allowOtherOwner: true }), {
      ok: true,
      capacity: 4096,
      received: 7,
    });
  },
  { ignore: !ROOT },
);

ipcTest(
  "trust: another uid's message queue is refused, naming the owner; allowOtherOwner trusts it",
  async (_t, scope) => {
    const name = scope.name("trust_mquid", MessageQueue.unlink);
    await squat("queue", `/${name}`, String(OTHER_UID));
    assertRefused(
      await attempt("queue", name, { create: true }),
      "PermissionDenied",
      `queue "/${name}"`,
      `uid ${OTHER_UID}`,
    );
    const trusted = await attempt("queue", name, { create: true, allowOtherOwner: true });
    assert.equal(trusted.ok, true, JSON.stringify(trusted));
  },
  { ignore: !ROOT },
);

ipcTest(
  "trust: a peer that shrinks shared memory others may write: read/readInto/write throw, the raw view dies (SIGBUS)",
  async (_t, scope) => {
    const name = scope.name("trust_trunc", SharedMemory.unlink);
    using shm = SharedMemory.create(name, { size: 4096 });
    shm.bytes[0] = 42;
    Deno.chmodSync(`/dev/shm/${name}`, 0o666); // now any user may write it, and shrink it
    await using holder = spawnDeno("open_object.ts", ["shm-hold", name]);
    assert.equal(await holder.line(), "ready");
    await squat("truncate", `/dev/shm/${name}`);
    await holder.send("go");
    for (const what of ["read", "readInto", "write"]) {
      assert.match(
        await holder.line(),
        new RegExp(
          `^${what} InvalidData: Cannot (read|write) shared memory "/${name}": only 0 of bytes 0\\+16 are left`,
        ),
      );
    }
    const status = await holder.status();
    assert.equal(status.signal, "SIGBUS", `exit ${status.code}`);
  },
);

ipcTest(
  "trust: shared memory only this uid may write is copied through the mapping (a same-uid shrink is SIGBUS)",
  async (_t, scope) => {
    // Mode 0o600 and our own uid: only this uid can shrink it, and it could
    // kill us anyway; read/write keep the fast path through the mapping.
    const name = scope.name("trust_trunc_own", SharedMemory.unlink);
    using _shm = SharedMemory.create(name, { size: 4096 });
    await using holder = spawnDeno("open_object.ts", ["shm-hold", name]);
    assert.equal(await holder.line(), "ready");
    await squat("truncate", `/dev/shm/${name}`);
    await holder.send("go");
    const status = await holder.status();
    assert.equal(status.signal, "SIGBUS", `exit ${status.code}`);
  },
);

ipcTest("trust: allowOtherOwner must be a boolean, checked before any syscall", (_t, scope) => {
  const name = scope.name("trust_type");
  const bad = { allowOtherOwner: "yes" } as unknown as { allowOtherOwner: boolean };
  assert.throws(() => SharedMemory.open(name, bad), TypeError);
  assert.throws(() => Channel.open(name, bad), TypeError);
  assert.throws(() => Semaphore.open(name, bad), TypeError);
  assert.throws(() => MessageQueue.open(name, bad), TypeError);
});
