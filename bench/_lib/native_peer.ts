// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The server side of bench/native_bench.ts, in its own process: echo servers
 * on the default and the native transport, and a UnixSocket echo that closes
 * the descriptors it receives. Prints "ready" once all listen.
 */
import { serve, UnixListener, type UnixSocket } from "../../uds/mod.ts";

const dir = Deno.args[0];
await serve({ path: `${dir}/default.sock` }, (req) => req.payload);
await serve({ path: `${dir}/native.sock`, transport: "native" }, (req) => req.payload);
const listener = await UnixListener.listen(`${dir}/raw.sock`);

async function echo(sock: UnixSocket): Promise<void> {
  for (;;) {
    const m = await sock.receive().catch(() => null);
    if (m === null) return sock.close();
    for (const fd of m.fds) fd.close();
    await sock.send(m.data);
  }
}

console.log("ready");
for (;;) echo(await listener.accept());
