// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The Deno side of bench/sysv_bench.ts's pairs, one process per side:
 * `deno run -A sysv_peer.ts --role ROLE ID COUNT WARM …` with the arguments
 * of the C programs (bench/c/sysv_msg.c, sysv_sem.c), and the CPU to pin the
 * main thread to last.
 *
 * @module
 */
import { SysvMessageQueue, SysvSemaphoreSet } from "../../sysv/mod.ts";
import { pinSelf } from "./placement.ts";
import { libc } from "../../_ffi/mod.ts";
import { IPC_NOWAIT } from "../../_ffi/_sysv_struct.ts";

/** The library's spin budget in the "spinning" rows (µs). */
const SPIN_US = 1_000_000;

/**
 * "block": C sleeps at once, the library spins 0; "spinblock": both spin 50
 * µs first; "blocktick": the library spins 0 and sleeps in slices longer than
 * the scheduler tick (`syncWait: 5000`), set against the "block" rows' C.
 */
export type Mode = "block" | "spinblock" | "spin" | "blocktick";

/** The library's wait options for a mode. */
function waitOptions(mode: Mode): { spin?: number; syncWait?: number } {
  if (mode === "blocktick") return { spin: 0, syncWait: 5000 };
  return mode === "spin" ? { spin: SPIN_US } : mode === "block" ? { spin: 0 } : {};
}

/** The Deno side of each measurement, in a child process (arguments as the C programs'). */
async function role(args: string[]): Promise<void> {
  const [kind, idArg, countArg, warmArg] = args as [string, string, string, string];
  const id = Number(idArg);
  const count = Number(countArg);
  const warm = Number(warmArg);
  // the CPU to pin the main thread to, after the role's own arguments
  const cpu = args[kind.startsWith("sem-") ? 5 : 6];
  if (cpu !== undefined) await pinSelf(Number(cpu));
  if (kind.startsWith("sem-")) {
    const spin = waitOptions(args[4] as Mode);
    using set = SysvSemaphoreSet.openById(id, spin);
    const [give, take] = kind === "sem-ping" ? [0, 1] : [1, 0];
    let start = 0;
    for (let i = -warm; i < count; i++) {
      if (i === 0) start = performance.now();
      if (kind === "sem-ping") {
        await set.operate([{ index: give, delta: 1 }]);
        await set.operate([{ index: take, delta: -1 }]);
      } else {
        await set.operate([{ index: take, delta: -1 }]);
        await set.operate([{ index: give, delta: 1 }]);
      }
    }
    if (kind === "sem-ping") console.log(Math.round((performance.now() - start) * 1e6));
    return;
  }
  const size = Number(args[4]);
  const mode = args[5];
  if (mode?.startsWith("raw")) {
    const [strategy, awaited] = mode.split("-");
    return rawRole(kind, id, count, warm, size, strategy === "rawspin", awaited === "await");
  }
  using q = SysvMessageQueue.openById(id, waitOptions(mode as Mode));
  // one buffer reused, as C and the mq bench do: receiveInto allocates nothing per message
  const buffer = new Uint8Array(8192);
  const bytes = buffer.subarray(0, size);
  const [one, two] = [{ type: 1 }, { type: 2 }];
  let start = 0;
  if (kind === "send") {
    for (let i = -warm; i < count; i++) await q.send(1, bytes);
  } else if (kind === "receive") {
    for (let i = -warm; i < count; i++) {
      if (i === 0) start = performance.now();
      await q.receiveInto(buffer);
    }
    console.log(Math.round((performance.now() - start) * 1e6));
  } else if (kind === "ping") {
    for (let i = -warm; i < count; i++) {
      if (i === 0) start = performance.now();
      await q.send(1, bytes);
      await q.receiveInto(buffer, two);
    }
    console.log(Math.round((performance.now() - start) * 1e6));
  } else {
    for (let i = -warm; i < count; i++) {
      const { length } = await q.receiveInto(buffer, one);
      await q.send(2, buffer.subarray(0, length));
    }
  }
}

/**
 * The floor: the same roles with the raw FFI calls, blocking on the main
 * thread as C does, or (`spin`) IPC_NOWAIT tries with sched_yield between
 * as C's spinning mode does (no promise, no copy, no abort): what any
 * library on this runtime's FFI could reach with C's strategy. `awaited`:
 * one `await` of a settled value after each call, what a promise costs.
 */
async function rawRole(
  kind: string,
  id: number,
  count: number,
  warm: number,
  size: number,
  spin: boolean,
  awaited: boolean,
): Promise<void> {
  const lib = libc();
  const out = new Uint8Array(8 + size);
  out[0] = 1;
  const back = new Uint8Array(8 + size);
  back[0] = 2;
  const buf = new Uint8Array(8 + 8192);
  // spinning: IPC_NOWAIT tries with sched_yield between, as C's "spin" mode
  const flags = spin ? IPC_NOWAIT : 0;
  // the 64-bit arguments (size_t, long) as BigInts, as the library passes
  // them: a number there makes V8's optimized code bail out of the fast call
  const [room, length] = [8192n, BigInt(size)];
  const receive = (type: bigint) => {
    while (lib.msgrcv(id, buf, room, type, flags) < 0) if (spin) lib.sched_yield();
  };
  const send = (m: Uint8Array) => {
    while (lib.msgsnd(id, m, length, flags) !== 0) if (spin) lib.sched_yield();
  };
  let start = 0;
  if (kind === "send") {
    for (let i = -warm; i < count; i++) {
      send(out);
      if (awaited) await undefined;
    }
  } else if (kind === "receive") {
    for (let i = -warm; i < count; i++) {
      if (i === 0) start = performance.now();
      receive(0n);
      if (awaited) await undefined;
    }
    console.log(Math.round((performance.now() - start) * 1e6));
  } else if (kind === "ping") {
    for (let i = -warm; i < count; i++) {
      if (i === 0) start = performance.now();
      send(out);
      if (awaited) await undefined;
      receive(2n);
      if (awaited) await undefined;
    }
    console.log(Math.round((performance.now() - start) * 1e6));
  } else {
    for (let i = -warm; i < count; i++) {
      receive(1n);
      if (awaited) await undefined;
      send(back);
      if (awaited) await undefined;
    }
  }
}

if (import.meta.main && Deno.args[0] === "--role") await role(Deno.args.slice(1));
