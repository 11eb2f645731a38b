// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * {@linkcode UnixListener}: a listening native Unix socket.
 *
 * @module
 */
import { errors } from "../_ffi/errors.ts";
import { SOCK_SEQPACKET } from "../_ffi/_socket_struct.ts";
import { bindSocketFile, type SocketFile } from "./_socket_file.ts";
import { adoptSocket, type SocketType, socketTypeOf } from "./_native.ts";
import { NativeListener, nativeTransport } from "./_native_transport.ts";
import { checkInteger } from "../_ffi/validate.ts";
import { toAddress } from "./transport.ts";
import type { UnixSocket } from "./unix_socket.ts";

/** Options for {@linkcode UnixListener.listen}. */
export interface UnixListenOptions {
  /** `"stream"` or `"seqpacket"`. @default {"stream"} */
  type?: SocketType;
  /** Permission bits of the socket file (not for abstract names). @default {0o600} */
  mode?: number;
  /** Most connections waiting to be accepted (capped by net.core.somaxconn). @default {4096} */
  backlog?: number;
}

/** Options for {@linkcode UnixListener.accept}. */
export interface UnixAcceptOptions {
  /** Abort the wait. @default {undefined} */
  signal?: AbortSignal;
}

/**
 * A listening Unix socket owned through FFI, accepting {@linkcode UnixSocket}s.
 *
 * On a path it follows the same rules as `serve()`: the socket file gets
 * `mode` (0o600) without a umask race, a stale socket file is replaced, a
 * live one or any other file is never (`AlreadyExists`), and closing removes
 * the file only if it is still this listener's. Its descriptor can be passed
 * to another process ({@linkcode UnixListener.take}), which continues with
 * {@linkcode UnixListener.fromFd}.
 *
 * Requires `--allow-ffi --allow-read --allow-write` permission.
 * NOTE: This API is only available on Linux.
 *
 * @example Accept a connection on an abstract name
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnixListener, UnixSocket } from "@ipc/linux/uds";
 *
 * const name = `\0doc-listen-${Deno.pid}`;
 * await using listener = await UnixListener.listen(name);
 * using client = await UnixSocket.connect(name);
 * using server = await listener.accept();
 * await client.send(new Uint8Array([7]));
 * assert.deepEqual((await server.receive())!.data, new Uint8Array([7]));
 * ```
 */
export class UnixListener implements AsyncDisposable {
  readonly #listener: NativeListener;
  readonly #path: string | undefined;
  #file: SocketFile | undefined;

  private constructor(listener: NativeListener, path: string | undefined, file?: SocketFile) {
    this.#listener = listener;
    this.#path = path;
    this.#file = file;
  }

  /**
   * Listen on a socket file path or an abstract name (`"\0…"`).
   *
   * @param path Where to listen.
   * @param options Type, mode and backlog.
   * @returns The listener.
   * @throws {TypeError|RangeError} For a malformed path or option, before any syscall.
   * @throws {Deno.errors.AlreadyExists} When a server listens there, or a non-socket file is there.
   */
  static async listen(path: string, options: UnixListenOptions = {}): Promise<UnixListener> {
    toAddress({ path }, "listen");
    const type = socketTypeOf(options.type, "listen");
    const mode = checkInteger(options.mode ?? 0o600, "listen", "mode", 0, 0o777);
    const backlog = checkInteger(options.backlog ?? 4096, "listen", "backlog", 1, 2 ** 31 - 1);
    const file = await bindSocketFile(nativeTransport(type, backlog), path, mode);
    return new UnixListener(file.listener as NativeListener, path, file);
  }

  /**
   * Own a listening Unix socket descriptor, e.g. one handed over by the
   * process that served before (socket hand-off) or inherited. It is made
   * non-blocking. Closing it never removes a socket file.
   *
   * @param fd The descriptor.
   * @returns The listener.
   * @throws {Deno.errors.InvalidData} When `fd` is not a listening Unix socket.
   */
  static fromFd(fd: number): UnixListener {
    const type = adoptSocket(fd, true, "adopt a listening socket");
    return new UnixListener(new NativeListener(fd, type === SOCK_SEQPACKET), undefined);
  }

  /** The path it was asked to listen on (undefined when adopted from a descriptor). */
  get path(): string | undefined {
    return this.#path;
  }

  /**
   * The listening descriptor, still owned by the listener.
   *
   * @throws {Deno.errors.BadResource} When closed.
   */
  get fd(): number {
    if (this.#listener.fd < 0) throw new errors.BadResource("Cannot get the descriptor: closed");
    return this.#listener.fd;
  }

  /** Whether it was closed or taken. */
  get closed(): boolean {
    return this.#listener.fd < 0;
  }

  /**
   * Wait for the next connection.
   *
   * @param options An AbortSignal.
   * @returns The connected socket.
   * @throws {Deno.errors.BadResource} When the listener is or gets closed.
   */
  accept(options: UnixAcceptOptions = {}): Promise<UnixSocket> {
    return this.#listener.acceptSocket(options.signal);
  }

  /**
   * Take the listening descriptor: pending accepts reject, the socket file
   * stays (it belongs to whoever listens next), and the caller owns the
   * descriptor, e.g. to pass it to a new process.
   *
   * @returns The descriptor.
   */
  take(): number {
    void this.fd; // throws when closed
    this.#file = undefined;
    return this.#listener.release();
  }

  /**
   * Stop listening and remove the socket file if it is still this
   * listener's. Idempotent.
   */
  async close(): Promise<void> {
    this.#listener.close();
    const file = this.#file;
    this.#file = undefined;
    await file?.remove();
  }

  /** Same as {@linkcode UnixListener.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
