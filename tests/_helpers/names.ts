// Copyright 2026 the @ipc/linux authors. MIT license.
/** Unique object names per test, so parallel and repeated runs never collide. */

let counter = 0;

/** A fresh name like `ipct_12345_7_k3f9`, without a leading slash. */
export function uniqueName(prefix = "ipct"): string {
  const random = Math.random().toString(36).slice(2, 6);
  return `${prefix}_${Deno.pid}_${++counter}_${random}`;
}
