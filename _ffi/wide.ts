// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: 64-bit FFI arguments as the fast calls want them.
 *
 * @module
 */

/** The BigInts of small counts, made once (see {@linkcode wide}). */
const SMALL: bigint[] = [];

/**
 * A 64-bit argument (`size_t`, `long`) as a BigInt. Deno's fast FFI calls
 * take these as BigInts: a number there makes V8's optimized code bail out
 * ("not a BigInt") to the slow call, again after every re-optimization,
 * which doubled the cost of a `msgsnd` + `msgrcv` pair (0.6 → 1.1 µs in one
 * process). Callers keep the BigInt of a value that repeats (a request's
 * size and type, the last message length); small counts (0–255) are made
 * once here.
 */
export function wide(n: number): bigint {
  if (n >= 0 && n < 256 && Number.isInteger(n)) return SMALL[n] ??= BigInt(n);
  return BigInt(n);
}
