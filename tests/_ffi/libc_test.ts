// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { backend, check, cstring, libc, loadLibrary } from "../../_ffi/libc.ts";
import { errnoError, errnoName, errnoNumber } from "../../_ffi/errno.ts";
import { OsError } from "../../_ffi/errors.ts";
import * as C from "../../_ffi/constants.ts";
import { decodeStat, STAT_SIZE } from "../../_ffi/struct.ts";
import { buildC, ipcTest, run, runDeno, spawnDeno } from "../_helpers/mod.ts";

ipcTest("libc: getpid through FFI matches the pid the parent sees for the child", async () => {
  assert.equal(libc().getpid(), Deno.pid);
  await using child = spawnDeno("ffi_child.ts", ["pid"]);
  const report = JSON.parse(await child.line());
  assert.equal(report.getpid, child.pid);
  assert.equal(report.denoPid, child.pid);
  assert.equal((await child.status()).code, 0);
});

ipcTest("libc: open/fstat/close pair on a real file", async (_t, scope) => {
  const dir = await scope.tempDir();
  const path = `${dir}/f`;
  await Deno.writeFile(path, new Uint8Array(1234), { mode: 0o640 });
  const fd = check(libc().open(cstring(path), C.O_RDONLY | C.O_CLOEXEC, 0), "open", path);
  try {
    const st = new Uint8Array(STAT_SIZE);
    check(libc().fstat(fd, st), "fstat", path);
    const stat = decodeStat(st);
    assert.equal(stat.size, 1234);
    assert.equal(stat.mode & 0o777, 0o640);
    assert.equal(stat.uid, libc().getuid());
    const { dev, ino, ctime } = await Deno.stat(path);
    assert.equal(stat.id, `${dev}:${ino}`);
    // Deno's ctime has whole seconds; ours has the nanoseconds too.
    assert.equal(Math.floor(stat.ctimeMs / 1000), ctime!.getTime() / 1000);
    assert.ok(Math.abs(stat.ctimeMs - Date.now()) < 60_000, `ctime ${stat.ctimeMs}`);
  } finally {
    check(libc().close(fd), "close");
  }
  // Closing again is EBADF → BadResource with the errno name.
  assert.throws(() => check(libc().close(fd), "close", fd), (err: Error & { code?: string }) => {
    assert.ok(err instanceof Deno.errors.BadResource);
    assert.equal(err.code, "EBADF");
    assert.equal(err.message, `Bad file descriptor (os error 9): close "${fd}"`);
    return true;
  });
});

ipcTest("libc: errno round trip for ENOENT and EEXIST", async (_t, scope) => {
  const dir = await scope.tempDir();
  const missing = `${dir}/missing`;
  assert.throws(
    () => check(libc().open(cstring(missing), C.O_RDONLY, 0), "open", missing),
    (err: Error & { code?: string; errno?: number }) => {
      assert.ok(err instanceof Deno.errors.NotFound);
      assert.equal(err.code, "ENOENT");
      assert.equal(err.errno, 2);
      assert.equal(err.message, `No such file or directory (os error 2): open "${missing}"`);
      return true;
    },
  );
  const existing = `${dir}/existing`;
  await Deno.writeTextFile(existing, "x");
  assert.throws(
    () =>
      check(
        libc().open(cstring(existing), C.O_CREAT | C.O_EXCL | C.O_RDWR, 0o600),
        "open",
        existing,
      ),
    (err: Error & { code?: string }) => {
      assert.ok(err instanceof Deno.errors.AlreadyExists);
      assert.equal(err.code, "EEXIST");
      return true;
    },
  );
});

Deno.test("errno: unknown and unmapped values still give clear errors", () => {
  const unknown = errnoError(999, "frob", "/x") as OsError;
  assert.ok(unknown instanceof OsError);
  assert.equal(unknown.code, "E999");
  assert.equal(unknown.message, 'Unknown error 999 (os error 999): frob "/x"');
  const nospc = errnoError(28, "posix_fallocate", "/big", "/dev/shm is full") as OsError;
  assert.ok(nospc instanceof OsError);
  assert.equal(nospc.code, "ENOSPC");
  assert.equal(
    nospc.message,
    'No space left on device (os error 28): posix_fallocate "/big": /dev/shm is full',
  );
  assert.equal(errnoName(11), "EAGAIN");
  assert.equal(errnoNumber("EAGAIN"), 11);
  assert.ok(errnoError(11, "mq_send") instanceof Deno.errors.WouldBlock);
  assert.ok(errnoError(110, "x") instanceof Deno.errors.TimedOut);
  assert.ok(errnoError(1, "kill") instanceof Deno.errors.PermissionDenied);
});

