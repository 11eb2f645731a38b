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
 *   respond-bad PATH: accept, then answer the first REQUEST (whose payload is
 *     a decimal CUT) with its RESPONSE (payload "answer") followed by a
 *     malformed frame: in ONE write when CUT is 0, else in two writes split
 *     CUT bytes in; then linger until the client closes.
 *
 * Prints `listening` once it listens; runs until killed.
 *
 * @module
 */
import { encodeFrame, type Frame, FrameDecoder } from "../../protocol/mod.ts";

const [mode, path] = Deno.args as [string, string];
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

/** A frame of an unknown kind: malformed in any state. */
const BAD = new Uint8Array([0, 0, 0, 6, 0xee, 0, 0, 0, 0, 0]);

async function respondBad(conn: Deno.Conn): Promise<void> {
  try {
    await conn.read(new Uint8Array(26)); // HELLO
    await conn.write(
      encodeFrame({ kind: "accept", version: 1, features: 0, maxFrameSize: 1 << 20 }),
    );
    const decoder = new FrameDecoder({ maxFrameSize: 1 << 20 });
    const buf = new Uint8Array(4096);
    let request: Frame | undefined;
    while (request === undefined) {
      const n = await conn.read(buf);
      if (n === null) return;
      request = decoder.push(buf.subarray(0, n)).find((f) => f.kind === "request");
    }
    if (request.kind !== "request") return;
    const cut = Number(new TextDecoder().decode(request.payload));
    const response = encodeFrame({
      kind: "response",
      id: request.id,
      payload: new TextEncoder().encode("answer"),
    });
    const both = new Uint8Array(response.length + BAD.length);
    both.set(response);
    both.set(BAD, response.length);
    if (cut === 0) {
      await conn.write(both);
    } else {
      await conn.write(both.subarray(0, cut));
      await new Promise((resolve) => setTimeout(resolve, 5)); // let the client read it alone
      await conn.write(both.subarray(cut));
    }
    while (await conn.read(buf) !== null) { /* linger */ }
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
  } else if (mode === "respond-bad") {
    respondBad(conn).catch(() => {});
  } else if (mode === "accept-v9") {
    acceptV9(conn).catch(() => {});
  } else if (mode === "mute") {
    held.push(conn);
    console.log("accepted");
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}
