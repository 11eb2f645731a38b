// Copyright 2026 the @ipc/linux authors. MIT license.
// A peer that streams notifications from ONE reused buffer (so a writer that
// aliased the caller's buffer would corrupt them). Notification `i` carries
// `i` as a u32 in its first 4 bytes, then `i & 0xff` in every other byte; its
// size is `size + 7 * i`, except every 5th one, which is 100 bytes.
//
//   send PATH COUNT SIZE: connect, notify COUNT times, then request "done"
//     and print its reply.
//   serve PATH COUNT SIZE: serve; a request "stream" makes the server notify
//     the caller COUNT times, then answer "sent". Prints "listening", then
//     serves until killed.
import { connect, serve, type ServerConnection } from "../../uds/mod.ts";

/** Fills `buffer` with notification `i` and returns the view to send. */
export function pattern(buffer: Uint8Array, i: number, size: number): Uint8Array {
  const length = i % 5 === 4 ? 100 : size + 7 * i;
  const view = buffer.subarray(0, length);
  view.fill(i & 0xff);
  new DataView(view.buffer, view.byteOffset).setUint32(0, i);
  return view;
}

/** Whether `payload` is exactly notification `i` (checked byte by byte). */
export function isPattern(payload: Uint8Array, size: number): { ok: boolean; index: number } {
  const index = new DataView(payload.buffer, payload.byteOffset).getUint32(0);
  const length = index % 5 === 4 ? 100 : size + 7 * index;
  if (payload.length !== length) return { ok: false, index };
  const fill = index & 0xff;
  for (let k = 4; k < payload.length; k++) if (payload[k] !== fill) return { ok: false, index };
  return { ok: true, index };
}

async function stream(
  send: (payload: Uint8Array) => Promise<void>,
  count: number,
  size: number,
): Promise<void> {
  const buffer = new Uint8Array(size + 7 * count);
  for (let i = 0; i < count; i++) await send(pattern(buffer, i, size));
}

if (import.meta.main) {
  const [mode, path, countArg, sizeArg] = Deno.args;
  const count = Number(countArg);
  const size = Number(sizeArg);
  if (mode === "send") {
    const client = await connect({ path });
    await stream((p) => client.notify("blob", p), count, size);
    console.log(new TextDecoder().decode(await client.request("done")));
    await client.close();
  } else if (mode === "serve") {
    await serve({ path }, async (req, ctx) => {
      const connection: ServerConnection = ctx.connection;
      if (req.method !== "stream") throw new Error(`unknown method ${req.method}`);
      await stream((p) => connection.notify("blob", p), count, size);
      return "sent";
    });
    console.log("listening");
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}
