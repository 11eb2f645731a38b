// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * `ipcTest`: a `Deno.test` whose body gets a {@linkcode Scope} that releases
 * every name and process the test registered, even when the test fails, and
 * then checks /proc/self/fd for leaks.
 */
import { assertNoNewFds, openFds } from "./fds.ts";
import { uniqueName } from "./names.ts";

/** Cleanup registry for one test. */
export class Scope {
  #cleanups: Array<() => unknown> = [];

  /** Run `fn` when the test ends (last registered runs first). */
  defer(fn: () => unknown): void {
    this.#cleanups.push(fn);
  }

  /**
   * A unique object name; `release` (e.g. an unlink) runs when the test ends,
   * and its NotFound is ignored (the test may have removed it itself).
   */
  name(prefix = "ipct", release?: (name: string) => unknown): string {
    const name = uniqueName(prefix);
    if (release) {
      this.defer(async () => {
        try {
          await release(name);
        } catch (err) {
          if (!(err instanceof Deno.errors.NotFound)) throw err;
        }
      });
    }
    return name;
  }

  /** A unique temporary directory, removed when the test ends. */
  async tempDir(): Promise<string> {
    const dir = await Deno.makeTempDir({ prefix: "ipct_" });
    this.defer(() => Deno.remove(dir, { recursive: true }));
    return dir;
  }

  /** Run every cleanup; report the first failure after trying all. */
  async release(): Promise<void> {
    let failure: unknown;
    for (const fn of this.#cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        failure ??= err;
      }
    }
    this.#cleanups = [];
    if (failure !== undefined) throw failure;
  }
}

/** Options for {@linkcode ipcTest}. */
export interface IpcTestOptions {
  /** Check /proc/self/fd for leaks after cleanup. @default true */
  checkFds?: boolean;
  /** Skip the test (with a reason printed by the runner). @default false */
  ignore?: boolean;
}

/** A test with a cleanup scope and an fd-leak check. */
export function ipcTest(
  name: string,
  fn: (t: Deno.TestContext, scope: Scope) => Promise<void> | void,
  options: IpcTestOptions = {},
): void {
  Deno.test({
    name,
    ignore: options.ignore ?? false,
    async fn(t) {
      const before = openFds();
      const scope = new Scope();
      try {
        await fn(t, scope);
      } finally {
        await scope.release();
      }
      if (options.checkFds ?? true) assertNoNewFds(before);
    },
  });
}
