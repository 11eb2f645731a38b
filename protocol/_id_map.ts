// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: a table of open requests by id, for the state machine and the
 * request tables of both ends.
 *
 * @module
 */

/**
 * A map from request id to `V` that keeps its first entry in two fields and
 * the others in a `Map` made on demand. A connection with one request open
 * at a time (request/response) then never touches a `Map`: V8 rebuilds a
 * small `Map`'s table when its last entry is deleted, or when deleted
 * entries fill it (~150 bytes per request, per table, on each end).
 * Iteration order: the field's entry first, then the others in insertion order.
 */
export class IdMap<V> {
  #used = false;
  #id = 0;
  #value: V | undefined;
  #more: Map<number, V> | undefined;

  /** Number of entries. */
  get size(): number {
    return (this.#used ? 1 : 0) + (this.#more?.size ?? 0);
  }

  /** Whether `id` has an entry. */
  has(id: number): boolean {
    return (this.#used && this.#id === id) || (this.#more?.has(id) ?? false);
  }

  /** The entry of `id`, if any. */
  get(id: number): V | undefined {
    if (this.#used && this.#id === id) return this.#value;
    return this.#more?.get(id);
  }

  /** Sets the entry of `id`. */
  set(id: number, value: V): void {
    if (this.#used ? this.#id === id : !this.#more?.has(id)) {
      this.#used = true;
      this.#id = id;
      this.#value = value;
    } else {
      (this.#more ??= new Map()).set(id, value);
    }
  }

  /** Deletes the entry of `id`; whether there was one. */
  delete(id: number): boolean {
    if (this.#used && this.#id === id) {
      this.#used = false;
      this.#value = undefined;
      return true;
    }
    return this.#more?.delete(id) ?? false;
  }

  /** Every entry's id and value. */
  *entries(): IterableIterator<[number, V]> {
    if (this.#used) yield [this.#id, this.#value!];
    if (this.#more) yield* this.#more;
  }

  /** Every value. */
  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  /** Deletes every entry. */
  clear(): void {
    this.#used = false;
    this.#value = undefined;
    this.#more?.clear();
  }
}
