// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A notification stream: a server broadcasts events to every subscribed
 * client; two client processes print what they receive. When the server
 * shuts down, the clients see the connection close gracefully.
 *
 * Run: `deno run --allow-read --allow-write --allow-net --allow-run examples/uds_notifications.ts`
 *
 * Permissions: exactly these: a temporary directory and the socket (read, write, net), starting
 * the clients; they get read and write access to the socket path and `--allow-net` only.
 *
 * @module
 */
import { onShutdown } from "../signals/mod.ts";
import { connect, type NotificationEvent, serve } from "../uds/mod.ts";

if (Deno.args[0] === "client") {
  const name = Deno.args[2];
  const client = await connect({ path: Deno.args[1] });
  const got: string[] = [];
  client.addEventListener("notification", (e) => got.push((e as NotificationEvent).text()));
  const closed = new Promise<void>((resolve) =>
    client.addEventListener("statechange", () => client.state === "closed" && resolve())
  );
  await client.request("subscribe", name);
  await closed;
  console.log(`${name} received: ${got.join(", ")}`);
} else {
  const dir = await Deno.makeTempDir();
  // Ctrl-C (or SIGTERM): remove the socket's directory too; onShutdown then exits 130 (143).
  using _stop = onShutdown(() => Deno.removeSync(dir, { recursive: true }));
  const path = `${dir}/events.sock`;
  try {
    const subscribed = Promise.withResolvers<void>();
    let subscribers = 0;
    await using server = await serve({ path }, () => {
      if (++subscribers === 2) subscribed.resolve();
      return "subscribed";
    });
    console.log(`server listening on ${path}`);
    const children = ["alice", "bob"].map((name) =>
      new Deno.Command(Deno.execPath(), {
        // The client may use this one socket and nothing else.
        args: [
          "run",
          `--allow-read=${path}`,
          `--allow-write=${path}`,
          "--allow-net",
          import.meta.filename!,
          "client",
          path,
          name,
        ],
        stdout: "piped",
      }).output()
    );
    // A client that fails before subscribing must not leave the server waiting forever.
    await Promise.race([
      subscribed.promise,
      Promise.all(children).then(() => {
        throw new Error("the clients ended before subscribing");
      }),
    ]);
    for (const event of ["deploy started", "tests passed", "deploy done"]) {
      await server.broadcast("event", event);
    }
    await server.shutdown();
    for (const out of await Promise.all(children)) {
      console.log(new TextDecoder().decode(out.stdout).trim());
    }
    console.log("server shut down; socket file removed");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}
