// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The context a server's request handler receives.
 *
 * @module
 */
/**
 * A handler's context. The AbortController behind `signal` is only created
 * when a handler asks for it: most never do, and it is not free.
 */
export class Context<C> {
  readonly connection: C;
  #controller: AbortController | undefined;
  #reason: unknown;
  #aborted = false;
  constructor(connection: C) {
    this.connection = connection;
  }
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
