// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The second process of `bench/shm_bench.ts` and the plain JS ring baseline
 * it sends through. `--peer <role> <name> <count> <size>` runs one role:
 * `raw-send` (the plain ring), `send` (a Channel, one message per call,
 * `trySend({ spin })`),
 * `send-batch` (`trySendBatch`), `send-records-<n>` (a fixed-record
 * Channel, `trySendRecords` of n records per call), `raw-records` (the plain
 * JS ring of fixed records, BATCH per copy), `word-echo` (the plain JS ping-pong over
 * two sequence words, no library), or a Channel ping-pong echo: `echo0`
 * (`spin: 0`), `echo` (default spin) or `echo-sync`
 * (`tryReceiveInto({ spin })`). Each prints its CPU time at the end.
 *
 * @module
 */
import { Channel, SharedMemory } from "../../shm/mod.ts";
import { spinUntil } from "../../shm/_channel_wait.ts";
import { cpuMicros } from "./figures.ts";
import { lastJson } from "./native.ts";
import { pinPeer } from "./placement.ts";

const SELF = new URL(import.meta.url).pathname;

// --- the plain JS ring baseline (no library beyond mapping the memory) ----
// [0] tail, [16] head (separate cache lines); data from byte 128.
/** Bytes before the plain ring's data. */
export const RAW_HEADER = 128;
/** The plain ring's capacity. */
export const RAW_CAP = 1 << 20;

/** Send one message through the plain ring; false when full. */
export function rawSend(
  i32: Int32Array,
  u8: Uint8Array,
  msg: Uint8Array,
  st: { tail: number },
): boolean {
  const frame = (msg.length + 7) & ~3;
  let tail = st.tail;
  let off = tail & (RAW_CAP - 1);
  const toEnd = RAW_CAP - off;
  const need = toEnd < frame ? toEnd + frame : frame;
  if (RAW_CAP - ((tail - Atomics.load(i32, 16)) | 0) < need) return false;
  if (toEnd < frame) {
    i32[(RAW_HEADER + off) >> 2] = -1;
    tail = (tail + toEnd) | 0;
    off = 0;
  }
  i32[(RAW_HEADER + off) >> 2] = msg.length;
  u8.set(msg, RAW_HEADER + off + 4);
  st.tail = (tail + frame) | 0;
  Atomics.store(i32, 0, st.tail);
  return true;
}

/** Receive one message from the plain ring into `out`; its length, or -1 when empty. */
export function rawReceive(
  i32: Int32Array,
  u8: Uint8Array,
  out: Uint8Array,
  st: { head: number },
): number {
  let head = st.head;
  if (Atomics.load(i32, 0) === head) return -1;
  let off = head & (RAW_CAP - 1);
  let len = i32[(RAW_HEADER + off) >> 2]!;
  if (len === -1) {
    head = (head + RAW_CAP - off) | 0;
    off = 0;
    len = i32[RAW_HEADER >> 2]!;
  }
  out.set(u8.subarray(RAW_HEADER + off + 4, RAW_HEADER + off + 4 + len));
  st.head = (head + ((len + 7) & ~3)) | 0;
  Atomics.store(i32, 16, st.head);
  return len;
}

/**
 * Send the records of `data` (BATCH records, a divisor of the ring) through
 * the plain ring as one copy and one publication, with no framing: the
 * fixed-record Channel's batch with no library around it. False when full.
 */
export function rawSendRecords(
  i32: Int32Array,
  u8: Uint8Array,
  data: Uint8Array,
  st: { tail: number; head: number },
): boolean {
  if (RAW_CAP - ((st.tail - st.head) | 0) < data.length) {
    st.head = Atomics.load(i32, 16);
    if (RAW_CAP - ((st.tail - st.head) | 0) < data.length) return false;
  }
  u8.set(data, RAW_HEADER + (st.tail & (RAW_CAP - 1)));
  st.tail = (st.tail + data.length) | 0;
  Atomics.store(i32, 0, st.tail);
  return true;
}

/**
 * Receive up to `out.length` bytes of records from the plain ring in one
 * copy; how many bytes (0 when empty).
 */
export function rawReceiveRecords(
  i32: Int32Array,
  u8: Uint8Array,
  out: Uint8Array,
  st: { head: number; tail: number },
): number {
  let ready = (st.tail - st.head) | 0;
  if (ready < out.length) ready = ((st.tail = Atomics.load(i32, 0)) - st.head) | 0;
  if (ready === 0) return 0;
  const n = ready < out.length ? ready : out.length;
  const at = RAW_HEADER + (st.head & (RAW_CAP - 1));
  out.set(u8.subarray(at, at + n));
  st.head = (st.head + n) | 0;
  Atomics.store(i32, 16, st.head);
  return n;
}

// --- the plain JS ping-pong (the floor of a JS ping-pong) --------------------
// Two lanes in one shared object, as bench/c/shm_pingpong.c lays them out: a
// sequence number at the start of a 128-byte line, the 64-byte slot on the
// next line. Lane 0 carries requests, lane 1 replies.
/** Bytes of the plain ping-pong's shared object. */
export const WORD_SIZE = 512;

/** Copy `msg` into lane `lane`'s slot and publish sequence number `seq`. */
export function wordPublish(i32: Int32Array, msg: Int32Array, lane: number, seq: number): void {
  const slot = lane * 64 + 16; // in words
  for (let k = 0; k < 16; k++) i32[slot + k] = msg[k]!;
  Atomics.store(i32, lane * 64, seq);
}

/**
 * Wait, spinning like the Channel (`spinUntil`), until lane `lane` shows
 * `seq`, then copy its slot into `out`.
 */
