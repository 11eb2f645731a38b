// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A server's listening and accepting: binding the address, the accept loop,
 * the connections it made (admitted up to the limit, released when they
 * close), and saying goodbye to them all at shutdown.
 *
 * @module
 */
import { bindSocketFile, type SocketFile } from "./_socket_file.ts";
import { type Address, nodeTransport, runtimeTransport, type StreamListener } from "./transport.ts";
import { connectionControls, ServerConnection } from "./server_connection.ts";
import type { ServerSettings } from "./_server_settings.ts";
import { WriteWatchdog } from "./_write_watchdog.ts";
import { NativeListener, nativeTransport } from "./_native_transport.ts";
import { SOCK_SEQPACKET, SOCK_STREAM } from "../_ffi/_socket_struct.ts";
import { adoptSocketAt } from "./_native.ts";

/**
 * Listens on `address`: a Unix socket file with permission bits `mode`
 * (see {@linkcode bindSocketFile}), or TCP. With `peerCredentials`, through
 * `node:net` so that peers' credentials can be read.
 */
export async function listen(
  address: Address,
  mode: number,
  peerCredentials: boolean | undefined,
): Promise<SocketFile> {
  // On Deno, node:net (and FFI) are loaded only when peer credentials are wanted.
  const transport = address.transport === "unix" && address.native
    ? nativeTransport(address.seqpacket ? SOCK_SEQPACKET : SOCK_STREAM, undefined, address)
    : peerCredentials
    ? await nodeTransport()
    : await runtimeTransport();
  if (peerCredentials) (await import("../_ffi/mod.ts")).libc(); // fail early without --allow-ffi
  return address.transport === "unix"
    ? await bindSocketFile(transport, address.path, mode)
    : { ...await transport.listen(address), remove: () => Promise.resolve() };
}

/**
 * Serves on an inherited or handed-over listening descriptor (native
 * transport), reported at `named` (or the address it is bound at); its
 * socket file is never removed by this server.
 */
export function adoptListener(fd: number, named: string): SocketFile {
  const { type, path } = adoptSocketAt(fd, true, "serve on a descriptor");
  // A seqpacket listener serves the protocol one frame per packet.
  const seqpacket = type === SOCK_SEQPACKET;
  return {
    listener: new NativeListener(fd, seqpacket),
    addr: seqpacket
      ? { transport: "unix", path: named || path, native: true, seqpacket }
      : { transport: "unix", path: named || path, native: true },
    remove: () => Promise.resolve(),
  };
}

/** What a server gives its {@linkcode Acceptor}: the settings but those the acceptor adds. */
export type AcceptorSettings = Omit<
  ServerSettings<ServerConnection>,
  "admit" | "release" | "watchWrites" | "unwatchWrites"
>;

/** The connections a server accepts on its listener, and the loop accepting them. */
export class Acceptor {
  /** Connections that completed their handshake and are still open. */
  readonly ready = new Set<ServerConnection>();
  readonly #listener: StreamListener;
  readonly #settings: ServerSettings<ServerConnection>;
  readonly #maxConnections: number;
  readonly #all = new Set<ServerConnection>();
  #stopping = false;
  readonly #accepting: Promise<void>;
  #idleWaiters: Array<() => void> = [];

  /** Starts accepting on `listener`; connections get `settings`. */
  constructor(
    listener: StreamListener,
    settings: AcceptorSettings,
    maxConnections: number,
  ) {
    this.#listener = listener;
    this.#maxConnections = maxConnections;
    const watchdog = new WriteWatchdog(settings.writeTimeout);
    this.#settings = {
      ...settings,
      watchWrites: (fc) => watchdog.watch(fc),
      unwatchWrites: (fc) => watchdog.unwatch(fc),
      admit: (c) => {
        if (this.#stopping) return "shutting-down";
        if (this.ready.size >= this.#maxConnections) return "busy";
        this.ready.add(c);
        return "ok";
      },
      release: (c) => {
        this.#all.delete(c);
        this.ready.delete(c);
        if (this.#stopping && this.#all.size === 0) this.#wakeIdle();
      },
    };
    this.#accepting = this.#acceptLoop();
  }

  #wakeIdle(): void {
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  async #acceptLoop(): Promise<void> {
    for (;;) {
      let conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        if (this.#stopping) return;
        // e.g. EMFILE: back off briefly instead of spinning.
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      // A connection accepted as the listener closed is still answered (its
      // handshake gets REJECT SHUTTING_DOWN, which a client may retry), not
      // reset: after a socket hand-off it would otherwise be lost.
      const connection = new ServerConnection(conn, this.#settings);
      this.#all.add(connection);
      connectionControls.start(connection);
      if (this.#stopping) return;
    }
  }

  /**
   * Stops: closes the listener (new handshakes are refused from now on) and
   * resolves once the accept loop has ended.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    try {
      this.#listener.close();
    } catch {
      // already closed
    }
    await this.#accepting;
  }

  /**
   * After {@linkcode Acceptor.stop}: says `GOODBYE` to every connection,
   * waits up to `timeout` ms for them all to close, then terminates the rest
   * and waits for them to close.
   */
  async goodbye(timeout: number): Promise<void> {
    for (const c of this.#all) connectionControls.goodbye(c, "server shutting down");
    if (this.#all.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.#idleWaiters.push(resolve)),
      new Promise<void>((resolve) => timer = setTimeout(resolve, timeout)),
    ]);
    clearTimeout(timer);
    for (const c of [...this.#all]) connectionControls.terminate(c);
    await Promise.all([...this.#all].map((c) => c.finished));
  }
}
