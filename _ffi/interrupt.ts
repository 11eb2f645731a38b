// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: a deadline for blocking calls that have none. `msgrcv(2)` and
 * `msgsnd(2)` cannot be given a timeout, but they are among the calls the
 * kernel never restarts after a signal handler ran (signal(7)): they fail
 * with EINTR, having taken or given nothing. So a brief kernel wait on the
 * main thread is: arm a per-thread POSIX timer (`timer_create` with
 * `SIGEV_THREAD_ID` aimed at this thread, on CLOCK_MONOTONIC), make the
 * blocking call, disarm the timer. A peer that answers within the deadline
 * wakes the call at once, exactly as it wakes a blocked C program.
 *
 * The signal is {@linkcode INTERRUPT_SIGNAL_NAME} (SIGRTMAX, 64 with glibc).
 * From the first such wait on, the process has a handler for it that does
 * nothing: the C library's `getpid`, found with `dlsym` (it is
 * async-signal-safe and leaves errno alone, and the library ships no C).
 * The handler is installed with SA_RESTART, so should the signal ever land
 * on another call, that call resumes. It stays installed until the process
 * ends (other threads may be using it); a SIGRTMAX sent to the process is
 * then absorbed instead of killing it. The signal is taken only when
 * nobody else has: when the process already has a handler for it or
 * ignores it, or the calling thread blocks it (e.g. a signalfd reading it),
 * no timer is made and the waits fall back to non-blocking tries.
 *
 * The timer is periodic (every `microseconds` again until disarmed): should
 * it fire before the call begins (the thread preempted in between), the next
 * expiry ends the call, so a wait lasts at most about twice its bound.
 *
 * The timer's signal is delivered before the disarming call returns, so no
 * signal is left pending once a wait is over: nothing reaches user code or
 * any other system call. Each {@linkcode Interrupter} owns one kernel timer
 * (no file descriptor), deleted by `close()` (or, as a safety net, when the
 * object is garbage-collected).
 *
 * @module
 */
import { ARCH, SYS } from "./constants.ts";
import { backend, cstring, libc } from "./libc.ts";

/** The signal the timers use, by name (its number is the C library's SIGRTMAX). */
export const INTERRUPT_SIGNAL_NAME = "SIGRTMAX";

const TIMER = ARCH === "aarch64"
  ? { create: 107, settime: 110, delete: 111 }
  : { create: 222, settime: 223, delete: 226 };
/** timer_settime's syscall number, as the BigInt its 64-bit argument takes. */
const SETTIME = BigInt(TIMER.settime);
const CLOCK_MONOTONIC = 1;
const SIGEV_THREAD_ID = 4;
const SA_ONSTACK = 0x0800_0000;
const SA_RESTART = 0x1000_0000;
const SIG_BLOCK = 0;
/** glibc's `struct sigaction`: handler, 128-byte mask, flags, restorer. */
const SIGACTION_SIZE = 152;
const SA_FLAGS_OFFSET = 136;
/** The kernel's `struct sigevent` (64 bytes; the thread id at 16). */
const SIGEVENT_SIZE = 64;
/** `struct itimerspec`: interval, then the first expiry. */
const ITIMERSPEC_SIZE = 32;

/** The signal number once taken, 0 when it could not be, undefined before trying. */
let taken: number | undefined;

/** Take the signal for this process (once): install the no-op handler. */
function takeSignal(): number {
  if (taken !== undefined) return taken;
  const lib = libc();
  const signo = lib.__libc_current_sigrtmax();
  const handler = backend().address(lib.dlsym(null, cstring("getpid")));
  const old = new Uint8Array(SIGACTION_SIZE);
  if (handler === 0n || lib.sigaction(signo, null, old) !== 0) return taken = 0;
  const current = new DataView(old.buffer).getBigUint64(0, true);
  if (current === handler) return taken = signo; // taken before (another module copy)
  if (current !== 0n) return taken = 0; // someone else's handler, or SIG_IGN (1)
  const act = new Uint8Array(SIGACTION_SIZE);
  const v = new DataView(act.buffer);
  v.setBigUint64(0, handler, true);
  v.setInt32(SA_FLAGS_OFFSET, SA_RESTART | SA_ONSTACK, true);
  return taken = lib.sigaction(signo, act, null) === 0 ? signo : 0;
}

