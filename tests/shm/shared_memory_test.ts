// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { Semaphore, SharedMemory } from "../../shm/mod.ts";
import { ipcTest, spawnDeno, spawnPython } from "../_helpers/mod.ts";

const text = new TextDecoder();
const encode = (s: string) => new TextEncoder().encode(s);

ipcTest(
  "shm: Python creates and writes, Deno reads the exact size and writes back, Python checks",
  async (_t, scope) => {
    const name = scope.name("psm", SharedMemory.unlink);
    await using py = spawnPython("shm_python.py", ["create", name, "1000"]);
    assert.equal(await py.line(), "ready");
    using shm = SharedMemory.open(name); // no leading slash, as Python names it
    assert.equal(shm.name, `/${name}`);
    assert.equal(shm.size, 1000); // exact, not page-rounded
    assert.equal(text.decode(shm.read(0, 11)), "from python");
    shm.write(encode("from deno!"), 100);
    await py.send("check");
    assert.equal(await py.line(), "ok");
    assert.equal(await py.line(), "unlinked");
    assert.equal((await py.status()).code, 0);
    // Our mapping outlives the name.
    assert.equal(text.decode(shm.read(100, 10)), "from deno!");
    assert.throws(() => SharedMemory.open(name), Deno.errors.NotFound);
  },
);

ipcTest(
  "shm: Deno creates, Python attaches, reads and writes back; the segment survives Python's exit",
  async (_t, scope) => {
    const name = scope.name("psm", SharedMemory.unlink);
    using shm = SharedMemory.create(`/${name}`, { size: 777 });
    shm.bytes.set(encode("from deno!"));
    await using py = spawnPython("shm_python.py", ["attach", name]);
    assert.equal(await py.line(), "size 777 from deno!");
    assert.equal(await py.line(), "done");
    assert.equal((await py.status()).code, 0, py.stderr);
    assert.equal(text.decode(shm.bytes.subarray(200, 211)), "from python");
    using again = SharedMemory.open(name, { readOnly: true });
    assert.equal(again.size, 777);
  },
);

ipcTest(
  "shm: an open of an object its creator has not sized yet waits for the size (Python between shm_open and ftruncate)",
  async (_t, scope) => {
    const name = scope.name("psm_slow", SharedMemory.unlink);
    await using py = spawnPython("shm_python.py", ["slowcreate", name, "4096", "120"]);
    assert.equal(await py.line(), "made");
    using shm = SharedMemory.open(name); // the object is empty now, for another ~120 ms
    assert.equal(shm.size, 4096);
    assert.equal(await py.line(), "sized");
    assert.equal(text.decode(shm.read(0, 5)), "sized");
    assert.equal((await py.status()).code, 0, py.stderr);
  },
);

ipcTest(
  "shm: an empty object opens empty: after the bound when made just now, at once when older",
  async (_t, scope) => {
    const name = scope.name("psm_empty", SharedMemory.unlink);
    await using py = spawnPython("shm_python.py", ["empty", name]);
    assert.equal(await py.line(), "made");
    assert.equal((await py.status()).code, 0, py.stderr);
    let start = performance.now();
    using fresh = SharedMemory.open(name);
    assert.equal(fresh.size, 0);
    const waited = performance.now() - start;
    assert.ok(waited >= 200 && waited < 2000, `waited ${waited} ms for a fresh empty object`);
    await new Promise((r) => setTimeout(r, 1100 - waited)); // now over a second old
    start = performance.now();
    using old = SharedMemory.open(name);
    assert.equal(old.size, 0);
    const took = performance.now() - start;
    assert.ok(took < 100, `took ${took} ms for an old empty object`);
  },
);

ipcTest(
  "shm: a read-only attachment cannot write, in this process or another",
  async (_t, scope) => {
    const name = scope.name("shm_ro", SharedMemory.unlink);
    using owner = SharedMemory.create(name, { size: 64 });
    owner.bytes[0] = 42;
    using ro = SharedMemory.open(name, { readOnly: true });
    assert.equal(ro.readOnly, true);
    assert.throws(() => ro.write(new Uint8Array([1])), Deno.errors.PermissionDenied);
    assert.throws(() => ro.bytes, /attached read-only/);
    assert.equal(ro.read(0, 1)[0], 42);
    const into = new Uint8Array(2);
    ro.readInto(into);
    assert.deepEqual(into, new Uint8Array([42, 0]));
    await using peer = spawnDeno("shm_peer.ts", ["shm-readonly-raw", name]);
    assert.equal(await peer.line(), "PermissionDenied");
    assert.equal(await peer.line(), "PermissionDenied");
    assert.equal(await peer.line(), "still alive 42");
    assert.equal((await peer.status()).code, 0);
    assert.equal(owner.bytes[0], 42);
  },
);

