// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Echo server and client over a Unix socket, in two processes: this process
 * serves, a child process (this file with `client`) connects and sends
 * three messages; each comes back unchanged.
 *
 * Run: `deno run --allow-read --allow-write --allow-net --allow-run examples/uds_echo.ts`
 *
 * Permissions: exactly these: a temporary directory and the socket (read, write, net), starting
 * the client; it gets read and write access to the socket path and `--allow-net` only.
 *
 * @module
 */
import { onShutdown } from "../signals/mod.ts";
import { connect, serve } from "../uds/mod.ts";

if (Deno.args[0] === "client") {
  await using client = await connect({ path: Deno.args[1] });
  for (const word of ["hello", "from", "the client"]) {
    const reply = await client.request("echo", word);
    console.log(`client got: ${new TextDecoder().decode(reply)}`);
  }
} else {
  const dir = await Deno.makeTempDir();
  // Ctrl-C (or SIGTERM): remove the socket's directory too; onShutdown then exits 130 (143).
  using _stop = onShutdown(() => Deno.removeSync(dir, { recursive: true }));
  const path = `${dir}/echo.sock`;
  try {
    await using server = await serve({ path }, (req) => req.payload);
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
    const { code } = await child.status;
    console.log(`client exited with ${code}; ${server.connections.size} connections left`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
