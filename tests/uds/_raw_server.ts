// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A hand-written server for tests, in its own process, that does on the wire
 * what the library's server may do only by chance of timing:
 *
 *   accept-notify PATH: for each connection, read the HELLO, then write the
 *     ACCEPT and a 1000-byte NOTIFY "welcome" (every byte 7) in ONE write;
 *     then answer the client's GOODBYE with its own, and close.
 *   mute PATH: accept connections, print `accepted` for each, never answer.
 *   accept-v9 PATH: answer the HELLO (which offers version 1 only) with an
 *     ACCEPT of version 9, then print what the client sent next, if anything.
 *   accept-error PATH: answer each HELLO with an ACCEPT and an ERROR(0)
 *     "not allowed" in ONE write, then close; print `failed N` (N counts them).
 *   accept-goodbye PATH: answer the HELLO with an ACCEPT and a GOODBYE in ONE
 *     write; then answer the client's GOODBYE with a close.
 *
 * Prints `listening` once it listens; runs until killed.
 *
 * @module
 */
import { encodeFrame, type Frame, FrameDecoder } from "../../protocol/mod.ts";

const [mode, path] = Deno.args;
const listener = Deno.listen({ transport: "unix", path });
console.log("listening");

async function acceptNotify(conn: Deno.Conn): Promise<void> {
  await conn.read(new Uint8Array(26)); // HELLO
  const accept = encodeFrame({ kind: "accept", version: 1, features: 0, maxFrameSize: 1 << 20 });
  const notify = encodeFrame({
    kind: "notify",
    method: "welcome",
    payload: new Uint8Array(1000).fill(7),
  });
  const both = new Uint8Array(accept.length + notify.length);
  both.set(accept);
  both.set(notify, accept.length);
  await conn.write(both);
  try {
    await conn.read(new Uint8Array(4096)); // the client's GOODBYE
    await conn.write(encodeFrame({ kind: "goodbye", reason: "" }));
  } finally {
    conn.close();
  }
}

async function acceptV9(conn: Deno.Conn): Promise<void> {
  await conn.read(new Uint8Array(26)); // HELLO
  await conn.write(encodeFrame({ kind: "accept", version: 9, features: 0, maxFrameSize: 4096 }));
  const buf = new Uint8Array(4096);
  const n = await conn.read(buf);
  const frames = n === null ? [] : new FrameDecoder().push(buf.subarray(0, n));
  console.log(`then ${JSON.stringify(frames.map((f) => f.kind))}`);
  conn.close();
}

/** Writes the ACCEPT and `then` together, so that the client reads them at once. */
async function acceptWith(conn: Deno.Conn, then: Frame): Promise<void> {
  await conn.read(new Uint8Array(26)); // HELLO
  const accept = encodeFrame({ kind: "accept", version: 1, features: 0, maxFrameSize: 1 << 20 });
  const next = encodeFrame(then);
  const both = new Uint8Array(accept.length + next.length);
  both.set(accept);
  both.set(next, accept.length);
  await conn.write(both);
}

let failed = 0;
async function acceptError(conn: Deno.Conn): Promise<void> {
  try {
    await acceptWith(conn, { kind: "error", id: 0, code: 3, message: "not allowed" });
  } finally {
    conn.close();
  }
  console.log(`failed ${++failed}`);
}

async function acceptGoodbye(conn: Deno.Conn): Promise<void> {
  try {
    await acceptWith(conn, { kind: "goodbye", reason: "" });
    await conn.read(new Uint8Array(4096)); // the client's GOODBYE
  } finally {
    conn.close();
  }
}

const held: Deno.Conn[] = [];
for await (const conn of listener) {
  if (mode === "accept-notify") {
    acceptNotify(conn).catch(() => {});
  } else if (mode === "accept-error") {
    acceptError(conn).catch(() => {});
  } else if (mode === "accept-goodbye") {
    acceptGoodbye(conn).catch(() => {});
  } else if (mode === "accept-v9") {
    acceptV9(conn).catch(() => {});
  } else if (mode === "mute") {
    held.push(conn);
    console.log("accepted");
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}
