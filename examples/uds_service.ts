// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A request/response service: a key-value store served over a Unix socket
 * with JSON payloads. The client (a child process) stores and reads values,
 * gets an application error for a missing key, and cancels a slow request
 * with a timeout. Requests run concurrently and are answered out of order.
 *
 * Run: `deno run --allow-read --allow-write --allow-net --allow-run examples/uds_service.ts`
 *
 * Permissions: exactly these: a temporary directory and the socket (read, write, net), starting
 * the client; it gets read and write access to the socket path and `--allow-net` only.
 *
 * @module
 */
import { onShutdown } from "../signals/mod.ts";
import { connect, RemoteError, serve } from "../uds/mod.ts";

const NOT_FOUND = 4004; // application error codes are 1000-65535

if (Deno.args[0] === "client") {
  await using client = await connect({ path: Deno.args[1] });
  const call = async (method: string, body: unknown, signal?: AbortSignal) =>
    JSON.parse(
      new TextDecoder().decode(await client.request(method, JSON.stringify(body), { signal })),
    );
  await Promise.all([
    call("set", { key: "colour", value: "blue" }),
    call("set", { key: "size", value: 42 }),
  ]);
  console.log(`get colour -> ${JSON.stringify(await call("get", { key: "colour" }))}`);
  console.log(`keys -> ${JSON.stringify(await call("keys", {}))}`);
  try {
    await call("get", { key: "missing" });
  } catch (err) {
    if (!(err instanceof RemoteError)) throw err;
    console.log(`get missing -> RemoteError ${err.code}: ${err.message}`);
  }
  try {
    await call("slow", {}, AbortSignal.timeout(100));
  } catch (err) {
    console.log(`slow -> ${(err as Error).name} (cancelled after 100 ms)`);
  }
} else {
  const store = new Map<string, unknown>();
  const dir = await Deno.makeTempDir();
  // Ctrl-C (or SIGTERM): remove the socket's directory too; onShutdown then exits 130 (143).
  using _stop = onShutdown(() => Deno.removeSync(dir, { recursive: true }));
  const path = `${dir}/kv.sock`;
  let cancelled = 0;
  try {
    await using _server = await serve({ path }, async (req, ctx) => {
      const body = req.json() as { key?: string; value?: unknown };
      switch (req.method) {
        case "set":
          store.set(body.key!, body.value);
          return JSON.stringify({ ok: true });
        case "get":
          if (!store.has(body.key!)) {
            throw new RemoteError(NOT_FOUND, `No such key "${body.key}"`);
          }
          return JSON.stringify(store.get(body.key!));
        case "keys":
          return JSON.stringify([...store.keys()].sort());
        case "slow":
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 10_000);
            ctx.signal.addEventListener("abort", () => {
              cancelled++;
              clearTimeout(timer);
              resolve();
            });
          });
          return "{}";
        default:
          throw new RemoteError(102, `Unknown method "${req.method}"`);
      }
    });
    console.log(`server listening on ${path}`);
    const child = new Deno.Command(Deno.execPath(), {
      // The client may use this one socket and nothing else.
      args: [
        "run",
        `--allow-read=${path}`,
        `--allow-write=${path}`,
        "--allow-net",
        import.meta.filename!,
        "client",
        path,
      ],
      stdout: "inherit",
    }).spawn();
    await child.status;
    console.log(`server: ${store.size} keys stored, ${cancelled} request cancelled`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
