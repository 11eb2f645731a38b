// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The server side of bench/latency_bench.ts, in its own process: framed echo
 * servers on the native transport with and without `spin`, on the default
 * transport, and a raw `Deno.listen` 64-byte echo. Prints "ready".
 */
import { serve } from "../../uds/mod.ts";

const [dir, spinArg] = Deno.args;
const spin = Number(spinArg);
await serve({ path: `${dir}/spin.sock`, transport: "native", spin }, (req) => req.payload);
await serve({ path: `${dir}/native.sock`, transport: "native" }, (req) => req.payload);
await serve({ path: `${dir}/default.sock` }, (req) => req.payload);
const raw = Deno.listen({ transport: "unix", path: `${dir}/deno.sock` });

async function echo(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(64);
  try {
    for (;;) {
      let got = 0;
      while (got < 64) {
        const n = await conn.read(buf.subarray(got));
        if (n === null) return;
        got += n;
      }
      for (let done = 0; done < 64;) done += await conn.write(buf.subarray(done));
    }
  } finally {
    conn.close();
  }
}

console.log("ready");
for await (const conn of raw) echo(conn);
