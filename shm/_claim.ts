// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: exclusive roles (the producer, the consumer) in a Channel header.
 *
 * A role is a token word and a pid word. A handle takes the role on first
 * use by swapping its random token into the token word; a role held by a
 * process that has died is taken over. The pid word keeps the last holder's
 * pid after release, so the other side can still tell when it exits.
 *
 * @module
 */
import { errors } from "../_ffi/mod.ts";
import { pidAlive } from "./_owner.ts";

/**
 * One handle's claim on a role. A class, not an object literal with a
 * getter: creating such literals in a loop grows V8's process memory by
 * ~0.3 KiB each for good (the JS heap stays flat; measured in plain JS too),
 * and two per Channel made every Channel leak (`deno task soak`).
 */
export class Role {
  #held = false;
  readonly #i32: Int32Array;
  readonly #tokenIndex: number;
  readonly #pidIndex: number;
  readonly #pid: number;
  readonly #shared: boolean;
  readonly #token = (crypto.getRandomValues(new Uint32Array(1))[0]! | 1) | 0;

  /**
   * A claim on the role stored at `tokenIndex`/`pidIndex`. With `shared` the
   * role is never exclusive (multi-producer): taking only records the pid.
   */
  constructor(i32: Int32Array, tokenIndex: number, pidIndex: number, pid: number, shared: boolean) {
    this.#i32 = i32;
    this.#tokenIndex = tokenIndex;
    this.#pidIndex = pidIndex;
    this.#pid = pid;
    this.#shared = shared;
  }

  /** Whether this handle holds the role. */
  get held(): boolean {
    return this.#held;
  }

  /** Take the role, or throw Busy when a live process holds it. */
  take(action: string, name: string): void {
    const i32 = this.#i32, pid = this.#pid;
    if (this.#shared) {
      Atomics.store(i32, this.#pidIndex, pid);
      this.#held = true;
      return;
    }
    for (;;) {
      const current = Atomics.compareExchange(i32, this.#tokenIndex, 0, this.#token);
      if (current === 0 || current === this.#token) break;
      const holder = Atomics.load(i32, this.#pidIndex);
      if (holder !== 0 && !pidAlive(holder)) {
        Atomics.compareExchange(i32, this.#tokenIndex, current, 0); // take over from the dead
        continue;
      }
      const who = holder === pid ? "another handle in this process" : `process ${holder}`;
      throw new errors.Busy(
        `Cannot ${action} channel "${name}": ${who} holds that role ` +
          "(a channel has one producer, unless created with multiProducer, and one consumer)",
      );
    }
    Atomics.store(i32, this.#pidIndex, pid);
    this.#held = true;
  }

  /** Give the role back (idempotent). */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    if (!this.#shared) Atomics.compareExchange(this.#i32, this.#tokenIndex, this.#token, 0);
  }
}
