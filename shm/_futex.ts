// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: cross-process futex waits without blocking the event loop and
 * without parking one thread per waiter.
 *
 * Every waiter in the process shares ONE `futex_waitv(2)` call (Linux ≥ 5.16)
 * running on the FFI worker pool. Entry 0 of the vector is a private "kick"
 * word: adding or removing a waiter bumps it and FUTEX_WAKEs it, so the call
 * returns and is re-issued with the new set. The call's timeout is the
 * earliest waiter deadline, so every wait is bounded and nothing stays parked
 * once nobody waits. Only the return value of the worker call is used; the
 * real state is re-read synchronously on the main thread. On runtimes whose
 * FFI cannot leave the main thread (Bun), the hub naps on a timer instead.
 *
 * @module
 */
import { backend, errnoError, libc } from "../_ffi/mod.ts";
import { ENOSYS, FUTEX_WAKE, SYS } from "../_ffi/constants.ts";

const SYS_FUTEX_WAITV = 449; // same number on x86_64 and aarch64
const FUTEX_32 = 2;
const CLOCK_MONOTONIC = 1;
const WAITV_SIZE = 24; // struct futex_waitv { u64 val; u64 uaddr; u32 flags; u32 reserved; }
/** Longest nap between checks when calls cannot leave the thread (Bun). */
const MAX_NAP_MS = 16;

interface Waiter {
  /** Address of the 32-bit futex word. */
  address: number;
  /** The value the word held when the waiter decided to sleep. */
  expected: number;
  /** Absolute CLOCK_MONOTONIC deadline in ms. */
  deadline: number;
  resolve(): void;
}

const waiters = new Set<Waiter>();
/**
 * Settlements of waiters that left (aborted, or their mapping closed) while
 * the shared call was in flight, delivered once it has returned: when a wait
 * settles, no native call started for it is still pending (so the process
 * can exit, and op sanitizers see no leak).
 */
const leaving: Array<() => void> = [];
let kick: Uint32Array | undefined;
let kickAddress = 0;
let running = false;
let supported: boolean | undefined;
// Off-heap buffers (an ArrayBuffer's own store, never a small on-heap typed
// array that the GC may move), reused: only one futex_waitv call is ever in
// flight, and the worker thread reads them while JS runs on.
const timeout = new Uint8Array(new ArrayBuffer(16));
const tv = new DataView(timeout.buffer);
const vec = new Uint8Array(new ArrayBuffer(128 * WAITV_SIZE));
const v = new DataView(vec.buffer);
const clockBuffer = new Uint8Array(16);
const clockView = new DataView(clockBuffer.buffer);

/** CLOCK_MONOTONIC in milliseconds (the clock futex_waitv's deadline uses). */
export function monotonicMs(): number {
  libc().clock_gettime(CLOCK_MONOTONIC, clockBuffer);
  return Number(clockView.getBigInt64(0, true)) * 1000 +
    Number(clockView.getBigInt64(8, true)) / 1e6;
}

function ensureSupported(): void {
  if (supported === true) return;
  // futex_waitv with zero entries: EINVAL when the kernel has it, ENOSYS when not.
  const r = libc().futex_waitv(BigInt(SYS_FUTEX_WAITV), null, 0, 0, null, CLOCK_MONOTONIC);
  const errno = backend().errno();
  if (r === -1n && errno === ENOSYS) {
    supported = false;
    throw errnoError(errno, "futex_waitv", undefined, "Channel needs Linux 5.16 or later");
  }
  supported = true;
}

/** Wake up to `count` processes sleeping on the futex word at `address`. */
export function futexWake(address: number, count = 0x7fffffff): void {
  libc().futex_wake(BigInt(SYS.futex), address, FUTEX_WAKE, count);
}

function flushLeaving(): void {
  for (const settle of leaving.splice(0)) settle();
}

/** Settle a waiter that left: at once, or after the call in flight (kicked) has returned. */
function settleLeaving(settle: () => void): void {
  if (running && backend().offThread) leaving.push(settle);
  else settle();
}

function kickHub(): void {
  if (!running || kick === undefined) return;
  kick[0] = (kick[0] + 1) >>> 0;
  futexWake(kickAddress);
}

