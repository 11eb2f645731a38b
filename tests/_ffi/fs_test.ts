// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import { readDirNames, readTextFile } from "../../_ffi/fs.ts";
import { ipcTest } from "../_helpers/mod.ts";

ipcTest("fs: reads /proc and regular files through libc", async (_t, scope) => {
  assert.equal(readTextFile("/proc/self/stat").split(" ")[0], String(Deno.pid));
  const dir = await scope.tempDir();
  const text = "héllo\n".repeat(2000); // more than one read(2)
  await Deno.writeTextFile(`${dir}/a.txt`, text);
  assert.equal(readTextFile(`${dir}/a.txt`), text);
  assert.throws(() => readTextFile(`${dir}/missing`), Deno.errors.NotFound);
});

ipcTest("fs: lists a directory's names", async (_t, scope) => {
  const dir = await scope.tempDir();
  for (const name of ["one", "two", "ünï"]) await Deno.writeTextFile(`${dir}/${name}`, "");
  assert.deepEqual(readDirNames(dir).sort(), ["one", "two", "ünï"]);
  assert.throws(() => readDirNames(`${dir}/missing`), (err: Error & { code?: string }) => {
    assert.ok(err instanceof Deno.errors.NotFound);
    assert.equal(err.code, "ENOENT");
    return true;
  });
});
