// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A hand-written framed server for tests of the spinning native conn
 * (tests/uds/spin_conn_test.ts), in its own process, on Deno's own sockets:
 * it does on the wire what a library server does only by chance of timing.
 * After the handshake (ACCEPT, no features), each REQUEST's payload says
 * how to answer it, with a RESPONSE echoing that payload:
 *
 *   "split:CUT:MS"  the RESPONSE in two writes, CUT bytes in, MS ms apart;
 *   "bytes:MS"      the RESPONSE one byte per write, MS ms apart;
 *   "burst"         nothing yet; the next REQUEST is answered with a NOTIFY
 *                   "n" and both RESPONSEs (the later request first) in ONE write;
 *   "close"         no answer: the connection is closed;
 *   "exit"          no answer: the process exits;
 *   anything else   the RESPONSE at once.
 *
 * Prints `listening`; runs until killed.
 *
 * @module
 */
import { encodeFrame, type Frame, FrameDecoder, type RequestFrame } from "../../protocol/mod.ts";
import { concat } from "../protocol/_bytes.ts";

const [path] = Deno.args as [string];
const listener = Deno.listen({ transport: "unix", path });
console.log("listening");

const text = new TextDecoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function response(request: RequestFrame): Uint8Array {
  return encodeFrame({ kind: "response", id: request.id, payload: request.payload });
}

async function serveOne(conn: Deno.Conn): Promise<void> {
  const decoder = new FrameDecoder({ maxFrameSize: 1 << 20 });
  const buf = new Uint8Array(65536);
  let held: RequestFrame | undefined;
  const answer = async (frame: Frame): Promise<boolean> => {
    if (frame.kind === "hello") {
      await conn.write(
        encodeFrame({ kind: "accept", version: 1, features: 0, maxFrameSize: 1 << 20 }),
      );
      return true;
    }
    if (frame.kind === "goodbye") {
      await conn.write(encodeFrame({ kind: "goodbye", reason: "" }));
      return false;
    }
    if (frame.kind !== "request") return true;
    const how = text.decode(frame.payload).split(":");
    if (held) {
      const notify = encodeFrame({ kind: "notify", method: "n", payload: new Uint8Array(3) });
      await conn.write(concat([notify, response(frame), response(held)]));
      held = undefined;
    } else if (how[0] === "split") {
      const bytes = response(frame);
      const cut = Number(how[1]);
      await conn.write(bytes.subarray(0, cut));
      await sleep(Number(how[2]));
      await conn.write(bytes.subarray(cut));
    } else if (how[0] === "bytes") {
      const bytes = response(frame);
      for (let i = 0; i < bytes.length; i++) {
        await conn.write(bytes.subarray(i, i + 1));
        await sleep(Number(how[1]));
      }
    } else if (how[0] === "burst") {
      held = { ...frame, payload: frame.payload.slice() }; // a view into `buf`
    } else if (how[0] === "close") {
      return false;
    } else if (how[0] === "exit") {
      Deno.exit(0);
    } else {
      await conn.write(response(frame));
    }
    return true;
  };
  try {
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) return;
      for (const frame of decoder.push(buf.subarray(0, n))) {
        if (!await answer(frame)) return;
      }
    }
  } finally {
    conn.close();
  }
}

for await (const conn of listener) serveOne(conn).catch(() => {});
