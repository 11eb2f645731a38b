// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: `SysvSemaphoreSet.operate`, the waiting call of a semaphore set:
 * check the operations, make the first attempt, and wait through
 * `_wait.ts`, sleeping in `semtimedop` slices of `syncWait` µs. With spin 0
 * the first attempt is such a slice: operations that can apply now apply at
 * once, at the cost of a try.
 *
 * @module
 */
import { options, signalOption, waitClosedError } from "./_common.ts";
import type { OpenedSet } from "./_semaphore_open.ts";
import type { SemaphoreIo } from "./_semaphore_io.ts";
import { SysvWaiter } from "./_wait.ts";
import type { SemaphoreOperation, SysvOperateOptions } from "./types.ts";

/** What an operation that needed no wait returns. */
const DONE: Promise<void> = Promise.resolve();

/** The waits of one semaphore set handle. */
export class SemaphoreCalls {
  readonly #io: SemaphoreIo;
  readonly #waiter: SysvWaiter;
  readonly #syncWait: number;

  constructor(opened: OpenedSet) {
    const io = this.#io = opened.io;
    const { spin, poll, syncWait } = opened.wait;
    const closed = () => waitClosedError("sem", io.object);
    this.#waiter = new SysvWaiter(spin, poll, closed, syncWait > 0, false);
    this.#syncWait = syncWait;
  }

  /** Apply the operations atomically, waiting until all can; see `SysvSemaphoreSet.operate`. */
  operate(operations: SemaphoreOperation[], options_?: SysvOperateOptions): Promise<void> {
    try {
      const signal = options_ === undefined
        ? undefined
        : signalOption("operate", options<SysvOperateOptions>("operate", options_).signal);
      const io = this.#io;
      let sops = io.encode(operations); // the handle's buffer: copied once an attempt failed
      signal?.throwIfAborted(); // an aborted signal takes and gives nothing
      const waiter = this.#waiter;
      const tried = waiter.startWithTry();
      if (tried && waiter.tried(io.tryOperate(sops))) return DONE;
      // without a try, waitFor starts with the kernel wait on the handle's
      // buffer and copies it if that fails; after one, copy it now
      let own = tried;
      if (tried) sops = sops.slice();
      const done = (applied: boolean) => {
        if (applied) return true;
        if (!own) [sops, own] = [sops.slice(), true];
        return undefined;
      };
      const budget = this.#syncWait;
      return waiter.waitFor(
        signal,
        () => done(io.tryOperate(sops)),
        budget > 0 ? () => done(io.waitBriefly(sops, budget)) : undefined,
      ).then(() => {});
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Reject the pending waits. */
  close(): void {
    this.#waiter.cancelAll();
  }
}
