// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The child process of `bench/uds_bench.ts`: `--child <dir>` starts every
 * server the measurements use (raw echo, raw sinks, a slow protocol reader,
 * the library's servers in both notification modes) and prints "ready";
 * `--rss-writer <dir> <MiB>` streams to the slow reader and prints the
 * growth of its own RSS.
 *
 * @module
 */
import { connect, serve, type ServerNotification, type ServerRequest } from "../../uds/mod.ts";
import { encodeFrame } from "../../protocol/mod.ts";
import { pinPeer } from "./placement.ts";

const MiB = 1 << 20;

/** Read exactly `buf.length` bytes; false at end of stream. */
export async function readFull(conn: Deno.Conn, buf: Uint8Array): Promise<boolean> {
  let done = 0;
  while (done < buf.length) {
    const n = await conn.read(buf.subarray(done));
    if (n === null) return false;
    done += n;
  }
  return true;
}

/** Write all of `buf`. */
export async function writeAll(conn: Deno.Conn, buf: Uint8Array): Promise<void> {
  let done = 0;
  while (done < buf.length) done += await conn.write(buf.subarray(done));
}

function acceptEach(listener: Deno.Listener, fn: (conn: Deno.Conn) => Promise<void>): void {
  (async () => {
    for await (const conn of listener) fn(conn).catch(() => {}).finally(() => conn.close());
  })();
}

/** Servers for every measurement, in one child process. */
async function child(dir: string): Promise<void> {
  await pinPeer(); // on the CPU the bench chose for peers (bench/_lib/placement.ts)
  // Raw echo: whatever arrives goes straight back.
  acceptEach(Deno.listen({ transport: "unix", path: `${dir}/echo.sock` }), async (conn) => {
    const buf = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) return;
      await writeAll(conn, buf.subarray(0, n));
    }
  });
  // Raw sink: count bytes until EOF, then answer one byte.
  acceptEach(Deno.listen({ transport: "unix", path: `${dir}/sink.sock` }), async (conn) => {
    const buf = new Uint8Array(MiB);
    while (await conn.read(buf) !== null) { /* discard */ }
    await conn.write(new Uint8Array(1));
  });
  // The same, but every 1 MiB message lands in a fresh buffer of its own, as
  // a receiver that hands messages to user code must do.
  acceptEach(Deno.listen({ transport: "unix", path: `${dir}/fresh.sock` }), async (conn) => {
    let buf = new Uint8Array(MiB);
    let fill = 0;
    for (;;) {
      const n = await conn.read(buf.subarray(fill));
      if (n === null) break;
      fill += n;
      if (fill === MiB) {
        buf = new Uint8Array(MiB);
        fill = 0;
      }
    }
    await conn.write(new Uint8Array(1));
  });
  // Slow reader speaking just enough protocol: ACCEPT, then 256 KiB per 2 ms.
  acceptEach(Deno.listen({ transport: "unix", path: `${dir}/slow.sock` }), async (conn) => {
    const hello = new Uint8Array(26);
    await readFull(conn, hello);
    await conn.write(
      encodeFrame({ kind: "accept", version: 1, features: 0, maxFrameSize: 16 * MiB }),
    );
    const buf = new Uint8Array(256 * 1024);
    while (await conn.read(buf) !== null) await new Promise((r) => setTimeout(r, 2));
  });
  let received = 0;
  const handler = (req: ServerRequest) => {
    if (req.method === "received") {
      const n = received;
      received = 0;
      return String(n);
    }
    return req.payload;
  };
  const onNotification = (n: ServerNotification) => void (received += n.payload.length);
  // Default mode: every notification payload is a fresh buffer of its own.
  await serve({ path: `${dir}/framed.sock`, onNotification }, handler);
  // Bulk mode: payloads lent during onNotification, from one reused buffer.
  await serve({ path: `${dir}/borrow.sock`, onNotification, borrowNotifications: true }, handler);
  console.log("ready");
}

async function rssWriter(dir: string, mib: number): Promise<void> {
  await using client = await connect({ path: `${dir}/slow.sock` });
  const chunk = new Uint8Array(MiB);
  const before = Deno.memoryUsage().rss;
  let peak = before;
  for (let i = 0; i < mib; i++) {
    await client.notify("blob", chunk);
    if ((i & 15) === 0) peak = Math.max(peak, Deno.memoryUsage().rss);
  }
  peak = Math.max(peak, Deno.memoryUsage().rss);
  console.log(JSON.stringify({ growthMiB: (peak - before) / MiB }));
  Deno.exit(0); // do not wait for the slow reader to drain the tail
}

if (import.meta.main) {
  const [mode, dir, mib] = Deno.args as [string, string, string];
  if (mode === "--child") await child(dir);
  else if (mode === "--rss-writer") await rssWriter(dir, Number(mib));
  else throw new Error(`usage: uds_peer.ts --child <dir> | --rss-writer <dir> <MiB>`);
}