ipcTest("shm: writes from another process are seen live through bytes", async (_t, scope) => {
  const name = scope.name("shm_live", SharedMemory.unlink);
  using shm = SharedMemory.create(name, { size: 4096, mode: 0o640 });
  const view = shm.bytes;
  assert.equal(view, shm.bytes); // created once
  await using peer = spawnDeno("shm_peer.ts", ["shm-write", name, "hello"]);
  assert.equal(await peer.line(), "done");
  assert.equal(text.decode(view.subarray(0, 5)), "hello");
  assert.equal((Deno.statSync(`/dev/shm/${name}`).mode ?? 0) & 0o777, 0o640);
});

ipcTest(
  "shm: after close every view is empty and every method throws, never a crash",
  (_t, scope) => {
    const name = scope.name("shm_closed", SharedMemory.unlink);
    const shm = SharedMemory.create(name, { size: 100 });
    const view = shm.bytes;
    view[0] = 1;
    shm.close();
    shm.close();
    assert.equal(shm.closed, true);
    assert.equal(view.length, 0);
    assert.equal(view[0], undefined);
    view[0] = 5; // ignored: the view is detached, not dangling
    assert.throws(() => shm.bytes, Deno.errors.BadResource);
    assert.throws(() => shm.read(), Deno.errors.BadResource);
    assert.throws(() => shm.write(new Uint8Array(1)), Deno.errors.BadResource);
    assert.throws(() => shm.resize(200), Deno.errors.BadResource);
    // Not unlinked (no unlinkOnClose): an attacher still sees the data.
    using again = SharedMemory.open(name);
    assert.equal(again.read(0, 1)[0], 1);
  },
);

ipcTest("shm: unlinkOnClose unlinks for the owner only", (_t, scope) => {
  const name = scope.name("shm_uoc", SharedMemory.unlink);
  const owner = SharedMemory.create(name, { size: 10, unlinkOnClose: true });
  const attacher = SharedMemory.open(name);
  attacher.close();
  SharedMemory.open(name).close(); // still there
  owner.close();
  assert.throws(() => SharedMemory.open(name), Deno.errors.NotFound);
});

ipcTest(
  "shm: resize grows and remaps for the creator; shrinking and attachers are refused",
  (_t, scope) => {
    const name = scope.name("shm_resize", SharedMemory.unlink);
    using shm = SharedMemory.create(name, { size: 10 });
    shm.write(encode("0123456789"));
    const old = shm.bytes;
    shm.resize(100_000);
    assert.equal(shm.size, 100_000);
    assert.equal(old.length, 0); // the old view is detached
    assert.equal(text.decode(shm.read(0, 10)), "0123456789");
    shm.bytes[99_999] = 7;
    using other = SharedMemory.open(name);
    assert.equal(other.size, 100_000);
    assert.equal(other.read(99_999, 1)[0], 7);
    assert.throws(() => shm.resize(50), RangeError);
    assert.throws(() => other.resize(200_000), Deno.errors.PermissionDenied);
  },
);

ipcTest(
  "shm: a size /dev/shm cannot hold fails at create with ENOSPC, leaving no name",
  (_t, scope) => {
    const name = scope.name("shm_full", SharedMemory.unlink);
    assert.throws(
      () => SharedMemory.create(name, { size: 2 ** 45 }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, "ENOSPC");
        assert.match(err.message, /posix_fallocate/);
        return true;
      },
    );
    assert.throws(() => SharedMemory.open(name), Deno.errors.NotFound);
  },
);

ipcTest(
  "shm: a resize /dev/shm cannot hold fails with ENOSPC and leaves the object's size as it was",
  (_t, scope) => {
    const name = scope.name("shm_grow_full", SharedMemory.unlink);
    using shm = SharedMemory.create(name, { size: 4096 });
    shm.write(encode("kept"));
    assert.throws(
      () => shm.resize(2 ** 45),
      (err: Error & { code?: string }) => err.code === "ENOSPC",
    );
    assert.equal(shm.size, 4096);
    // A process attaching now maps the old, reserved size, not an unreserved 32 TiB.
    using other = SharedMemory.open(name);
    assert.equal(other.size, 4096);
    assert.equal(text.decode(other.read(0, 4)), "kept");
    shm.resize(8192);
    using later = SharedMemory.open(name);
    assert.equal(later.size, 8192);
  },
);

ipcTest("shm: bad input is refused before any syscall", (_t, scope) => {
  const name = scope.name("shm_bad", SharedMemory.unlink);
  assert.throws(() => SharedMemory.create("a/b", { size: 1 }), TypeError);
  assert.throws(() => SharedMemory.create("x".repeat(300), { size: 1 }), RangeError);
  assert.throws(() => SharedMemory.create(name, { size: 0 }), RangeError);
  assert.throws(() => SharedMemory.create(name, { size: 1.5 }), TypeError);
  assert.throws(() => SharedMemory.create(name, { size: 1, mode: 0o1777 }), RangeError);
  assert.throws(() => SharedMemory.create(name, { size: 1, mode: "600" as never }), TypeError);
  assert.throws(() => SharedMemory.create(name, undefined as never), TypeError);
  assert.throws(() => SharedMemory.open(name), Deno.errors.NotFound);
  using shm = SharedMemory.create(name, { size: 8 });
  assert.throws(() => SharedMemory.create(name, { size: 8 }), Deno.errors.AlreadyExists);
  assert.throws(() => shm.read(4, 5), RangeError);
  assert.throws(() => shm.read(-1, 1), RangeError);
  assert.throws(() => shm.write(new Uint8Array(9)), RangeError);
  assert.throws(() => shm.write([1] as unknown as Uint8Array), TypeError);
  assert.throws(() => SharedMemory.unlink(`${name}_missing`), Deno.errors.NotFound);
});

