// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The Deno side of bench/mq_bench.ts's pairs: each run as
 * `deno run -A mq_peer.ts <kind> …` in its own process, its main thread
 * first pinned where `BENCH_PEER_CPU` says (when the bench places the pair),
 * as the C programs (bench/c/mq_*.c) pin themselves through `bench_pin`.
 *
 * - `send|receive NAME COUNT SIZE SPIN WARM`: one-way, WARM untimed
 *   messages first; the receiver prints `{ns, cpu_us}`, the sender
 *   `{cpu_us}`, both of the last COUNT messages.
 * - `ping|pong PING PONG COUNT SIZE SPIN [SYNC_WAIT]`: round trips with
 *   `await send` and `await receiveInto` on handles opened with `spin`.
 * - `sync-ping|sync-pong PING PONG COUNT SIZE SPIN`: the same with the
 *   sleepless try loop: `trySend`, then `tryReceiveInto(buf, { spin })` and
 *   only when that finds nothing `await receiveInto` on handles opened with
 *   `spin: 0` (C's strategy: spin, then sleep).
 * - `raw-ping|raw-pong PING PONG COUNT SIZE SPIN`: the floor, see
 *   {@linkcode rawRole}; `raw-send|raw-receive NAME COUNT SIZE SPIN WARM` the
 *   one-way floor, see {@linkcode rawOneWay}.
 *
 * Every ping-pong makes {@linkcode WARMUP} untimed round trips first
 * ({@linkcode SPIN_WARMUP} when spinning); the ping prints the latency
 * stats with its CPU time, the pong `{cpu_us}`.
 *
 * @module
 */
import { MessageQueue } from "../../mq/mod.ts";
import { cpuMicros, Latencies } from "./figures.ts";
import { pinPeer } from "./placement.ts";
import { backend, libc } from "../../_ffi/mod.ts";
import { O_NONBLOCK, O_RDONLY, O_WRONLY } from "../../_ffi/constants.ts";

/**
 * Untimed round trips before the timed ones, as in C (mq_pingpong.c): the
 * first waits for the peer to start, and the JIT settles.
 */
const WARMUP = 1000;
/**
 * The same when spinning, as in C: while V8 compiles the library's path in
 * the background, the spinning processes keep both CPUs busy and round
 * trips stall by 0.1–4 ms; over 40,000 library round trips a third to a
 * half of the stalled time fell in the first 10,000 (as in
 * bench/shm_bench.ts).
 */
const SPIN_WARMUP = 30_000;

/** A one-way role's arguments: `KIND NAME COUNT SIZE SPIN WARM`. */
interface OneWayArgs {
  kind: string;
  name: string;
  count: number;
  size: number;
  spin: number;
  warm: number;
}

/** One process of a pair: `args` as in the module description. */
export async function role(args: string[]): Promise<void> {
  await pinPeer(); // where BENCH_PEER_CPU says, when the bench places the pair
  const [kind, a, b, c, d, e, f] = args as [string, string, string, string, string, string, string];
  const oneWayArgs = () => ({
    kind,
    name: a,
    count: Number(b),
    size: Number(c),
    spin: Number(d),
    warm: Number(e),
  });
  if (kind === "raw-send" || kind === "raw-receive") return rawOneWay(oneWayArgs());
  if (kind.startsWith("raw-")) return rawRole(kind, a, b, Number(c), Number(d), Number(e));
  if (kind === "send" || kind === "receive") return oneWay(oneWayArgs());
  const sync = kind.startsWith("sync-");
  const ping = kind.endsWith("ping");
  const spin = Number(e);
  const options = { spin: sync ? 0 : spin, syncWait: f === undefined ? undefined : Number(f) };
  using tx = MessageQueue.open(ping ? a : b, { writeOnly: true, ...options });
  using rx = MessageQueue.open(ping ? b : a, { readOnly: true, ...options });
  const buffer = new Uint8Array(rx.messageSize);
  const count = Number(c);
  // the views are made once, as C passes a pointer and a length: no allocation per trip
  const out = buffer.subarray(0, Number(d));
  const tries = { spin };
  const lat = new Latencies(count);
  for (let i = spin > 0 ? -SPIN_WARMUP : -WARMUP; i < count; i++) {
    if (i === 0) lat.startCpu();
    const t = ping ? performance.now() : 0;
    if (sync) {
      if (ping) {
        if (!tx.trySend(out)) await tx.send(out);
        rx.tryReceiveInto(buffer, tries) ?? await rx.receiveInto(buffer);
      } else {
        const { length } = rx.tryReceiveInto(buffer, tries) ?? await rx.receiveInto(buffer);
        const reply = length === out.length ? out : buffer.subarray(0, length);
        if (!tx.trySend(reply)) await tx.send(reply);
      }
    } else if (ping) {
      await tx.send(out);
      await rx.receiveInto(buffer);
    } else {
      const { length } = await rx.receiveInto(buffer);
      await tx.send(length === out.length ? out : buffer.subarray(0, length));
    }
    if (ping && i >= 0) lat.add(t);
  }
  lat.stopCpu();
  console.log(JSON.stringify(ping ? lat.stats() : { cpu_us: lat.cpu }));
}

/**
 * One-way: the sender calls `trySend` and awaits `send` only when the queue
 * is full, the receiver likewise with `tryReceiveInto`/`receiveInto`; the
 * clocks start after `warm` messages.
 */
async function oneWay({ kind, name, count, size, spin, warm }: OneWayArgs) {
  using q = MessageQueue.open(name, {
    readOnly: kind === "receive",
    writeOnly: kind === "send",
    spin,
  });
  const buffer = new Uint8Array(Math.max(q.messageSize, size));
  const bytes = buffer.subarray(0, size);
  if (kind === "send") {
    for (let i = warm; i > 0; i--) if (!q.trySend(bytes)) await q.send(bytes);
    const cpu = cpuMicros();
    for (let i = count; i > 0; i--) if (!q.trySend(bytes)) await q.send(bytes);
    console.log(JSON.stringify({ cpu_us: cpuMicros() - cpu }));
    return;
  }
  for (let i = warm; i > 0; i--) {
    if (q.tryReceiveInto(buffer) === undefined) await q.receiveInto(buffer);
  }
  const cpu = cpuMicros();
  await q.receiveInto(buffer);
  const start = performance.now();
  for (let i = 1; i < count; i++) {
    if (q.tryReceiveInto(buffer) === undefined) await q.receiveInto(buffer);
  }
  const ns = Math.round((performance.now() - start) * 1e6);
  console.log(JSON.stringify({ ns, cpu_us: cpuMicros() - cpu }));
}

/**
 * The floor of a ping-pong: the C program's loop (bench/c/mq_pingpong.c)
 * on the raw FFI calls in Deno, no promise, no copy, no event loop. With
 * `spin` µs: non-blocking mq_receive on an O_NONBLOCK descriptor retried
 * with sched_yield in between, then a blocking one; with 0: blocking at
 * once. What any library on this runtime's FFI could reach with C's
 * strategy.
 */
function rawRole(kind: string, a: string, b: string, count: number, size: number, spin: number) {
  const lib = libc();
  const ping = kind === "raw-ping";
  const tx = open(ping ? a : b, O_WRONLY);
  const rx = open(ping ? b : a, O_RDONLY);
  const nb = open(ping ? b : a, O_RDONLY | O_NONBLOCK);
  const buf = new Uint8Array(64);
  const prio = new Uint8Array(4);
  const cap = BigInt(buf.length);
  const length = BigInt(size);
  const spinMs = spin / 1000;
  const receive = () => {
    if (spinMs > 0) {
      const end = performance.now() + spinMs;
      do {
        if (lib.mq_timedreceive(nb, buf, cap, prio, null) >= 0) return;
        lib.sched_yield();
      } while (performance.now() < end);
    }
    while (lib.mq_timedreceive(rx, buf, cap, prio, null) < 0) { /* EINTR: again */ }
  };
  const send = () => {
    while (lib.mq_timedsend(tx, buf, length, 0, null) !== 0) { /* EINTR: again */ }
  };
  const lat = new Latencies(count);
  for (let i = spin > 0 ? -SPIN_WARMUP : -WARMUP; i < count; i++) {
    if (i === 0) lat.startCpu();
    if (ping) {
      const t = performance.now();
      send();
      receive();
      if (i >= 0) lat.add(t);
    } else {
      receive();
      send();
    }
  }
  lat.stopCpu();
  for (const fd of [tx, rx, nb]) lib.mq_close(fd);
  console.log(JSON.stringify(ping ? lat.stats() : { cpu_us: lat.cpu }));
}

/**
 * The floor of one-way: bench/c/mq_oneway.c's loop on the raw FFI calls in
 * Deno. With `spin` µs, a send to a full queue or a receive from an empty
 * one retries on an O_NONBLOCK descriptor with sched_yield in between for
 * that long, then blocks; with 0 it blocks at once. The clocks start after
 * `warm` messages.
 */
function rawOneWay({ kind, name, count, size, spin, warm }: OneWayArgs) {
  const lib = libc();
  const sending = kind === "raw-send";
  const access = sending ? O_WRONLY : O_RDONLY;
  const fd = open(name, access);
  const nb = open(name, access | O_NONBLOCK);
  const buf = new Uint8Array(64);
  const prio = new Uint8Array(4);
  const cap = BigInt(buf.length);
  const length = BigInt(size);
  const spinMs = spin / 1000;
  const once = (q: number) =>
    sending
      ? lib.mq_timedsend(q, buf, length, 0, null) === 0
      : lib.mq_timedreceive(q, buf, cap, prio, null) >= 0;
  let cpu = 0, start = 0;
  for (let i = 0; i < warm + count; i++) {
    if (i === warm) cpu = cpuMicros();
    let done = spinMs > 0 && once(nb);
    if (!done && spinMs > 0) {
      const end = performance.now() + spinMs;
      do {
        lib.sched_yield();
        done = once(nb);
      } while (!done && performance.now() < end);
    }
    while (!done) done = once(fd); // blocking; EINTR: again
    if (i === warm) start = performance.now();
  }
  const ns = Math.round((performance.now() - start) * 1e6);
  lib.mq_close(fd);
  lib.mq_close(nb);
  console.log(
    JSON.stringify(sending ? { cpu_us: cpuMicros() - cpu } : { ns, cpu_us: cpuMicros() - cpu }),
  );
}

/** `mq_open` an existing queue on the raw FFI call. */
function open(name: string, flags: number): number {
  const fd = libc().mq_open(new TextEncoder().encode(name + "\0"), flags, 0, null);
  if (fd < 0) throw new Error(`mq_open ${name}: errno ${backend().errno()}`);
  return fd;
}

if (import.meta.main) await role(Deno.args);