ipcTest("constants and struct layouts match the C library (checked by a C program)", async () => {
  const exe = await buildC("layout.c");
  const out = await run(exe, []);
  assert.equal(out.code, 0, out.stderr);
  const c = JSON.parse(out.stdout);
  for (
    const key of [
      "O_CREAT",
      "O_EXCL",
      "O_NONBLOCK",
      "O_CLOEXEC",
      "O_RDWR",
      "PROT_READ",
      "PROT_WRITE",
      "MAP_SHARED",
      "POLLIN",
      "POLLOUT",
      "EFD_NONBLOCK",
      "SFD_CLOEXEC",
      "FUTEX_WAIT",
      "FUTEX_WAKE",
      "CLOCK_REALTIME",
      "CLOCK_MONOTONIC",
    ] as const
  ) {
    assert.equal((C as unknown as Record<string, number>)[key], c[key], key);
  }
  assert.equal(C.SYS.futex, c.SYS_futex);
  assert.equal(C.SYS.futex_waitv, c.SYS_futex_waitv);
  assert.equal(C.SYS.gettid, c.SYS_gettid);
  assert.equal(C.SYS.tgkill, c.SYS_tgkill);
  assert.equal(C.SYS.rt_tgsigqueueinfo, c.SYS_rt_tgsigqueueinfo);
  assert.equal(C.SIGNALS.SIGUSR1, c.SIGUSR1);
  assert.equal(C.SIGNALS.SIGTERM, c.SIGTERM);
  assert.equal(C.SIGNALS.SIGCHLD, c.SIGCHLD);
  assert.equal(libc().__libc_current_sigrtmin(), c.SIGRTMIN);
  assert.equal(libc().__libc_current_sigrtmax(), c.SIGRTMAX);
  assert.deepEqual(
    [c.sizeof_mq_attr, c.sizeof_timespec, c.sizeof_stat, c.stat_size, c.sizeof_pollfd],
    [64, 16, 144, 48, 8],
  );
  assert.deepEqual([c.sizeof_siginfo, c.siginfo_pid, c.siginfo_uid, c.siginfo_value], [
    128,
    16,
    20,
    24,
  ]);
  assert.deepEqual(
    [c.sizeof_signalfd_siginfo, c.ssi_code, c.ssi_pid, c.ssi_uid, c.ssi_int, c.ssi_ptr],
    [128, 8, 12, 16, 44, 48],
  );
  assert.equal(c.sizeof_sigset, 128);
  assert.equal(c.stat_mode, C.ARCH === "aarch64" ? 16 : 24);
  assert.equal(c.stat_uid, C.ARCH === "aarch64" ? 24 : 28);
});

ipcTest("backend: views over native memory are live and addresses are numeric", () => {
  const b = backend();
  assert.equal(b.runtime, "deno");
  const buf = new Uint8Array([1, 2, 3, 4]);
  const ptr = b.pointerOf(buf);
  assert.ok(b.address(ptr) > 0n);
  const view = new Uint8Array(b.view(ptr, 4));
  buf[2] = 99;
  assert.equal(view[2], 99);
  assert.equal(b.address(null), 0n);
  assert.throws(() => b.view(null, 4), TypeError);
});

ipcTest("import needs no permission; first use without --allow-ffi says what to do", async () => {
  const out = await runDeno("ffi_child.ts", ["no-ffi"], {
    flags: ["--no-prompt", "--allow-read"],
  });
  assert.equal(out.code, 0, out.stderr);
  const [imported, error] = out.stdout.trim().split("\n");
  assert.equal(imported, "imported");
  assert.match(
    error ?? "",
    /^PermissionDenied: Cannot load libc\.so\.6: Requires --allow-ffi permission/,
  );
});

Deno.test("loadLibrary: a missing library gives a clear NotFound", () => {
  assert.throws(
    () => loadLibrary("libipc-linux-missing.so.9", { getpid: { parameters: [], result: "i32" } }),
    (err: Error) => {
      assert.ok(err instanceof Deno.errors.NotFound);
      assert.match(
        err.message,
        /^Cannot load libipc-linux-missing\.so\.9: .*needs glibc on Linux$/,
      );
      return true;
    },
  );
});
