// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * System V test helpers: random keys, removal of every object a test makes,
 * a leak check against /proc/sysvipc, the Python `sysv_ipc` peer (Debian's
 * python3-sysv-ipc, fetched under .build/ when the system lacks it; skipped
 * with a clear message when it cannot be had), and turning an
 * object over to another uid (root only) to test the owner check.
 */
import { fileURLToPath as fromFileUrl } from "node:url";
import { listSysvObjects, removeSysvObject } from "../../sysv/mod.ts";
import { libc } from "../../_ffi/mod.ts";
import { DS_MAX_SIZE, encodeIpcPermOwner, IPC_SET, IPC_STAT } from "../../_ffi/_sysv_struct.ts";
import type { SysvKind } from "../../sysv/list.ts";
import { ipcTest, type IpcTestOptions, Peer, type Scope } from "./mod.ts"; // mod.ts loads libc first

const FIXTURES = fromFileUrl(new URL("../fixtures/", import.meta.url));

/** The system interpreter: Debian's python3-sysv-ipc installs for it only. */
export const SYSTEM_PYTHON = "/usr/bin/python3";

/** A random key in a range no other test suite uses. */
export function randomKey(): number {
  return 0x1c00_0000 | crypto.getRandomValues(new Uint32Array(1))[0]! & 0xff_ffff;
}

/** Remove `kind` object `id` when the test ends (already gone is fine). */
export function track(scope: Scope, kind: SysvKind, id: number): number {
  scope.defer(() => {
    try {
      removeSysvObject(kind, id);
    } catch (err) {
      if ((err as { code?: string }).code !== "EINVAL") throw err;
    }
  });
  return id;
}

function ids(): Set<string> {
  return new Set(listSysvObjects().map((o) => `${o.kind}:${o.id}`));
}

/** An {@linkcode ipcTest} that also fails when a System V object is left behind. */
export function sysvTest(
  name: string,
  fn: (t: Deno.TestContext, scope: Scope) => Promise<void> | void,
  options: IpcTestOptions = {},
): void {
  ipcTest(name, async (t, scope) => {
    const before = ids();
    scope.defer(() => {
      const left = [...ids()].filter((id) => !before.has(id));
      if (left.length > 0) throw new Error(`System V objects left behind: ${left.join(", ")}`);
    });
    await fn(t, scope);
  }, options);
}

let hasSysvIpc: boolean | undefined;
/** PYTHONPATH for `sysv_ipc` when it was unpacked under .build/ (undefined: the system has it). */
let unpacked: string | undefined;

/** Where Debian's python3-sysv-ipc is unpacked when the system interpreter lacks it. */
const DEB_DIR = fromFileUrl(new URL("../../.build/python3-sysv-ipc/", import.meta.url));
const DIST_PACKAGES = `${DEB_DIR}usr/lib/python3/dist-packages`;

/**
 * Whether /usr/bin/python3 can import sysv_ipc: installed on the system, or
 * else from Debian's python3-sysv-ipc fetched once with `apt-get download`
 * (no root, nothing installed: the package is unpacked under .build/ and
 * found through PYTHONPATH, see {@linkcode sysvPythonEnv}). Prints why the
 * Python interop tests are skipped when neither works (no Debian archive).
 */
export function pythonSysvIpc(): boolean {
  if (hasSysvIpc !== undefined) return hasSysvIpc;
  hasSysvIpc = canImport({});
  if (!hasSysvIpc && fetchSysvIpc() && canImport({ PYTHONPATH: DIST_PACKAGES })) {
    unpacked = DIST_PACKAGES;
    hasSysvIpc = true;
  }
  if (!hasSysvIpc) {
    console.warn(
      "SKIP System V Python interop: /usr/bin/python3 cannot import sysv_ipc, and Debian's " +
        "python3-sysv-ipc could not be fetched (apt-get install -y python3-sysv-ipc)",
    );
  }
  return hasSysvIpc;
}

/** The environment under which SYSTEM_PYTHON imports sysv_ipc (after {@linkcode pythonSysvIpc}). */
export function sysvPythonEnv(): Record<string, string> {
  return unpacked === undefined ? {} : { PYTHONPATH: unpacked };
}

function canImport(env: Record<string, string>): boolean {
  try {
    return new Deno.Command(SYSTEM_PYTHON, { args: ["-c", "import sysv_ipc"], env, stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** Download and unpack the Debian package under .build/ unless it is there; whether it is. */
function fetchSysvIpc(): boolean {
  try {
    Deno.statSync(DIST_PACKAGES);
    return true;
  } catch {
    // not unpacked yet
  }
  const quiet = (command: string, args: string[], cwd?: string) => {
    try {
      return new Deno.Command(command, { args, cwd, stdout: "null", stderr: "null" })
        .outputSync().success;
    } catch {
      return false; // no apt-get or dpkg-deb here
    }
  };
  Deno.mkdirSync(DEB_DIR, { recursive: true });
  if (!quiet("timeout", ["120", "apt-get", "download", "python3-sysv-ipc"], DEB_DIR)) return false;
  const deb = [...Deno.readDirSync(DEB_DIR)].find((e) => e.name.endsWith(".deb"));
  return deb !== undefined && quiet("dpkg-deb", ["-x", `${DEB_DIR}${deb.name}`, DEB_DIR]);
}

/** Start tests/fixtures/sysv_py_peer.py with the system interpreter. */
export function spawnSysvPython(args: string[]): Peer {
  return new Peer(SYSTEM_PYTHON, ["-u", `${FIXTURES}sysv_py_peer.py`, ...args], {
    env: sysvPythonEnv(),
  });
}

/**
 * Hand an object over to `uid` with IPC_SET (needs root or its owner), the
 * way a squatter's object looks: the creator stays us, the owner is them.
 */
export function giveTo(kind: SysvKind, id: number, uid: number): void {
  const lib = libc();
  const ds = new Uint8Array(DS_MAX_SIZE);
  const ctl = (cmd: number) =>
    kind === "msg"
      ? lib.msgctl(id, cmd, ds)
      : kind === "shm"
      ? lib.shmctl(id, cmd, ds)
      : lib.semctl_buf(id, 0, cmd, ds);
  if (ctl(IPC_STAT) !== 0) throw new Error(`IPC_STAT ${kind} ${id} failed`);
  encodeIpcPermOwner(ds, uid, uid, 0o666);
  if (ctl(IPC_SET) !== 0) throw new Error(`IPC_SET ${kind} ${id} failed`);
}

/** Whether this process is root (and so can hand objects to another uid). */
export function isRoot(): boolean {
  return libc().geteuid() === 0;
}
