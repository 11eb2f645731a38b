// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Zero-downtime restart by socket hand-off: generation 1 of a server runs in
 * a child process; generation 2 starts, asks generation 1 for its listening
 * socket over a control socket (the descriptor travels with `SCM_RIGHTS`),
 * serves on it with `serve({ fd })`, and generation 1 drains and exits. The
 * socket never stops listening, so clients hammering the path meanwhile are
 * never refused: one connecting afresh for each request, one long-lived
 * client that reconnects. A request that reaches generation 1 after it said
 * GOODBYE is answered `SHUTTING_DOWN` (never handled) and retried.
 *
 * Run: `deno run --allow-read --allow-write --allow-net --allow-run examples/uds_handoff.ts`
 *
 * The server generations get `--allow-ffi` (the native transport) and read
 * and write access to the socket's directory only.
 *
 * @module
 */
import { connect, ErrorCode, RemoteError, serve, type Server } from "../uds/mod.ts";
import { UnixListener, UnixSocket } from "../uds/mod.ts";

const enc = new TextEncoder();

/** One server generation: take over from the running one if there is one, else bind `path`. */
async function generation(path: string, gen: string): Promise<void> {
  const control = `\0ipc-linux-handoff:${path}`;
  const handler = () => gen;
  // SIGTERM stops the generation from the start: one sent while it takes over
  // would otherwise kill it before it listens for the signal.
  const stop = new AbortController();
  const onTerm = () => stop.abort();
  Deno.addSignalListener("SIGTERM", onTerm);
  let server: Server;
  let controls: UnixListener;
  try {
    using previous = await UnixSocket.connect(control);
    const message = await previous.receive({ signal: AbortSignal.timeout(10_000) });
    server = await serve({ fd: message!.fds[0]!.take(), path }, handler);
    await previous.send(enc.encode("ready"));
    // End of stream: it let go of the control name.
    await previous.receive({ signal: AbortSignal.timeout(10_000) });
    controls = await UnixListener.listen(control);
  } catch (err) {
    if (!(err instanceof Deno.errors.ConnectionRefused)) throw err;
    // The control name first: once the socket file exists, a successor can
    // ask for it (with the path first, one started at once was refused and
    // bound a path still in use, and this generation waited forever).
    controls = await UnixListener.listen(control);
    server = await serve({ path, transport: "native" }, handler);
  }
  console.log(`generation ${gen} serving`);
  try {
    using next = await controls.accept({ signal: stop.signal });
    await next.send(enc.encode("listener"), { fds: [server.fd] });
    await next.receive({ signal: AbortSignal.timeout(10_000) }); // "ready": it serves now
    await controls.close();
    next.close();
    await server.shutdown({ keepSocketFile: true }); // drain; the successor keeps the path
    console.log(`generation ${gen} handed off and drained`);
  } catch (err) {
    if (!stop.signal.aborted) throw err;
    await server.shutdown(); // the last generation removes the socket file
    console.log(`generation ${gen} stopped`);
  } finally {
    await controls.close();
    Deno.removeSignalListener("SIGTERM", onTerm);
  }
}

interface Counts {
  ok: number;
  failed: number;
  retried: number;
  byGeneration: Record<string, number>;
}

function answered(counts: Counts, reply: Uint8Array): void {
  const gen = new TextDecoder().decode(reply);
  counts.ok++;
  counts.byGeneration[gen] = (counts.byGeneration[gen] ?? 0) + 1;
}

function failed(counts: Counts, err: unknown): void {
  counts.failed++;
  console.log(`request failed: ${err}`);
}

/**
 * Requests until `stop`, each on a fresh connection: one refused or lost is
 * a failure. A server that said GOODBYE (it is draining) handled nothing: a
 * request it answered SHUTTING_DOWN, or that the client no longer sent after
 * the GOODBYE, is retried on a new connection.
 */
async function fresh(path: string, stop: AbortSignal, counts: Counts): Promise<void> {
  while (!stop.aborted) {
    let client;
    try {
      client = await connect({ path });
    } catch (err) {
      if (err instanceof RemoteError && err.code === ErrorCode.SHUTTING_DOWN) counts.retried++;
      else failed(counts, err);
      continue;
    }
    try {
      answered(counts, await client.request("who"));
    } catch (err) {
      const draining = client.state === "closing" || client.state === "closed";
      if (draining || (err instanceof RemoteError && err.code === ErrorCode.SHUTTING_DOWN)) {
        counts.retried++;
      } else {
        failed(counts, err);
      }
    } finally {
      await client.close();
    }
  }
}

/**
 * Requests until `stop` on one client that reconnects (requests made after
 * the GOODBYE wait for the next server); one that crossed the GOODBYE on
 * the wire is answered SHUTTING_DOWN, unhandled, and retried.
 */
async function steady(path: string, stop: AbortSignal, counts: Counts): Promise<void> {
  await using client = await connect({ path, reconnect: { initialDelay: 5 } });
  while (!stop.aborted) {
    try {
      answered(counts, await client.request("who"));
    } catch (err) {
      if (err instanceof RemoteError && err.code === ErrorCode.SHUTTING_DOWN) counts.retried++;
      else failed(counts, err);
    }
  }
}

/** Both kinds of clients hammering the path until `stop`. */
async function hammer(path: string, stop: AbortSignal): Promise<Counts> {
  const counts: Counts = { ok: 0, failed: 0, retried: 0, byGeneration: {} };
  await Promise.all([fresh(path, stop, counts), steady(path, stop, counts)]);
  return counts;
}

function start(dir: string, path: string, gen: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-ffi",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      import.meta.filename!,
      "server",
      path,
      gen,
    ],
    stdout: "inherit",
  }).spawn();
}

if (Deno.args[0] === "server") {
  await generation(Deno.args[1]!, Deno.args[2]!);
} else {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/app.sock`;
  try {
    const first = start(dir, path, "1");
    let firstExited = false;
    first.status.then(() => firstExited = true);
    while (!(await Deno.lstat(path).catch(() => undefined))?.isSocket) {
      if (firstExited) throw new Error("generation 1 exited before it served");
      await new Promise((r) => setTimeout(r, 20));
    }
    const stop = new AbortController();
    const hammering = hammer(path, stop.signal);
    await new Promise((r) => setTimeout(r, 300));
    const second = start(dir, path, "2");
    // Generation 1 exits once it handed off and drained; a successor that
    // failed first would leave it waiting for another.
    const handedOff = await Promise.race([
      first.status.then(() => true),
      second.status.then(() => false),
    ]);
    if (!handedOff) {
      first.kill("SIGTERM");
      await first.status;
      throw new Error("generation 2 exited before generation 1 handed off");
    }
    const firstStatus = await first.status;
    await new Promise((r) => setTimeout(r, 300));
    stop.abort();
    const counts = await hammering;
    second.kill("SIGTERM");
    const secondStatus = await second.status;
    console.log(
      `generation 1 exited with ${firstStatus.code}, generation 2 with ${secondStatus.code}`,
    );
    console.log(
      `requests: ${counts.ok} ok, ${counts.failed} failed, ${counts.retried} retried ` +
        `(generation 1 answered ${counts.byGeneration["1"] ?? 0}, ` +
        `generation 2 answered ${counts.byGeneration["2"] ?? 0})`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
