// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Demo part: shared memory between real processes. A child Deno process
 * streams 1,000,000 messages to us over a Channel (checked: none lost or out
 * of order), answers a ping-pong, and a Python process reads and writes a
 * segment we created, through `multiprocessing.shared_memory`. Every name is
 * unlinked in a finally block, even on failure.
 */
import { Channel, SharedMemory } from "../../shm/mod.ts";
import { denoScript, spawnScript } from "./child.ts";

/** One line of the demo's table. */
export type DemoRow = { mechanism: string; what: string; result: string };

const MOD = JSON.stringify(new URL("../../shm/mod.ts", import.meta.url).href);

const CHILD = `
import { Channel } from ${MOD};
const [name, count] = [Deno.args[0]!, Number(Deno.args[1]!)];
using tx = Channel.open(name + "_up");
using rx = Channel.open(name + "_down");
const msg = new Uint8Array(64);
for (let i = 0; i < count; i++) {
  msg[0] = i; msg[1] = i >> 8; msg[2] = i >> 16; msg[3] = i >> 24;
  if (!tx.trySend(msg)) await tx.send(msg);
}
const buf = new Uint8Array(64);
const signal = AbortSignal.timeout(10_000);
for (let i = 0; i < 3000; i++) {
  let n = rx.tryReceiveInto(buf);
  if (n < 0) n = await rx.receiveInto(buf, { signal });
  const reply = buf.subarray(0, n);
  if (!tx.trySend(reply)) await tx.send(reply);
}
tx.end();
`;

const PYTHON = `
import sys
from multiprocessing import resource_tracker, shared_memory
shm = shared_memory.SharedMemory(name=sys.argv[1])
resource_tracker.unregister(shm._name, "shared_memory")
text = bytes(shm.buf[:32]).rstrip(b"\\0").decode()
shm.buf[32:32 + len(text)] = text.upper().encode()
print(shm.size)
shm.close()
`;

async function hasPython(): Promise<boolean> {
  try {
    return (await new Deno.Command("python3", { args: ["-c", ""] }).output()).success;
  } catch {
    return false;
  }
}

async function channelRows(): Promise<DemoRow[]> {
  const name = `/demo_shm_${Deno.pid}`;
  const count = 1_000_000;
  // Everything made is released in the finally block, whatever fails first
  // (creating the second channel, or spawning the child without --allow-run).
  let up: Channel | undefined;
  let down: Channel | undefined;
  let child: Deno.ChildProcess | undefined;
  try {
    up = Channel.create(`${name}_up`, { capacity: 1 << 20, unlinkOnClose: true });
    down = Channel.create(`${name}_down`, { capacity: 1 << 12, unlinkOnClose: true });
    child = spawnScript(
      Deno.execPath(),
      denoScript(["--allow-ffi"], [name, String(count)]),
      CHILD,
      { stdout: "null", stderr: "inherit" },
    );
    const buf = new Uint8Array(64);
    const signal = AbortSignal.timeout(10_000);
    await up.receiveInto(buf, { signal });
    const started = performance.now();
    for (let i = 1; i < count; i++) {
      if (up.tryReceiveInto(buf) < 0) await up.receiveInto(buf, { signal });
      const index = buf[0]! | buf[1]! << 8 | buf[2]! << 16 | buf[3]! << 24;
      if (index !== i) throw new Error(`message ${index} arrived as number ${i}`);
    }
    const rate = (count - 1) / (performance.now() - started) / 1000;
    const msg = new Uint8Array(64);
    const trips: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t0 = performance.now();
      down.trySend(msg);
      if (up.tryReceiveInto(buf) < 0) await up.receiveInto(buf, { signal });
      trips.push((performance.now() - t0) * 1000);
    }
    const rtt = trips.slice(1000).sort((a, b) => a - b)[1000]!; // median after a warm-up
    let ended = false;
    for await (const _ of up) throw new Error("unexpected message after the ping-pong");
    ended = true;
    await child.status;
    return [
      {
        mechanism: "shm",
        what: "Channel: 1M × 64 B from a child",
        result: `all in order, ${rate.toFixed(1)}M msgs/s`,
      },
      {
        mechanism: "shm",
        what: "Channel ping-pong (spin, then futex)",
        result: `${rtt.toFixed(1)} µs per round trip (median)`,
      },
      { mechanism: "shm", what: "end() stops the receiver's loop", result: ended ? "yes" : "no" },
    ];
  } finally {
    try {
      child?.kill("SIGKILL");
    } catch {
      // already exited
    }
    await child?.status;
    up?.close();
    down?.close();
  }
}

async function pythonRows(): Promise<DemoRow[]> {
  if (!(await hasPython())) {
    return [{
      mechanism: "shm",
      what: "Python shared_memory interop",
      result: "skipped (no python3)",
    }];
  }
  const name = `psm_demo_${Deno.pid}`;
  using shm = SharedMemory.create(name, { size: 100, unlinkOnClose: true });
  shm.write(new TextEncoder().encode("shared with python"));
  const out = await new Deno.Command("python3", { args: ["-c", PYTHON, name] }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  const size = new TextDecoder().decode(out.stdout).trim();
  const back = new TextDecoder().decode(shm.read(32, 18));
  return [{
    mechanism: "shm",
    what: "Python attaches by name, answers",
    result: `saw ${size} bytes, wrote back "${back}"`,
  }];
}

/** Run the shared-memory part of the tour. */
export async function demo(): Promise<DemoRow[]> {
  return [...await channelRows(), ...await pythonRows()];
}
