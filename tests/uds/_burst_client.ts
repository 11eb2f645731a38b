// Copyright 2026 the @ipc/linux authors. MIT license.
// A client that loads its server's reads, then goes idle. burst PATH: connect,
// then for each stdin line: "burst" sends 64 requests of 4 KiB at once and
// prints "burst done" once all are answered; "medium" sends 20 requests of
// 160 bytes one after another ("medium done"); "small" sends one 8-byte
// request ("small done"). Runs until stdin closes.
import { connect } from "../../uds/mod.ts";

const client = await connect({ path: Deno.args[0]! });
for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
  for (const line of chunk.split("\n").filter(Boolean)) {
    if (line === "burst") {
      const payload = new Uint8Array(4096).fill(7);
      await Promise.all(Array.from({ length: 64 }, () => client.request("echo", payload)));
    } else if (line === "medium") {
      for (let i = 0; i < 20; i++) await client.request("echo", new Uint8Array(160));
    } else {
      await client.request("echo", new Uint8Array(8));
    }
    console.log(`${line} done`);
  }
}
await client.close();
