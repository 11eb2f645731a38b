// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * What an idle connection costs a Unix-socket server: the server's RSS per
 * connection with 1,000 and 10,000 idle clients attached (each sent its
 * HELLO, got its ACCEPT, then says nothing), and how many connections per
 * second the server accepts and completes the handshake of while they
 * arrive 64 at a time (the raw server answers nothing: its clients only
 * write their 16 bytes). The library's `serve()` (default transport) against
 * a raw `Deno.listen` server that reads each connection into a 4 KiB buffer
 * (the peer). Target: ≤ 16 KiB per idle connection. A third row shows what
 * each connection adds between the two steps.
 *
 * The server and the clients run in their own processes with `ulimit -n`
 * raised (to 65536, or the hard limit when that is lower). Both servers
 * first accept, handshake and close the same 1,000 warm-up connections (the
 * code every connection runs is paged in and compiled by the optimizing
 * compilers once); the baseline RSS is read after them. Every RSS (from
 * /proc/self/status) is read after a settle time, a memory-reducing GC and
 * `malloc_trim(0)` (freed memory goes back to the system, so the measured
 * connections cannot reuse what the warm-up freed), for both servers alike:
 * see bench/README.md.
 *
 * Run: deno run -A bench/uds_scale_bench.ts [--quick] [--json out.json]
 *
 * @module
 */
import { serve } from "../uds/mod.ts";
import { encodeFrame } from "../protocol/mod.ts";
import { benchArgs, emit, type Figure, figure } from "./_lib/figures.ts";

const SELF = import.meta.filename!;
const STEPS = [1_000, 10_000];
const TARGET_KIB = 16;
/** Connections accepted, handshaken and closed before the baseline RSS is read. */
const WARM_UP = 1_000;

/** This process's resident set size, KiB. */
function rssKiB(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

/** glibc's `malloc_trim`, opened in the server processes only. */
let libc: { symbols: { malloc_trim(pad: bigint): number } } | undefined;

/**
 * A full, memory-reducing GC: what V8's memory reducer does by itself after
 * ~10 s of idleness (it also shrinks the young generation, which the burst
 * of accepts grew: up to ~6 KiB per connection, all of it given back). Then
 * `malloc_trim(0)`: the free memory of every malloc arena goes back to the
 * system (the optimizing compilers' zones, freed on their threads' arenas,
 * and what the closed warm-up connections freed).
 */
function reduceMemory(): void {
  const gc = (globalThis as { gc?: (options?: object) => void }).gc;
  gc?.({ type: "major", execution: "sync", flavor: "last-resort" });
  libc ??= Deno.dlopen("libc.so.6", { malloc_trim: { parameters: ["usize"], result: "i32" } });
  libc.symbols.malloc_trim(0n);
}

/** Answer "rss" lines on stdin with this process's RSS (after a memory-reducing GC). */
async function answerRss(): Promise<void> {
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  for await (const chunk of lines) {
    for (const _ of chunk.split("\n").filter((l) => l === "rss")) {
      await new Promise((r) => setTimeout(r, 300)); // closed connections are noticed
      reduceMemory();
      await new Promise((r) => setTimeout(r, 100));
      console.log(rssKiB());
    }
  }
}

async function server(kind: string, path: string): Promise<void> {
  if (kind === "library") {
    const s = await serve(
      { path, maxConnections: 100_000, handshakeTimeout: 600_000 },
      (req) => req.payload,
    );
    console.log("ready");
    await answerRss();
    await s.shutdown();
  } else {
    const listener = Deno.listen({ transport: "unix", path });
    (async () => {
      for await (const conn of listener) {
        (async () => {
          const buf = new Uint8Array(4096);
          while (await conn.read(buf) !== null) { /* idle */ }
          conn.close();
        })();
      }
    })();
    console.log("ready");
    await answerRss();
    listener.close();
  }
}

/** Connect, retrying while the listen backlog is full (EAGAIN). */
async function connectRetrying(path: string): Promise<Deno.Conn> {
  for (;;) {
    try {
      return await Deno.connect({ transport: "unix", path });
    } catch (err) {
      if (!(err instanceof Deno.errors.WouldBlock)) throw err;
      await new Promise((r) => setTimeout(r, 1));
    }
  }
}

/**
 * Open `count` more connections, 64 at a time, each with a handshake, and
 * keep them; print conns/s. A line "warm N" opens N the same way, then
 * closes them.
 */
async function clients(path: string, handshake: boolean): Promise<void> {
  const hello = encodeFrame({
    kind: "hello",
    minVersion: 1,
    maxVersion: 1,
    features: 0,
    maxFrameSize: 1 << 20,
  });
  const held: Deno.Conn[] = [];
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  for await (const chunk of lines) {
    for (const line of chunk.split("\n").filter(Boolean)) {
      const warm = line.startsWith("warm ");
      const count = Number(line.replace("warm ", ""));
      const opened: Deno.Conn[] = [];
      const start = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: 64 }, async () => {
        const reply = new Uint8Array(64);
        while (next++ < count) {
          const conn = await connectRetrying(path);
          await conn.write(hello);
          if (handshake && await conn.read(reply) === null) throw new Error("connection refused");
          (warm ? opened : held).push(conn);
        }
      }));
      for (const conn of opened) conn.close();
      console.log(count / ((performance.now() - start) / 1000));
    }
  }
  for (const conn of held) conn.close();
}