ipcTest(
  "shm: opening a FIFO left in /dev/shm fails with InvalidData instead of blocking forever",
  async (_t, scope) => {
    const name = scope.name("shm_fifo", (n) => Deno.remove(`/dev/shm/${n}`));
    const fifo = await new Deno.Command("mkfifo", { args: [`/dev/shm/${name}`] }).output();
    assert.equal(fifo.code, 0);
    // In a child process: a blocking open with no writer would hang its only thread.
    const code = `import { Channel, SharedMemory } from ${
      JSON.stringify(new URL("../../shm/mod.ts", import.meta.url).href)
    };
const name = ${JSON.stringify(name)};
for (const open of [() => SharedMemory.open(name, { readOnly: true }), () => Channel.open(name)]) {
  try {
    open();
    console.log("opened");
  } catch (err) {
    console.log(err.name, err instanceof Deno.errors.InvalidData);
  }
}`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      signal: AbortSignal.timeout(10_000),
    }).output();
    assert.equal(out.code, 0, `open did not return: ${new TextDecoder().decode(out.stderr)}`);
    assert.equal(new TextDecoder().decode(out.stdout), "InvalidData true\nInvalidData true\n");
  },
);

ipcTest(
  "shm: a name holding a lone surrogate is a TypeError, and no object is created under another name",
  (_t, scope) => {
    const name = scope.name("shm_sur", SharedMemory.unlink);
    // UTF-8 would turn both into U+FFFD: two different names, one object.
    for (const bad of [`${name}\uD800`, `${name}\uDC00`, `/\uDFFF${name}`]) {
      assert.throws(() => SharedMemory.create(bad, { size: 1 }), TypeError);
      assert.throws(() => SharedMemory.open(bad), TypeError);
      assert.throws(() => SharedMemory.unlink(bad), TypeError);
    }
    assert.throws(() => Semaphore.open(`${name}\uD800`, { create: true }), TypeError);
    const left = [...Deno.readDirSync("/dev/shm")].filter((e) => e.name.includes(name));
    assert.deepEqual(left, []);
    // A well-formed pair is fine: it has a real UTF-8 form.
    using shm = SharedMemory.create(`${name}\u{1F600}`, { size: 1, unlinkOnClose: true });
    assert.equal(shm.name, `/${name}\u{1F600}`);
  },
);

ipcTest(
  "shm: unlinkOnClose leaves alone a new object another process created under the name",
  async (_t, scope) => {
    const name = scope.name("shm_reuse", SharedMemory.unlink);
    const mine = SharedMemory.create(name, { size: 8, unlinkOnClose: true });
    const code = `import { SharedMemory } from ${
      JSON.stringify(new URL("../../shm/mod.ts", import.meta.url).href)
    };
SharedMemory.unlink(${JSON.stringify(name)});
SharedMemory.create(${JSON.stringify(name)}, { size: 16 }).close();`;
    const out = await new Deno.Command(Deno.execPath(), { args: ["eval", code] }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    mine.close();
    using theirs = SharedMemory.open(name); // still there: not ours to unlink
    assert.equal(theirs.size, 16);
  },
);

ipcTest(
  "shm: offsets and lengths that are no integers are TypeErrors naming them; detached buffers and huge descriptors are refused cleanly",
  (_t, scope) => {
    const name = scope.name("shm_args", SharedMemory.unlink);
    using shm = SharedMemory.create(name, { size: 8, mode: 0o666 });
    Deno.chmodSync(`/dev/shm/${name}`, 0o666); // others may write: reads go through the descriptor
    using guarded = SharedMemory.open(name);
    const named = (kind: ErrorConstructor, text: string) => (err: Error) =>
      err instanceof kind && err.message.includes(text);
    for (const m of [shm, guarded]) {
      assert.throws(
        () => m.read("1" as never),
        named(TypeError, "offset must be an integer, got string"),
      );
      assert.throws(() => m.read(1.5), named(TypeError, "offset must be an integer, got 1.5"));
      assert.throws(() => m.read(0, NaN), named(TypeError, "length must be an integer, got NaN"));
      assert.throws(() => m.read(9), named(RangeError, "offset 9 is not an integer in 0..8"));
      assert.throws(() => m.readInto(new Uint8Array(1), 0.5), TypeError);
      const detached = new Uint8Array(4);
      structuredClone(detached.buffer, { transfer: [detached.buffer] });
      m.readInto(detached, 2); // a detached view is empty: nothing to copy
      m.write(detached, 8);
    }
    assert.throws(() => SharedMemory.fromFd(2 ** 31), named(TypeError, "is not a descriptor"));
  },
);
