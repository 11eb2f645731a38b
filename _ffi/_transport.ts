// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The byte-stream transport a host offers under the framed protocol: Unix
 * stream sockets or TCP, behind one small interface (types only).
 *
 * @module
 */

/** Where a server listens or a client connects. */
export type Address =
  | {
    transport: "unix";
    path: string;
    /** Through a socket owned via FFI (`UnixSocket`) instead of the runtime's own. */
    native?: boolean;
    /** A SOCK_SEQPACKET socket (native only). */
    seqpacket?: boolean;
    /** Microseconds a native wait spins before it sleeps. */
    spin?: number;
    /** Microseconds a native wait may then sleep on the JavaScript thread. */
    syncWait?: number;
  }
  | { transport: "tcp"; hostname: string; port: number };

/**
 * A peer's address as a transport reports it: `hostname` and `port` for TCP,
 * `path` for a Unix socket (a `Deno.Addr` fits this shape).
 */
export interface RemoteAddr {
  /** `"tcp"` or `"unix"` (other values are treated like Unix). */
  readonly transport: string;
  /** TCP peer host. */
  readonly hostname?: string;
  /** TCP peer port. */
  readonly port?: number;
  /** Unix peer's bound path (usually empty). */
  readonly path?: string | null;
}

/** A connected byte stream. */
export interface StreamConn {
  /** Reads into `buffer`; `null` at end-of-stream. */
  read(buffer: Uint8Array): Promise<number | null>;
  /** Writes some of `data`; returns how many bytes were written. */
  write(data: Uint8Array): Promise<number>;
  /** Shuts down the write side. */
  closeWrite(): Promise<void>;
  /** Closes the stream. */
  close(): void;
  /** The peer's address (Unix peers are usually unnamed: an empty path). */
  readonly remoteAddr: RemoteAddr;
  /** The peer process's credentials, where the transport can tell. */
  peer?(): PeerCredentials;
  /**
   * Write what the transport takes of `data` (of its first `length` bytes,
   * if given) now, synchronously: the bytes written, 0 when its buffer is
   * full (then call `write` for the rest). Only a transport that can write
   * without waiting has it.
   */
  writeNow?(data: Uint8Array, length?: number): number;
  /** Hint from the framed reader: it holds part of a frame, the rest is due soon. */
  expectMore?(): void;
  /** Hint from the frame writer: everything is written, an answer is likely soon. */
  flushed?(): void;
  /**
   * Read into `buffer` synchronously when an answer is due (after
   * {@linkcode StreamConn.flushed} or {@linkcode StreamConn.expectMore}):
   * the bytes, `null` at end-of-stream, or `undefined` when nothing came in
   * the conn's brief wait (or none was due): then call `read`.
   */
  readNow?(buffer: Uint8Array): number | null | undefined;
  /**
   * Set by the framed reader: bytes a brief wait got for a pending `read`
   * are handed to `reader.consume` synchronously, in the writer's turn, and
   * that `read` then resolves with `CONSUMED` (uds/transport.ts).
   */
  reader?: InlineReader;
}

/** Who a conn hands the bytes of a pending read to synchronously (see {@linkcode StreamConn.reader}). */
export interface InlineReader {
  /**
   * `n` bytes were read into the pending read's buffer: take them now, or
   * return false (the reader is busy decoding): the read then resolves with `n`.
   */
  consume(n: number): boolean;
}

/** A listening socket. */
export interface StreamListener {
  /** Waits for the next connection. */
  accept(): Promise<StreamConn>;
  /** Stops listening. */
  close(): void;
}

/** Opens listeners and connections for one runtime. */
export interface Transport {
  /** Listens on a TCP address or on a Unix path that the caller already prepared. */
  listen(address: Address): Promise<Listening>;
  /** Connects to an address. */
  connect(address: Address): Promise<StreamConn>;
}

/** A listener and the address it really got (e.g. the port chosen for port 0). */
export interface Listening {
  /** The listener. */
  listener: StreamListener;
  /** The bound address. */
  addr: Address;
}

/** The credentials of the process at the other end of a Unix socket. */
export interface PeerCredentials {
  /** Its process id (at connect time). */
  pid: number;
  /** Its effective user id. */
  uid: number;
  /** Its effective group id. */
  gid: number;
}