/** A process with `ulimit -n` raised, talking in lines on stdin/stdout. */
function spawn(args: string[]) {
  const child = new Deno.Command("bash", {
    args: [
      "-c",
      `{ ulimit -n 65536 || ulimit -n "$(ulimit -Hn)"; } 2>/dev/null; exec "$0" run -A --v8-flags=--expose-gc "$@"`,
      Deno.execPath(),
      SELF,
      ...args,
    ],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  return {
    async ask(line: string): Promise<string> {
      if (line) await writer.write(new TextEncoder().encode(line + "\n"));
      while (!text.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`${args.join(" ")} ended`);
        text += value;
      }
      const i = text.indexOf("\n");
      const out = text.slice(0, i);
      text = text.slice(i + 1);
      return out;
    },
    async close(): Promise<void> {
      await writer.close().catch(() => {});
      await reader.cancel().catch(() => {});
      await child.status;
    },
  };
}

/** One run against one server kind: KiB per connection at each step, and conns/s. */
async function measure(kind: string, dir: string): Promise<{ kib: number[]; rate: number }> {
  const path = `${dir}/${kind}.sock`;
  const srv = spawn(["--server", kind, path]);
  if (await srv.ask("") !== "ready") throw new Error(`${kind} server did not start`);
  const cli = spawn(["--clients", path, kind]);
  try {
    // The first connections page in code and get it compiled by the
    // optimizing compilers: not a cost per connection. Both servers take
    // the same warm-up connections first; what closing them frees goes back
    // to the system before the baseline (reduceMemory), so the measured
    // connections cannot reuse it.
    await cli.ask(`warm ${WARM_UP}`);
    const base = Number(await srv.ask("rss"));
    const kib: number[] = [];
    let have = 0, rate = 0;
    for (const step of STEPS) {
      rate = Number(await cli.ask(String(step - have)));
      have = step;
      kib.push((Number(await srv.ask("rss")) - base) / step);
    }
    return { kib, rate };
  } finally {
    await cli.close();
    await srv.close();
  }
}

async function main(): Promise<void> {
  const { quick, json } = benchArgs();
  const runs = quick ? 1 : 3;
  const dir = await Deno.makeTempDir({ prefix: "udss" });
  const s: Record<string, number[]> = {};
  const add = (k: string, v: number) => (s[k] ??= []).push(v);
  try {
    for (let r = 0; r < runs; r++) {
      for (const kind of ["raw", "library"]) {
        const { kib, rate } = await measure(kind, dir);
        STEPS.forEach((step, i) => add(`${kind} ${step}`, kib[i]!));
        add(`${kind} rate`, rate);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  const figures: Figure[] = [];
  for (const step of STEPS) {
    const n = step.toLocaleString("en");
    const raw = figure(
      `RSS per idle connection, ${n}, raw Deno 4 KiB reads`,
      "KiB",
      s[`raw ${step}`]!,
      {
        baseline: true,
      },
    );
    const lib = figure(`RSS per idle connection, ${n}, serve()`, "KiB", s[`library ${step}`]!);
    lib.against = raw.name;
    lib.ratio = lib.median / raw.median;
    lib.target = `≤ ${TARGET_KIB} KiB`;
    lib.pass = lib.median <= TARGET_KIB;
    figures.push(raw, lib);
  }
  // Between the two steps: what each further connection adds (a check on
  // the warm-up: with every one-off cost before the baseline, the 1,000 row
  // and this one agree).
  const [lo, hi] = STEPS as unknown as [number, number];
  const marginal = (kind: string) =>
    s[`${kind} ${hi}`]!.map((x, i) => (x * hi - s[`${kind} ${lo}`]![i]! * lo) / (hi - lo));
  const rawMarginal = figure(
    "RSS per idle connection, 1,000 → 10,000, raw Deno 4 KiB reads",
    "KiB",
    marginal("raw"),
    { baseline: true },
  );
  const libMarginal = figure(
    "RSS per idle connection, 1,000 → 10,000, serve()",
    "KiB",
    marginal("library"),
  );
  libMarginal.against = rawMarginal.name;
  libMarginal.ratio = libMarginal.median / rawMarginal.median;
  libMarginal.target = `≤ ${TARGET_KIB} KiB`;
  libMarginal.pass = libMarginal.median <= TARGET_KIB;
  figures.push(rawMarginal, libMarginal);
  const rawRate = figure("connections accepted per second, raw Deno", "conns/s", s["raw rate"]!, {
    baseline: true,
  });
  const libRate = figure("connections accepted per second, serve()", "conns/s", s["library rate"]!);
  libRate.against = rawRate.name;
  libRate.ratio = libRate.median / rawRate.median;
  figures.push(rawRate, libRate);
  await emit({ mechanism: "uds", figures }, json);
}

if (import.meta.main) {
  const [flag, a, b] = Deno.args as [string, string, string];
  if (flag === "--server") await server(a, b);
  else if (flag === "--clients") await clients(a, b === "library");
  else await main();
}
