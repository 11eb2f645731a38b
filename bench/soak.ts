// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * `deno task soak [-- channel|shared-memory|semaphore] [--cycles N]`: native
 * memory soak. Each row runs in a fresh process: it warms up (10,000
 * cycles: the JIT, V8's heap and malloc's arenas grow by ~20 MiB there even
 * with no leak), then runs two windows of N open/close cycles each (10,000
 * by default), reading the process's private memory (`RssAnon`: malloc and
 * V8's heap) before and after each. A row fails when the first window grew
 * by 5 MiB or more (~0.5 KiB per cycle); the second shows whether growth
 * goes on. VmRSS is printed too; it also counts pages of the deno binary
 * read in as new code paths run (1-2 MiB, shared and clean).
 *
 * Garbage is collected only before each reading: between readings the
 * process runs as an application would, so memory V8 holds on to for lack
 * of a collection counts. (The Channel leak this soak was written for grew
 * by ~30 MiB in the first window, ~70 MiB without the warm-up, far less
 * under frequent forced collections.) One cycle per mechanism:
 *
 * - channel: Channel.create + Channel.open + a message each way + close both
 * - shared-memory: SharedMemory.create + SharedMemory.open + close both
 * - semaphore: Semaphore.open(create) + Semaphore.open + post/tryWait + close both
 *
 * Not a unit test (it takes a minute and measures the process); run it
 * after touching how objects are mapped, viewed or closed.
 */
import { Channel, Semaphore, SharedMemory } from "../shm/mod.ts";

const LIMIT_MIB = 5;
const WARMUP = 10_000;

type Reading = { rss: number; anon: number };

const cycles: Record<string, (name: string) => void> = {
  "channel": (name) => {
    const tx = Channel.create(name, { capacity: 4096, unlinkOnClose: true });
    const rx = Channel.open(name);
    tx.trySend(new Uint8Array([1, 2, 3]));
    rx.tryReceive();
    rx.close();
    tx.close();
  },
  "shared-memory": (name) => {
    const a = SharedMemory.create(name, { size: 4096, unlinkOnClose: true });
    const b = SharedMemory.open(name);
    a.bytes[0] = 1;
    if (b.bytes[0] !== 1) throw new Error("shared memory is not shared");
    b.close();
    a.close();
  },
  "semaphore": (name) => {
    const a = Semaphore.open(name, { create: true, exclusive: true, unlinkOnClose: true });
    const b = Semaphore.open(name);
    b.post();
    if (!a.tryWait()) throw new Error("semaphore lost a post");
    b.close();
    a.close();
  },
};

/** VmRSS and its private (anonymous: malloc, V8's heap) part, in MiB. */
function memory(): { rss: number; anon: number } {
  const status = Deno.readTextFileSync("/proc/self/status");
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]);
  return { rss: kib("VmRSS") / 1024, anon: kib("RssAnon") / 1024 };
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --v8-flags=--expose-gc");
  gc();
  gc();
}

/** In the child: run one row and print its JSON result. */
async function child(kind: string, count: number): Promise<void> {
  const cycle = cycles[kind]!;
  const name = `soak_${kind}_${Deno.pid}`;
  const start = memory().rss;
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) cycle(name);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let finalizers and sweeping run
    collect();
  };
  await run(WARMUP);
  const readings = [memory()];
  for (let window = 0; window < 2; window++) {
    await run(count);
    readings.push(memory());
  }
  console.log(JSON.stringify({ kind, cycles: count, start, readings }));
}

const flag = Deno.args.indexOf("--cycles");
const count = flag >= 0 ? Number(Deno.args[flag + 1]) : 10_000;
if (!Number.isSafeInteger(count) || count <= 0) throw new RangeError(`bad --cycles ${count}`);
const childKind = Deno.args.indexOf("--child");
if (childKind >= 0) {
  await child(Deno.args[childKind + 1]!, count);
} else {
  const asked = Deno.args.filter((a, i) => !a.startsWith("--") && Deno.args[i - 1] !== "--cycles");
  const kinds = asked.length > 0 ? asked : Object.keys(cycles);
  let failed = false;
  for (const kind of kinds) {
    if (!(kind in cycles)) throw new TypeError(`unknown row ${JSON.stringify(kind)}`);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--v8-flags=--expose-gc",
        import.meta.filename!,
        "--child",
        kind,
        "--cycles",
        String(count),
      ],
      stdin: "null",
      stderr: "inherit",
    }).output();
    if (!out.success) {
      console.error(`${kind}: the child failed (exit code ${out.code})`);
      failed = true;
      continue;
    }
    const r = JSON.parse(new TextDecoder().decode(out.stdout));
    const [m0, m1, m2] = r.readings as [Reading, Reading, Reading];
    const windows = [m1.anon - m0.anon, m2.anon - m1.anon];
    const ok = windows[0]! < LIMIT_MIB;
    failed ||= !ok;
    const mib = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;
    console.log(
      `${kind.padEnd(14)} private ${windows.map(mib).join(" / ")} MiB per ${r.cycles} cycles, ` +
        `RSS ${m0.rss.toFixed(1)} -> ${m1.rss.toFixed(1)} -> ${m2.rss.toFixed(1)} MiB ` +
        `(${r.start.toFixed(1)} before the warm-up) ${
          ok ? "ok" : `FAIL (+${LIMIT_MIB} MiB or more)`
        }`,
    );
  }
  if (failed) Deno.exit(1);
}
