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
import { pidAlive } from "./_mapping.ts";

/** One handle's claim on a role. */
export interface Role {
  /** Whether this handle holds the role. */
  readonly held: boolean;
  /** Take the role, or throw Busy when a live process holds it. */
  take(action: string, name: string): void;
  /** Give the role back (idempotent). */
  release(): void;
}

/**
 * A claim on the role stored at `tokenIndex`/`pidIndex`. With `shared` the
 * role is never exclusive (multi-producer): taking only records the pid.
 */
export function claim(
  i32: Int32Array,
  tokenIndex: number,
  pidIndex: number,
  pid: number,
  shared: boolean,
): Role {
  const token = (crypto.getRandomValues(new Uint32Array(1))[0] | 1) | 0;
  let held = false;
  return {
    get held() {
      return held;
    },
    take(action: string, name: string) {
      if (shared) {
        Atomics.store(i32, pidIndex, pid);
        held = true;
        return;
      }
      for (;;) {
        const current = Atomics.compareExchange(i32, tokenIndex, 0, token);
        if (current === 0 || current === token) break;
        const holder = Atomics.load(i32, pidIndex);
        if (holder !== 0 && !pidAlive(holder)) {
          Atomics.compareExchange(i32, tokenIndex, current, 0); // take over from the dead
          continue;
        }
        const who = holder === pid ? "another handle in this process" : `process ${holder}`;
        throw new errors.Busy(
          `Cannot ${action} channel "${name}": ${who} holds that role ` +
            "(a channel has one producer, unless created with multiProducer, and one consumer)",
        );
      }
      Atomics.store(i32, pidIndex, pid);
      held = true;
    },
    release() {
      if (!held) return;
      held = false;
      if (!shared) Atomics.compareExchange(i32, tokenIndex, token, 0);
    },
  };
}