async function run(): Promise<void> {
  const lib = libc();
  const offThread = backend().offThread;
  let nap = 1;
  running = true;
  try {
    while (waiters.size > 0) {
      const batch = [...waiters].slice(0, 127); // futex_waitv takes at most 128
      const write = (i: number, value: number, address: number) => {
        v.setBigUint64(i * WAITV_SIZE, BigInt(value >>> 0), true);
        v.setBigUint64(i * WAITV_SIZE + 8, BigInt(address), true);
        v.setUint32(i * WAITV_SIZE + 16, FUTEX_32, true);
      };
      write(0, kick![0], kickAddress);
      let deadline = Infinity;
      batch.forEach((w, i) => {
        write(i + 1, w.expected, w.address);
        deadline = Math.min(deadline, w.deadline);
      });
      const sec = Math.floor(deadline / 1000);
      tv.setBigInt64(0, BigInt(sec), true);
      tv.setBigInt64(8, BigInt(Math.floor((deadline - sec * 1000) * 1e6)), true);
      if (offThread) {
        // The return value only says "something happened"; state is re-read below.
        await lib.futex_waitv_blocking(
          BigInt(SYS_FUTEX_WAITV),
          vec,
          batch.length + 1,
          0,
          timeout,
          CLOCK_MONOTONIC,
        );
        flushLeaving();
      } else {
        // No thread to park (Bun): nap on a timer, backing off, and re-check.
        await new Promise((resolve) => setTimeout(resolve, nap));
        nap = Math.min(nap * 2, MAX_NAP_MS);
      }
      const now = monotonicMs();
      const before = waiters.size;
      for (const w of batch) {
        if (!waiters.has(w)) continue;
        if (now >= w.deadline || load(w.address) !== (w.expected | 0)) {
          waiters.delete(w);
          w.resolve();
        }
      }
      if (waiters.size < before) nap = 1;
    }
  } finally {
    running = false;
    flushLeaving();
  }
}

const loaders = new Map<number, (address: number) => number>();

/** Register how to read the word at an address (the mapping's Int32Array). */
function load(address: number): number {
  for (const [base, read] of loaders) {
    const value = read(address - base);
    if (!Number.isNaN(value)) return value;
  }
  return NaN;
}

/**
 * Register a mapping so the hub can re-read its futex words. Returns an
 * unregister function.
 *
 * @param base The mapping's address.
 * @param words An Int32Array over the mapping (from offset 0).
 */
export function registerMapping(base: number, words: Int32Array): () => void {
  const read = (offset: number) =>
    offset >= 0 && offset < words.byteLength ? Atomics.load(words, offset >> 2) : NaN;
  loaders.set(base, read);
  return () => {
    // Wake our own waiters on this mapping before it goes away.
    for (const w of waiters) {
      if (w.address >= base && w.address < base + words.byteLength) {
        waiters.delete(w);
        settleLeaving(() => w.resolve());
      }
    }
    loaders.delete(base);
    kickHub();
  };
}

/**
 * Sleep until the futex word at `address` no longer holds `expected`, a
 * FUTEX_WAKE arrives, `timeoutMs` passes, or `signal` aborts. Resolves in
 * every case but abort (which rejects with `signal.reason`); the caller
 * re-checks its state.
 *
 * @param address Address of a 32-bit word inside a registered mapping.
 * @param expected The value seen before deciding to sleep.
 * @param timeoutMs Longest sleep.
 * @param signal Aborts the wait.
 */
export function futexWait(
  address: number,
  expected: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  ensureSupported();
  if (kick === undefined) {
    kick = new Uint32Array(new ArrayBuffer(64)); // off-heap: its address never moves
    kickAddress = Number(backend().address(backend().pointerOf(new Uint8Array(kick.buffer))));
    backend().onExit(kickHub); // Node's exit waits for the call parked on its pool
  }
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      if (waiters.delete(waiter)) {
        settleLeaving(() => reject(signal!.reason));
        kickHub();
      }
    };
    const waiter: Waiter = {
      address,
      expected,
      deadline: monotonicMs() + timeoutMs,
      resolve() {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    waiters.add(waiter);
    if (running) kickHub();
    else run();
  });
}

/** Whether the shared futex_waitv call is in flight now (for tests). */
export function futexCallPending(): boolean {
  return running && backend().offThread;
}

/** How many futex waits the shared hub serves now (for tests). */
export function pendingFutexWaits(): number {
  return waiters.size;
}
