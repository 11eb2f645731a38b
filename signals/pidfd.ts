// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode PidFd}: a process file descriptor (`pidfd_open(2)`), for
 * race-free signalling: once opened it always refers to the same process,
 * even after its pid is reused.
 *
 * @module
 */
import { backend, check, libc } from "../_ffi/libc.ts";
import { ENOSYS, POLLIN, SYS } from "../_ffi/constants.ts";
import { encodeSiginfoQueue } from "../_ffi/struct.ts";
import { waitReady } from "../_ffi/poller.ts";
import { errors } from "../_ffi/errors.ts";
import { errnoError } from "../_ffi/errno.ts";
import { readTextFile } from "../_ffi/fs.ts";
import { checkPid, checkValue } from "./_common.ts";
import { type SignalName, signalNumber } from "./names.ts";

/** Options for {@linkcode PidFd.send}. */
export interface PidFdSendOptions {
  /**
   * Send with this `si_value`, as `sigqueue(3)` would (a number is
   * `sival_int`, a bigint fills the 64-bit `sival_ptr`).
   *
   * @default {undefined} (no value, like `kill(2)`)
   */
  value?: number | bigint;
}

/** Options for {@linkcode PidFd.exited}. */
export interface PidFdExitedOptions {
  /** Stop waiting; the promise rejects with `signal.reason`. @default {undefined} */
  signal?: AbortSignal;
}

/**
 * A handle on one process through a pidfd. Signals sent through it can
 * never reach a different process that happens to get the same pid later
 * (the classic `kill(pid)` race). Open it while the process surely exists —
 * for a child, before it can have been reaped, e.g. right after spawning.
 *
 * Requires `--allow-ffi` permission and Linux ≥ 5.3 (NotSupported before).
 *
 * NOTE: This API is only available on Linux.
 *
 * @example Terminate a child through its pidfd and wait for it to exit
 * ```ts
 * import assert from "node:assert/strict";
 * import { PidFd } from "@ipc/linux/signals";
 *
 * const child = new Deno.Command("sleep", { args: ["30"] }).spawn();
 * using handle = PidFd.open(child);
 * handle.send("SIGTERM");
 * await handle.exited({ signal: AbortSignal.timeout(5000) });
 * assert.equal((await child.status).signal, "SIGTERM");
 * ```
 */
export class PidFd implements Disposable {
  #fd: number;
  readonly #pid: number;
  #closing = new AbortController();

  private constructor(fd: number, pid: number) {
    this.#fd = fd;
    this.#pid = pid;
  }

  /**
   * Open a pidfd for a process.
   *
   * @param target A pid (> 0), or anything with a `pid`, such as a `Deno.ChildProcess`.
   * @returns The handle; close it when done.
   * @throws {TypeError} When the pid is not an integer.
   * @throws {RangeError} When the pid is ≤ 0.
   * @throws {Deno.errors.NotFound} When no such process exists (`code` "ESRCH").
   * @throws {Deno.errors.NotSupported} When the kernel has no pidfd_open (before Linux 5.3).
   */
  static open(target: number | { readonly pid: number }): PidFd {
    const pid = typeof target === "object" && target !== null ? target.pid : target;
    checkPid(pid, "open pidfd");
    if (pid <= 0) throw new RangeError(`Cannot open pidfd: pid ${pid} is not a process`);
    const fd = libc().syscall4(SYS.pidfd_open, pid, 0, 0, 0);
    if (fd === -1n) {
      const errno = backend().errno();
      const err = errnoError(errno, "pidfd_open", pid);
      if (errno === ENOSYS) {
        throw new errors.NotSupported(`${err.message}: pidfds need Linux 5.3 or later`);
      }
      throw err;
    }
    return new PidFd(Number(fd), pid);
  }

