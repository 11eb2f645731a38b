// Copyright 2026 the @ipc/linux authors. MIT license.
import assert from "node:assert/strict";
import * as S from "../../_ffi/_sysv_struct.ts";
import { libc } from "../../_ffi/mod.ts";
import { buildC, ipcTest, run } from "../_helpers/mod.ts";

ipcTest(
  "System V constants and struct layouts match the C library (checked by a C program)",
  async () => {
    const exe = await buildC("sysv_layout.c");
    const out = await run(exe, []);
    assert.equal(out.code, 0, out.stderr);
    const c = JSON.parse(out.stdout);
    const ours = S as unknown as Record<string, number>;
    for (
      const name of [
        "IPC_PRIVATE",
        "IPC_CREAT",
        "IPC_EXCL",
        "IPC_NOWAIT",
        "IPC_RMID",
        "IPC_SET",
        "IPC_STAT",
        "MSG_NOERROR",
        "SHM_RDONLY",
        "SEM_UNDO",
        "GETPID",
        "GETVAL",
        "GETALL",
        "GETNCNT",
        "GETZCNT",
        "SETVAL",
        "SETALL",
      ]
    ) {
      assert.equal(ours[name], c[name], name);
    }
    for (const [field, offset] of Object.entries(S.OFFSETS)) assert.equal(offset, c[field], field);
    assert.equal(S.IPC_PERM_SIZE, c.sizeof_ipc_perm);
    assert.equal(S.MSQID_DS_SIZE, c.sizeof_msqid_ds);
    assert.equal(S.SHMID_DS_SIZE, c.sizeof_shmid_ds);
    assert.equal(S.SEMID_DS_SIZE, c.sizeof_semid_ds);
    assert.equal(S.DS_MAX_SIZE, Math.max(c.sizeof_msqid_ds, c.sizeof_shmid_ds, c.sizeof_semid_ds));
    assert.equal(S.SEMBUF_SIZE, c.sizeof_sembuf);
    assert.equal(S.MTYPE_SIZE, c.sizeof_mtype);
    assert.deepEqual([c.sem_num, c.sem_op, c.sem_flg], [0, 2, 4]);
  },
);

ipcTest("semctl's variadic union argument carries SETVAL/GETVAL and SETALL/GETALL", () => {
  const lib = libc();
  const id = lib.semget(S.IPC_PRIVATE, 3, S.IPC_CREAT | 0o600);
  assert.ok(id >= 0);
  try {
    assert.equal(lib.semctl(id, 1, S.SETVAL, 12345), 0);
    assert.equal(lib.semctl(id, 1, S.GETVAL, 0), 12345);
    const values = new Uint16Array([7, 8, 9]);
    assert.equal(lib.semctl_buf(id, 0, S.SETALL, new Uint8Array(values.buffer)), 0);
    const back = new Uint16Array(3);
    assert.equal(lib.semctl_buf(id, 0, S.GETALL, new Uint8Array(back.buffer)), 0);
    assert.deepEqual([...back], [7, 8, 9]);
    const sops = new Uint8Array(S.SEMBUF_SIZE);
    S.writeSembuf(sops, 0, 2, -9, S.IPC_NOWAIT);
    assert.equal(lib.semtimedop(id, sops, 1, null), 0);
    assert.equal(lib.semctl(id, 2, S.GETVAL, 0), 0);
  } finally {
    lib.semctl(id, 0, S.IPC_RMID, 0);
  }
});
