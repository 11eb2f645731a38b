// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The native Unix-socket transport (`UnixSocket` through FFI) against the
 * default one (`Deno.connect`) and C, round trips of 64 B one at a time
 * (p50 µs), servers in a child process (`_lib/native_peer.ts`):
 *
 * - framed `client.request` on `transport: "native"` vs the default transport;
 * - framed `client.request` carrying one descriptor (FDS) vs none, both native;
 * - a raw `UnixSocket` 64 B ping-pong carrying one descriptor vs none;
 * - the raw `UnixSocket` ping-pong vs C read/write (bench/c/baseline_uds.c).
 *
 * Run: `deno run -A bench/native_bench.ts [--quick] [--json out.json]`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { connect, UnixSocket } from "../uds/mod.ts";
import { benchArgs, type BenchReport, compare, emit, figure } from "./_lib/figures.ts";
import { buildBaseline, runBaseline } from "./_lib/native.ts";

const PEER = fileURLToPath(new URL("./_lib/native_peer.ts", import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function framed(
  path: string,
  native: boolean,
  trips: number,
  withFd = false,
): Promise<number> {
  await using client = await connect({ path, transport: native ? "native" : "default" });
  const msg = new Uint8Array(64);
  const times: number[] = [];
  const options = withFd ? { fds: [1] } : {};
  for (let i = 0; i < trips; i++) {
    const t = performance.now();
    await client.request("echo", msg, options);
    times.push((performance.now() - t) * 1000);
  }
  return median(times);
}

async function raw(path: string, withFd: boolean, trips: number): Promise<number> {
  using sock = await UnixSocket.connect(path);
  const msg = new Uint8Array(64);
  const fds = withFd ? [sock.fd] : [];
  const times: number[] = [];
  for (let i = 0; i < trips; i++) {
    const t = performance.now();
    await sock.send(msg, { fds });
    let got = 0;
    while (got < 64) got += (await sock.receive())!.data.length;
    times.push((performance.now() - t) * 1000);
  }
  return median(times);
}

async function main(): Promise<void> {
  const { quick, json } = benchArgs();
  const runs = quick ? 3 : 5;
  const trips = quick ? 2000 : 5000;
  const dir = await Deno.makeTempDir({ prefix: "natb" });
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", PEER, dir],
    stdout: "piped",
    stdin: "null",
  }).spawn();
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const samples: Record<string, number[]> = {};
  const add = (name: string, value: number) => (samples[name] ??= []).push(value);
  try {
    await reader.read(); // "ready"
    const cExe = await buildBaseline("baseline_uds");
    for (let run = 0; run < runs; run++) {
      add("default", await framed(`${dir}/default.sock`, false, trips));
      add("native", await framed(`${dir}/native.sock`, true, trips));
      add("native fd", await framed(`${dir}/native.sock`, true, trips, true));
      add("raw", await raw(`${dir}/raw.sock`, false, trips));
      add("raw fd", await raw(`${dir}/raw.sock`, true, trips));
      const c = await runBaseline<{ p50_us: number }>(cExe, [String(trips), "1000"]);
      add("c", c.p50_us); // the median round trip, as the rows above report
    }
    const f = (key: string, name: string) => figure(name, "µs", samples[key]!, { size: 64 });
    const native = f("native", "framed rtt, native transport");
    const rawNoFd = f("raw", "UnixSocket rtt");
    const figures = [
      compare(native, f("default", "framed rtt, default transport")),
      compare(
        f("native fd", "framed rtt + 1 fd, native transport"),
        f("native", "framed rtt, native transport"),
      ),
      compare(f("raw fd", "UnixSocket rtt + 1 fd"), f("raw", "UnixSocket rtt")),
      compare(rawNoFd, f("c", "C read/write rtt")),
    ];
    const notes = [
      "ratios are medians of per-run ratios; the machine is shared: compare ratios only",
    ];
    await emit({ mechanism: "native-uds", figures, notes } as BenchReport, json);
  } finally {
    server.kill("SIGKILL");
    await server.status;
    await reader.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
