// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Demo part: the native layer, proven between two processes. A child Deno
 * process reports its pid through FFI (getpid) and an errno round trip.
 */

import { denoScript, spawnScript } from "./child.ts";

/** One line of the demo's table. */
export type DemoRow = { mechanism: string; what: string; result: string };

const CHILD = `
import { check, cstring, libc } from ${
  JSON.stringify(new URL("../../_ffi/libc.ts", import.meta.url).href)
};
let code = "";
try { check(libc().open(cstring("/nonexistent/ipc-demo"), 0, 0), "open", "/nonexistent/ipc-demo"); }
catch (err) { code = err.constructor.name + " " + err.code; }
console.log(JSON.stringify({ pid: libc().getpid(), code }));
`;

/** Run the part; returns rows for the tour's table. */
export async function demo(): Promise<DemoRow[]> {
  const child = spawnScript(Deno.execPath(), denoScript(["--allow-ffi"]), CHILD, {
    stdout: "piped",
    stderr: "inherit",
  });
  const out = await child.output();
  const report = JSON.parse(new TextDecoder().decode(out.stdout));
  return [
    {
      mechanism: "ffi",
      what: "child pid via getpid(2)",
      result: report.pid === child.pid ? `${report.pid} (matches)` : `MISMATCH ${report.pid}`,
    },
    { mechanism: "ffi", what: "errno round trip", result: report.code },
  ];
}