  /**
   * Own a pidfd received from another process (over a `UnixSocket`) or
   * inherited. Its pid is read from `/proc/self/fdinfo`.
   *
   * @param fd The descriptor; closing the handle closes it.
   * @returns The handle.
   * @throws {Deno.errors.InvalidData} When `fd` is not a pidfd.
   * @throws {Deno.errors.NotFound} When `fd` is not open.
   *
   * @example Send a pidfd to a peer, which signals through it
   * ```ts
   * import assert from "node:assert/strict";
   * import { PidFd } from "@ipc/linux/signals";
   * import { UnixSocket } from "@ipc/linux/uds";
   *
   * const child = new Deno.Command("sleep", { args: ["30"] }).spawn();
   * using mine = PidFd.open(child);
   * const [a, b] = UnixSocket.pair();
   * using _a = a;
   * using _b = b;
   * await a.send(new Uint8Array([0]), { fds: [mine] });
   * using theirs = PidFd.fromFd((await b.receive())!.fds[0]!.take());
   * assert.equal(theirs.pid, child.pid);
   * theirs.send("SIGKILL");
   * assert.equal((await child.status).signal, "SIGKILL");
   * ```
   */
  static fromFd(fd: number): PidFd {
    if (!Number.isInteger(fd) || fd < 0) {
      throw new TypeError(`Cannot adopt a pidfd: ${String(fd)} is not a descriptor`);
    }
    const info = readTextFile(`/proc/self/fdinfo/${fd}`);
    const pid = /^Pid:\s*(-?\d+)$/m.exec(info)?.[1];
    if (pid === undefined) {
      throw new errors.InvalidData(`Cannot adopt a pidfd: descriptor ${fd} is not a pidfd`);
    }
    return new PidFd(fd, Number(pid));
  }

  /**
   * Take the descriptor: the handle forgets it (pending waits reject) and
   * the caller owns it.
   *
   * @returns The pidfd.
   * @throws {Deno.errors.BadResource} When closed.
   */
  take(): number {
    this.#assertOpen("take");
    const fd = this.#fd;
    this.#closing.abort(new errors.BadResource("Cannot wait for exit: the pidfd was taken"));
    this.#fd = -1;
    return fd;
  }

  /** The pid the handle was opened for. */
  get pid(): number {
    return this.#pid;
  }

  /** The pidfd itself (-1 once closed). */
  get fd(): number {
    return this.#fd;
  }

  /** Whether {@linkcode PidFd.close} was called. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /**
   * Send a signal with `pidfd_send_signal(2)`, optionally with a value.
   *
   * @param signal A signal name or number; 0 only checks that the process still exists.
   * @param options An optional `value`.
   * @throws {Deno.errors.BadResource} When the handle is closed.
   * @throws {Deno.errors.NotFound} When the process has exited (`code` "ESRCH").
   * @throws {TypeError} On an unknown signal name or a bad value type.
   * @throws {RangeError} On an out-of-range signal or value.
   */
  send(signal: SignalName | number, options: PidFdSendOptions = {}): void {
    const signo = signal === 0 ? 0 : signalNumber(signal);
    const action = `send signal ${String(signal)}`;
    const word = options.value === undefined ? undefined : checkValue(options.value, action);
    this.#assertOpen(action);
    const lib = libc();
    let result: bigint;
    if (word === undefined) {
      result = lib.syscall4(SYS.pidfd_send_signal, this.#fd, signo, 0, 0);
    } else {
      const info = encodeSiginfoQueue(signo, lib.getpid(), lib.getuid(), word);
      result = lib.syscall_buf(SYS.pidfd_send_signal, this.#fd, signo, info, 0);
    }
    check(result, "pidfd_send_signal", this.#pid);
  }

  /**
   * Resolve once the process has terminated (the pidfd becomes readable;
   * for a child this happens before it is reaped).
   *
   * @param options An optional AbortSignal.
   * @returns A promise that resolves when the process has exited.
   * @throws {Deno.errors.BadResource} When the handle is or gets closed.
   */
  async exited(options: PidFdExitedOptions = {}): Promise<void> {
    this.#assertOpen("wait for exit");
    const signal = options.signal === undefined
      ? this.#closing.signal
      : AbortSignal.any([options.signal, this.#closing.signal]);
    try {
      await waitReady(this.#fd, POLLIN, signal);
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw err;
    }
  }

  /** Close the pidfd; pending {@linkcode PidFd.exited} calls reject. Idempotent. */
  close(): void {
    if (this.#fd < 0) return;
    this.#closing.abort(new errors.BadResource("Cannot wait for exit: the pidfd was closed"));
    const fd = this.#fd;
    this.#fd = -1;
    libc().close(fd);
  }

  /** Same as {@linkcode PidFd.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  #assertOpen(action: string): void {
    if (this.#fd < 0) throw new errors.BadResource(`Cannot ${action}: the pidfd is closed`);
  }
}
