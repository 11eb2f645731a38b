// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: cross-process futex waits without blocking the event loop and
 * without parking one thread per waiter: the futex driver of the wait hub
 * (`_hub.ts`).
 *
 * Every waiter in the process shares ONE `futex_waitv(2)` call (Linux ≥ 5.16)
 * running on the FFI worker pool. Entry 0 of the vector is a private "kick"
 * word: adding or removing a waiter bumps it and FUTEX_WAKEs it, so the call
 * returns and is re-issued with the new set. The call's timeout is the
 * earliest waiter deadline, so every wait is bounded and nothing stays parked
 * once nobody waits. Only the return value of the worker call is used; the
 * real state is re-read synchronously on the main thread.
 *
 * @module
 */
import { backend, libc } from "./libc.ts";
import { errnoError } from "./errno.ts";
import { CLOCK_MONOTONIC, ENOSYS, FUTEX2_SIZE_U32, FUTEX_WAKE, SYS } from "./constants.ts";
import { FUTEX_WAITV_SIZE, TIMESPEC_SIZE, writeFutexWaitv } from "./struct.ts";
import { type HubDriver, WaitHub } from "./_hub.ts";

/** futex_waitv takes at most 128 entries; entry 0 is the kick word. */
const MAX_WAITERS = 127;

interface Waiter {
  /** Address of the 32-bit futex word. */
  address: number;
  /** The value the word held when the waiter decided to sleep. */
  expected: number;
  /** Absolute CLOCK_MONOTONIC deadline in ms. */
  deadline: number;
}

let kickWord: Uint32Array | undefined;
let kickAddress = 0;
let supported: boolean | undefined;
// Off-heap buffers (an ArrayBuffer's own store, never a small on-heap typed
// array that the GC may move), reused: only one futex_waitv call is ever in
// flight, and the worker thread reads them while JS runs on.
const timeout = new Uint8Array(new ArrayBuffer(TIMESPEC_SIZE));
const tv = new DataView(timeout.buffer);
const vec = new Uint8Array(new ArrayBuffer((MAX_WAITERS + 1) * FUTEX_WAITV_SIZE));
const v = new DataView(vec.buffer);
const clockBuffer = new Uint8Array(TIMESPEC_SIZE);
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
  const r = libc().futex_waitv(BigInt(SYS.futex_waitv), null, 0, 0, null, CLOCK_MONOTONIC);
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

/** The futex_waitv(2) driver of the futex hub. */
const futexDriver: HubDriver<Waiter> = {
  open(): void {
    kickWord = new Uint32Array(new ArrayBuffer(64)); // off-heap: its address never moves
    kickAddress = Number(backend().address(backend().pointerOf(new Uint8Array(kickWord.buffer))));
  },
  kick(): void {
    kickWord![0] = (kickWord![0]! + 1) >>> 0;
    futexWake(kickAddress);
  },
  async turn(all: Waiter[], park: boolean): Promise<boolean> {
    const batch = all.slice(0, MAX_WAITERS);
    if (park) {
      writeFutexWaitv(v, 0, kickWord![0]!, kickAddress, FUTEX2_SIZE_U32);
      let deadline = Infinity;
      batch.forEach((w, i) => {
        writeFutexWaitv(v, i + 1, w.expected, w.address, FUTEX2_SIZE_U32);
        deadline = Math.min(deadline, w.deadline);
      });
      const sec = Math.floor(deadline / 1000);
      tv.setBigInt64(0, BigInt(sec), true);
      tv.setBigInt64(8, BigInt(Math.floor((deadline - sec * 1000) * 1e6)), true);
      // The return value only says "something happened"; state is re-read below.
      await libc().futex_waitv_blocking(
        BigInt(SYS.futex_waitv),
        vec,
        batch.length + 1,
        0,
        timeout,
        CLOCK_MONOTONIC,
      );
    }
    // Without a thread to park (Bun), only this check runs; the hub naps.
    const now = monotonicMs();
    let settled = false;
    for (const w of batch) {
      if (now >= w.deadline || load(w.address) !== (w.expected | 0)) {
        settled = futexes.resolve(w, undefined) || settled;
      }
    }
    return settled;
  },
};

/** Every futex wait of the process, served by one futex_waitv(2) call. */
const futexes = new WaitHub<Waiter, void>(futexDriver);

const loaders = new Map<number, (address: number) => number>();

/** Read the word at an address through the mapping registered for it. */
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
    for (const w of futexes.waiters()) {
      if (w.address >= base && w.address < base + words.byteLength) futexes.leave(w, undefined);
    }
    loaders.delete(base);
    futexes.kick();
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
  return futexes.wait({ address, expected, deadline: monotonicMs() + timeoutMs }, signal);
}

/** Whether the shared futex_waitv call is in flight now (for tests). */
export function futexCallPending(): boolean {
  return futexes.calling;
}

/** How many futex waits the shared hub serves now (for tests). */
export function pendingFutexWaits(): number {
  return futexes.size;
}

/** The deadline (CLOCK_MONOTONIC, in ms) of each futex wait the shared hub serves now (for tests). */
export function futexWaitDeadlines(): number[] {
  return futexes.waiters().map((w) => w.deadline);
}
