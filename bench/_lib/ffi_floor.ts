// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The floor of a JavaScript spinning ping-pong (bench/latency_bench.ts): the
 * C spin ping-pong's loop (bench/c/spin_pingpong.c) written in JavaScript on
 * the library's synchronous FFI calls, no promise, no framing, no event
 * loop: 64 bytes out with `send`, 64 back with non-blocking `recvmsg`
 * retried for up to `spin` µs (with `sched_yield` in between), then
 * `ppoll` sleeps with the library's timeouts (200 µs, ending just past a
 * scheduler tick: uds/_spin.ts), again and again. What JavaScript itself
 * costs on top of C, per round trip; with spin 0, the floor of a wait asleep
 * on the JavaScript thread.
 *
 * `deno run -A ffi_floor.ts server <path> <spin>`: listens on `path`, prints
 * "ready", echoes one client until it closes. The measuring side is
 * {@linkcode floorRoundTrips}, run in the bench's own process.
 *
 * @module
 */
import { libc } from "../../_ffi/libc.ts";
import { receiveInto, sendBytes, WOULD_BLOCK } from "../../_ffi/socket.ts";
import { afterTick, sleepUntilReadable } from "../../uds/_spin.ts";
import { acceptFrom, bindAndListen, connectTo, openSocket } from "../../uds/_native.ts";
import { SOCK_STREAM } from "../../_ffi/_socket_struct.ts";
import { pinPeer } from "./placement.ts";

/**
 * Receive exactly `buf.length` bytes, spinning up to `spin` µs first (the
 * clock read every 8 tries, as uds/_spin.ts does); false at end of stream.
 */
function get(fd: number, buf: Uint8Array, spin: number): boolean {
  const lib = libc();
  let done = 0;
  let tries = 0;
  let deadline = 0;
  const spinning = (): boolean => {
    if (spin <= 0) return false;
    if (++tries % 8 !== 0) return true;
    const now = performance.now();
    if (deadline === 0) deadline = now + spin / 1000;
    return now < deadline;
  };
  while (done < buf.length) {
    const n = receiveInto(fd, done === 0 ? buf : buf.subarray(done), 0);
    if (n > 0) done += n;
    else if (n === 0) return false;
    else if (spinning()) lib.sched_yield();
    else sleepUntilReadable(fd, afterTick(200)); // as the library's sleep (uds/_spin.ts)
  }
  return true;
}

/** Send all of `buf` (64 bytes always fit an empty socket buffer). */
function put(fd: number, buf: Uint8Array): void {
  while (sendBytes(fd, buf) === WOULD_BLOCK) libc().sched_yield();
}

/**
 * Measure `trips` round trips to a floor server at `path` after `warmup`
 * more (`onStart` is called in between); returns each round trip (µs).
 */
export async function floorRoundTrips(
  path: string,
  trips: number,
  spin: number,
  warmup = 200,
  onStart?: () => void,
): Promise<Float64Array> {
  const fd = await connectTo(path, SOCK_STREAM, new AbortController().signal);
  const buf = new Uint8Array(64);
  const times = new Float64Array(trips);
  try {
    for (let i = -warmup; i < trips; i++) {
      if (i === 0) onStart?.();
      const t = performance.now();
      put(fd, buf);
      if (!get(fd, buf, spin)) throw new Error("the floor server went away");
      if (i >= 0) times[i] = (performance.now() - t) * 1000;
    }
  } finally {
    libc().close(fd);
  }
  return times;
}

if (import.meta.main && Deno.args[0] === "server") {
  const [, path, spinArg] = Deno.args;
  const spin = Number(spinArg);
  await pinPeer(); // where the measuring side places its peers, if it does
  const listener = openSocket(SOCK_STREAM);
  bindAndListen(listener, path!);
  console.log("ready");
  for (;;) {
    const fd = await acceptFrom(listener, new AbortController().signal);
    const buf = new Uint8Array(64);
    while (get(fd, buf, spin)) put(fd, buf);
    libc().close(fd);
  }
}