const registry = new FinalizationRegistry<number>((timer) => {
  libc().syscall4(TIMER.delete, timer, 0, 0, 0);
});

/** A per-thread timer whose signal ends one blocking call after a deadline. */
export class Interrupter {
  readonly #signo: number;
  readonly #timer: number;
  /**
   * The timer's id and the syscall number as BigInts: Deno's fast FFI calls
   * take 64-bit arguments as BigInts, and a number there makes V8's
   * optimized code bail out to the slow call (every wait makes two calls).
   */
  readonly #wideTimer: bigint;
  readonly #arm = new Uint8Array(ITIMERSPEC_SIZE);
  readonly #armNs = new BigInt64Array(this.#arm.buffer);
  readonly #disarm = new Uint8Array(ITIMERSPEC_SIZE);
  readonly #mask = new Uint8Array(128);
  readonly #maskWords = new Uint32Array(this.#mask.buffer);
  #armed = 0;
  #closed = false;

  private constructor(signo: number, timer: number) {
    this.#signo = signo;
    this.#timer = timer;
    this.#wideTimer = BigInt(timer);
    registry.register(this, timer, this);
  }

  /**
   * A timer aimed at the calling thread, or `undefined` when the signal is
   * not available to this library (see the module description).
   */
  static create(): Interrupter | undefined {
    const signo = takeSignal();
    if (signo === 0) return undefined;
    const lib = libc();
    const event = new Uint8Array(SIGEVENT_SIZE);
    const v = new DataView(event.buffer);
    v.setInt32(8, signo, true);
    v.setInt32(12, SIGEV_THREAD_ID, true);
    v.setInt32(16, Number(lib.syscall4(SYS.gettid, 0, 0, 0, 0)), true);
    const id = new Int32Array(1);
    const r = lib.timer_create(TIMER.create, CLOCK_MONOTONIC, event, new Uint8Array(id.buffer));
    if (r !== 0n) return undefined; // e.g. RLIMIT_SIGPENDING reached: waits fall back
    const interrupter = new Interrupter(signo, id[0]!);
    if (interrupter.#blocked()) {
      interrupter.close();
      return undefined;
    }
    return interrupter;
  }

  /** Whether this thread blocks the signal now (a wait would then never end). */
  #blocked(): boolean {
    if (libc().pthread_sigmask(SIG_BLOCK, null, this.#mask) !== 0) return true;
    const bit = this.#signo - 1;
    return (this.#maskWords[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  /**
   * Run `call` (one blocking system call that reads its own errno) with the
   * timer armed to fire after `microseconds`, and return what it returned.
   * When the wait cannot be bounded (the signal is blocked on this thread
   * now, the timer could not be armed, or it was closed), run `fallback`
   * (a non-blocking try) instead.
   */
  within<T>(
    microseconds: number,
    call: () => T | undefined,
    fallback: () => T | undefined,
  ): T | undefined {
    if (this.#closed || this.#blocked()) return fallback();
    if (microseconds !== this.#armed) {
      const ns = Math.max(1000, Math.round(microseconds * 1000));
      // first expiry, then again every as long: a signal that fired before
      // the call began (the thread was preempted in between) is followed by
      // another, so the call can never sleep unbounded
      this.#armNs[0] = this.#armNs[2] = BigInt(Math.floor(ns / 1e9));
      this.#armNs[1] = this.#armNs[3] = BigInt(ns % 1e9);
      this.#armed = microseconds;
    }
    const lib = libc();
    if (lib.timer_settime(SETTIME, this.#wideTimer, 0n, this.#arm, null) !== 0) return fallback();
    try {
      return call();
    } finally {
      // a signal that fired meanwhile is handled before this returns
      lib.timer_settime(SETTIME, this.#wideTimer, 0n, this.#disarm, null);
    }
  }

  /** Delete the timer. Calling it again does nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    registry.unregister(this);
    libc().syscall4(TIMER.delete, this.#timer, 0, 0, 0);
  }
}
