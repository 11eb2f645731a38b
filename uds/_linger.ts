// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: how a framed connection ends gracefully (a lingering close): its
 * queued frames are flushed, its write side shut, and the peer's own close
 * awaited, all within one bound, while its input is read and discarded, so
 * that its last frames are not destroyed by a reset.
 *
 * @module
 */
import type { FrameWriter } from "./_writer.ts";
import type { StreamConn } from "./transport.ts";

/** How long a failing connection tries to deliver its error frame. */
export const FAIL_FLUSH_MS = 1000;

/**
 * Waits (at most `ms` in all) for `writer` to write everything queued, then
 * shuts `conn`'s write side and waits for `peerClosed` (the peer closing its
 * side too). Gives up the shutdown once the writer failed or was aborted.
 */
export async function flushAndShutdown(
  writer: FrameWriter,
  conn: StreamConn,
  peerClosed: () => Promise<void>,
  ms: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, ms));
  try {
    await Promise.race([writer.idle(), timeout]);
    // A closed connection's writer is aborted: it has an error.
    if (writer.error !== undefined || writer.queued !== 0) return;
    try {
      await conn.closeWrite();
    } catch {
      // the peer is gone already
    }
    await Promise.race([peerClosed(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads and discards `conn`'s input until the peer closes (or the read fails). */
export async function discardUntilEnd(conn: StreamConn): Promise<void> {
  const scratch = new Uint8Array(4096);
  while (await conn.read(scratch) !== null) { /* discarded */ }
}
