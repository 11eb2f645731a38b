// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode ReceivedFd}: a descriptor that arrived over a Unix socket, owned
 * until the user takes it.
 *
 * @module
 */
import { errors } from "../_ffi/errors.ts";
import { closeFd } from "../_ffi/socket.ts";

/** Something that names a descriptor to send: a number, or an object with an `fd`. */
export type FdLike = number | { readonly fd: number };

const safetyNet = new FinalizationRegistry<number>((fd) => closeFd(fd));

/**
 * A file descriptor received with a message (`SCM_RIGHTS`). It is owned by
 * this object and closed by {@linkcode ReceivedFd.close} (or `using`, or as
 * a last resort when the object is garbage-collected) unless the user
 * {@linkcode ReceivedFd.take}s it: a descriptor is never leaked because a
 * message was dropped.
 *
 * Received descriptors are close-on-exec.
 *
 * @example Take a descriptor that came over a socket pair
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnixSocket } from "@ipc/linux/uds";
 *
 * const [a, b] = UnixSocket.pair();
 * using _a = a;
 * using _b = b;
 * await a.send(new Uint8Array([1]), { fds: [b.fd] });
 * const message = await b.receive();
 * using fd = message!.fds[0]!;
 * assert.equal(typeof fd.fd, "number");
 * assert.equal(fd.closed, false);
 * ```
 */
export class ReceivedFd implements Disposable {
  #fd: number;

  /**
   * Own `fd`: it is closed with this object unless taken.
   *
   * @param fd An open descriptor of this process.
   * @throws {TypeError} When `fd` is not a non-negative integer.
   */
  constructor(fd: number) {
    if (!Number.isInteger(fd) || fd < 0) {
      throw new TypeError(`Cannot own descriptor ${String(fd)}: not a non-negative integer`);
    }
    this.#fd = fd;
    safetyNet.register(this, fd, this);
  }

  /**
   * The descriptor's number, still owned by this object (closing this object
   * closes it). Use {@linkcode ReceivedFd.take} to keep it.
   *
   * @throws {Deno.errors.BadResource} When it was closed or taken.
   */
  get fd(): number {
    if (this.#fd < 0) {
      throw new errors.BadResource("Cannot use the received descriptor: it was closed or taken");
    }
    return this.#fd;
  }

  /** Whether it was closed or taken. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /**
   * Take ownership of the descriptor: this object forgets it, and the caller
   * must close it.
   *
   * @returns The descriptor number.
   * @throws {Deno.errors.BadResource} When it was closed or taken already.
   *
   * @example Keep a received descriptor
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReceivedFd, UnixSocket } from "@ipc/linux/uds";
   *
   * const [a, b] = UnixSocket.pair();
   * const fd = new ReceivedFd(a.take());
   * const n = fd.take();
   * assert.equal(fd.closed, true);
   * UnixSocket.fromFd(n).close(); // whoever took it closes it
   * b.close();
   * ```
   */
  take(): number {
    const fd = this.fd;
    this.#fd = -1;
    safetyNet.unregister(this);
    return fd;
  }

  /** Close the descriptor unless it was taken. Idempotent. */
  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    safetyNet.unregister(this);
    closeFd(fd);
  }

  /** Same as {@linkcode ReceivedFd.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** The descriptor numbers of `fds`, checked before any syscall. */
export function fdNumbers(fds: readonly FdLike[] | undefined, action: string): number[] {
  if (fds === undefined) return [];
  if (!Array.isArray(fds)) throw new TypeError(`Cannot ${action}: fds must be an array`);
  return fds.map((f) => {
    const fd = typeof f === "number" ? f : (f as { fd?: unknown } | null)?.fd;
    if (typeof fd !== "number" || !Number.isInteger(fd) || fd < 0) {
      throw new TypeError(`Cannot ${action}: ${String(fd)} is not a descriptor`);
    }
    return fd;
  });
}
