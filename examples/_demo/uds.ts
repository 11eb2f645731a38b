// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Demo rows for the tour: a framed-protocol server in this process and a
 * client in a child Deno process (this same file, run with `child`). The
 * child makes concurrent requests, gets an error for a handler that throws,
 * and receives a server notification.
 *
 * @module
 */
import { connect, type NotificationEvent, type RemoteError, serve } from "../../uds/mod.ts";

/** One line of the tour's table. */
type DemoRow = { mechanism: string; what: string; result: string };

/** Run the exchange and describe it. Removes the socket and its directory even on error. */
export async function demo(): Promise<DemoRow[]> {
  const dir = await Deno.makeTempDir({ prefix: `uds_demo_${Deno.pid}_` });
  const path = `${dir}/demo.sock`;
  const rows: DemoRow[] = [];
  try {
    await using server = await serve({ path }, async (req, ctx) => {
      if (req.method === "square") return String(Number(req.text()) ** 2);
      if (req.method === "subscribe") {
        await ctx.connection.notify("news", "hello from the server");
        return "ok";
      }
      throw new Error(`cannot ${req.method}`);
    });
    rows.push({
      mechanism: "uds",
      what: "server listening (mode 0o600)",
      result: `${path.split("/").pop()} ${((await Deno.lstat(path)).mode! & 0o777).toString(8)}`,
    });
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--allow-read=${path}`,
        `--allow-write=${path}`,
        "--allow-net",
        import.meta.filename!,
        "child",
        path,
      ],
      stdin: "null",
    }).output();
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
    for (const line of lines) {
      const [what, result = ""] = line.split("\t");
      rows.push({ mechanism: "uds", what: `child: ${what}`, result });
    }
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    await server.shutdown();
    rows.push({ mechanism: "uds", what: "server shut down", result: "socket file removed" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return rows;
}

async function child(path: string): Promise<void> {
  await using client = await connect({ path });
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  const squares = await Promise.all([3, 4, 5].map((n) => client.request("square", String(n))));
  console.log(`3 requests in flight: square 3, 4, 5\t${squares.map(text).join(", ")}`);
  try {
    await client.request("divide", "1/0");
  } catch (err) {
    console.log(`handler threw\t${(err as RemoteError).codeName}: ${(err as Error).message}`);
  }
  const news = new Promise<string>((resolve) =>
    client.addEventListener("notification", (e) => resolve((e as NotificationEvent).text()))
  );
  await client.request("subscribe");
  console.log(`notification received\t${await news}`);
  console.log(`ping round trip\t${(await client.ping()).toFixed(2)} ms`);
}

if (import.meta.main && Deno.args[0]! === "child") await child(Deno.args[1]!);