export function wordAwait(i32: Int32Array, out: Int32Array, lane: number, seq: number): void {
  const at = lane * 64;
  if (Atomics.load(i32, at) !== seq) {
    while (!spinUntil(() => Atomics.load(i32, at) === seq, 1000));
  }
  for (let k = 0; k < 16; k++) out[k] = i32[at + 16 + k]!;
}

// --- peers -----------------------------------------------------------------

/** Messages per batch of the `send-batch` peer. */
export const BATCH = 64;
/** Records per batch of the large-batch rows (64 KiB of 64-byte records per call). */
export const BIG_BATCH = 1024;

async function peer(role: string, name: string, count: number, size: number): Promise<void> {
  await pinPeer(); // pin the main thread before "ready"
  const msg = new Uint8Array(size).fill(7);
  let cpu = 0;
  if (role === "raw-send") {
    using shm = SharedMemory.open(name);
    const i32 = new Int32Array(shm.bytes.buffer);
    const st = { tail: 0 };
    console.log("ready");
    cpu = cpuMicros();
    for (let i = 0; i < count; i++) while (!rawSend(i32, shm.bytes, msg, st));
  } else if (role === "send") {
    using ch = Channel.open(name);
    const spin = { spin: 50 }; // spin on the calling thread while full, as the C ring does
    console.log("ready");
    cpu = cpuMicros();
    for (let i = 0; i < count; i++) if (!ch.trySend(msg, spin)) await ch.send(msg);
    ch.end();
  } else if (role.startsWith("send-records-")) {
    using ch = Channel.open(name, { recordSize: size });
    const batch = Number(role.slice("send-records-".length));
    const data = new Uint8Array(size * batch).fill(7);
    console.log("ready");
    cpu = cpuMicros();
    for (let i = 0; i < count;) {
      const sent = ch.trySendRecords(data, Math.min(batch, count - i));
      if (sent > 0) i += sent;
      else {
        await ch.send(msg);
        i++;
      }
    }
    ch.end();
  } else if (role === "raw-records") {
    using shm = SharedMemory.open(name);
    const i32 = new Int32Array(shm.bytes.buffer);
    const data = new Uint8Array(size * BATCH).fill(7);
    const st = { tail: 0, head: 0 };
    console.log("ready");
    cpu = cpuMicros();
    for (let i = 0; i < count; i += BATCH) while (!rawSendRecords(i32, shm.bytes, data, st));
  } else if (role === "send-batch") {
    using ch = Channel.open(name);
    const data = new Uint8Array(size * BATCH).fill(7);
    const lengths = new Array(BATCH).fill(size);
    console.log("ready");
    cpu = cpuMicros();
    for (let i = 0; i < count;) {
      const sent = ch.trySendBatch(data, lengths, Math.min(BATCH, count - i));
      if (sent > 0) i += sent;
      else {
        await ch.send(msg);
        i++;
      }
    }
    ch.end();
  } else if (role === "word-echo") {
    using shm = SharedMemory.open(name);
    const i32 = new Int32Array(shm.bytes.buffer);
    const buf = new Int32Array(16);
    console.log("ready");
    cpu = cpuMicros();
    for (let i = 1; i <= count; i++) {
      wordAwait(i32, buf, 0, i);
      wordPublish(i32, buf, 1, i);
    }
  } else {
    // echo0: spin 0 and awaited receives; echo: the default spin, awaited;
    // echo-sync: tryReceiveInto({ spin }) on the calling thread.
    const spinMicros = role === "echo0" ? 0 : 50;
    using rx = Channel.open(`${name}_a`, { spin: spinMicros });
    using tx = Channel.open(`${name}_b`, { spin: spinMicros });
    const buf = new Uint8Array(size);
    const sync = role === "echo-sync";
    console.log("ready");
    cpu = cpuMicros();
    for (let i = 0; i < count; i++) {
      let n = sync ? rx.tryReceiveInto(buf, { spin: SYNC_SPIN }) : rx.tryReceiveInto(buf);
      if (n < 0) n = await rx.receiveInto(buf);
      if (!tx.trySend(buf)) await tx.send(buf);
    }
  }
  console.log(JSON.stringify({ cpu_us: cpuMicros() - cpu }));
}

/** How long (µs) the synchronous ping-pong spins before it falls back to an awaited receive. */
export const SYNC_SPIN = 1000;

/**
 * Start a peer process in `role`; `ready()` waits for it, `done()` for its
 * exit and returns the CPU µs it spent after `ready`.
 */
export function spawnPeer(
  role: string,
  name: string,
  count: number,
  size: number,
): { ready(): Promise<void>; done(): Promise<number> } {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SELF, "--peer", role, name, String(count), String(size)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  return {
    async ready() {
      while (!text.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      if (!text.startsWith("ready\n")) throw new Error(`peer ${role} did not start: ${text}`);
      text = text.slice(6);
    },
    async done() {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      const status = await child.status;
      if (!status.success) throw new Error(`peer ${role} failed: ${status.code}`);
      return lastJson<{ cpu_us: number }>(text).cpu_us;
    },
  };
}

/** A unique object name for one measurement. */
export const unique = (tag: string): string =>
  `shm_bench_${tag}_${Deno.pid}_${Math.random().toString(36).slice(2, 8)}`;

if (import.meta.main) {
  const [flag, role, name, count, size] = Deno.args as [string, string, string, string, string];
  if (flag !== "--peer") throw new Error("usage: shm_peer.ts --peer <role> <name> <count> <size>");
  await peer(role, name, Number(count), Number(size));
}
