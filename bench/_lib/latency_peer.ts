// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The server side of bench/latency_bench.ts, in its own process: framed echo
 * servers on the native transport with and without `spin` (and without its
 * default `syncWait`), on the default
 * transport, a raw `Deno.listen` 64-byte echo, and raw `UnixSocket` echoes whose
 * receives spin or not. Prints "ready".
 */
import { serve, UnixListener, type UnixSocket } from "../../uds/mod.ts";
import { pinPeer } from "./placement.ts";

await pinPeer(); // the answering side's main thread on the other CPU (bench/_lib/placement.ts)
const [dir, spinArg] = Deno.args;
const spin = Number(spinArg);
await serve({ path: `${dir}/spin.sock`, transport: "native", spin }, (req) => req.payload);
await serve({ path: `${dir}/native.sock`, transport: "native" }, (req) => req.payload);
await serve(
  { path: `${dir}/native0.sock`, transport: "native", syncWait: 0 },
  (req) => req.payload,
);
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

const rawNative = await UnixListener.listen(`${dir}/unixsocket.sock`);
const rawNativeNoSpin = await UnixListener.listen(`${dir}/unixsocket0.sock`);

async function echoNative(sock: UnixSocket, spin: number): Promise<void> {
  try {
    for (;;) {
      const m = await sock.receive({ spin });
      if (m === null) return;
      await sock.send(m.data);
    }
  } catch {
    // the client went away
  } finally {
    sock.close();
  }
}

(async () => {
  for (;;) echoNative(await rawNative.accept(), spin);
})();
(async () => {
  for (;;) echoNative(await rawNativeNoSpin.accept(), 0);
})();
console.log("ready");
for await (const conn of raw) echo(conn);
