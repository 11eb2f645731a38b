// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Messaging over Unix domain sockets (and TCP) with the framed, versioned
 * protocol of `@ipc/linux/protocol`: a server with request handlers,
 * notifications and graceful shutdown; a client with many requests in
 * flight, cancellation, notifications and optional reconnection.
 *
 * Requires `--allow-read --allow-write --allow-net` permission for Unix
 * sockets (Deno ≥ 2.9), `--allow-net` for TCP, and also `--allow-ffi` for a
 * server with `peerCredentials: true`.
 *
 * NOTE: This API is only available on Linux.
 *
 * Request/response messaging between processes over a Unix domain socket (or TCP), on a small binary
 * protocol that other languages can implement from one document,
 * [`protocol/PROTOCOL.md`](https://github.com/ipc-linux/ipc/blob/main/protocol/PROTOCOL.md): length-prefixed frames, a versioned handshake,
 * request ids (many requests in flight, answered in any order), error frames with codes, one-way
 * notifications in both directions, cancellation, ping/pong and a goodbye that drains in-flight
 * requests. A Python 3 client written from that document alone (standard library only) is part of the
 * test suite: `tests/fixtures/protocol_client.py`.
 *
 * The same over TCP: `serve({ port: 0 })` (then `server.addr.port`) and `connect({ hostname, port })`.
 * The pure codec is usable on its own: `encodeFrame`, `FrameDecoder` (push chunks, get frames), and
 * `FrameEncoderStream`/`FrameDecoderStream` for web streams.
 *
 * Run the examples with `deno run --allow-read --allow-write --allow-net --allow-run`:
 * `examples/uds_echo.ts`, `examples/uds_service.ts` (a JSON key-value
 * service with application errors and a cancelled request), `examples/uds_notifications.ts` (a
 * broadcast to two client processes, then a graceful shutdown).
 *
 * The connection state machine is in PROTOCOL.md §5.
 *
 * ## Guarantees
 *
 * - **Every request gets exactly one answer or a clear failure.** Replies are matched by id. A handler
 *   that throws sends `ERROR` (`HANDLER_ERROR`, or the code of a thrown `RemoteError`). Cancelling
 *   (`signal`) rejects the call with `signal.reason` at once, sends `CANCEL`, and aborts the handler's
 *   `ctx.signal`. `server.shutdown()` stops accepting, sends `GOODBYE`, lets in-flight handlers
 *   finish, answers requests that cross the `GOODBYE` with `SHUTTING_DOWN`, removes the socket file,
 *   and closes (after `timeout`, default 10 s, remaining handlers are aborted and answered
 *   `SHUTTING_DOWN`).
 * - **No silent resend.** With `reconnect`, requests in flight when the connection drops reject with
 *   `ConnectionClosedError` ("… not resent"); requests made while reconnecting wait for the new
 *   connection (or their `signal`). Backoff is exponential (`initialDelay` 100 ms to `maxDelay` 5 s).
 * - **Bounded memory.** Frames are checked against `maxFrameSize` (default 16 MiB) as soon as their
 *   4-byte length arrives, before anything is buffered; before the handshake the limit is 256 bytes,
 *   so garbage is refused at once. Writes go through a queue bounded by `highWaterMark` (default 1
 *   MiB): `notify`/`request` wait for it to drain, and a server stops reading from a client that does
 *   not read its replies.
 * - **A client that stops reading is cut off, not waited for forever.** When bytes queued for one
 *   client make no progress for `writeTimeout` (a `serve` option, default 30 s; `Infinity` disables
 *   it), the server fails that connection: its pending `notify` calls, the `broadcast` waiting on it
 *   and its handlers' replies reject with `Deno.errors.TimedOut` naming the client and the bytes
 *   queued. Other clients are unaffected, and a client that reads, however slowly, is never cut off.
 * - **Frames are processed in order, up to a malformed one.** Frames that arrived in front of a
 *   malformed (or too large, or unexpected) frame are handled first, however the bytes were split into
 *   reads: a `PING` gets its `PONG`, a `REQUEST` reaches its handler, a `RESPONSE` settles its
 *   request; then the connection fails with `ERROR(0)` (PROTOCOL.md §4). `FrameDecoder.push(chunk,
 *   out)` leaves those frames in `out` when it throws.
 * - **No notification is lost to a late listener.** `connect({ onNotification })` is registered before
 *   the handshake, so it also sees notifications the server sends right behind its `ACCEPT` (e.g. from
 *   `onConnection`), which arrive before `connect()` resolves.
 * - **Paths are checked before any syscall.** A socket path with a lone surrogate (which UTF-8 would
 *   turn into U+FFFD, naming another file) is a `TypeError` for `serve` and `connect`, as for IPC
 *   names; a failed `connect` names the path (or `host:port`) in its message on every runtime, e.g.
 *   `No such file or directory (os error 2): connect "/tmp/x.sock"`, keeping the error class and
 *   `code`.
 * - **Few syscalls.** Small frames queued in the same tick are encoded into one buffer and sent with
 *   one write; payloads of 16 KiB or more are written from the caller's buffer without a copy (so
 *   `notify` with such a payload resolves once it is written; then the buffer may be refilled), and
 *   large incoming frames are read straight into their final buffer.
 * - **Bulk streams without an allocation per message.** By default every payload handed to your code
 *   is a fresh buffer you may keep. With `serve({ borrowNotifications: true })` /
 *   `connect({ borrowNotifications: true })`, large notifications are read into one buffer the
 *   connection reuses, and the payload is a view valid until `onNotification` returns (or its promise
 *   settles) or, on the client, during the event dispatch; copy with `payload.slice()` what you keep.
 *   Requests and responses are never borrowed.
 * - **Socket files.** A path where another server answers is never taken
 *   (`Deno.errors.AlreadyExists`); a stale socket file (nobody answers) is replaced; a regular file is
 *   never replaced. The socket gets `mode` (default `0o600`) without a umask race: it is bound inside
 *   a fresh `0o700` directory next to the path, chmod-ed there, and hard-linked onto the path, which
 *   fails if anything is there (chmod-after-listen would leave a window where the umask's mode
 *   applies; a rename would let two servers starting at once both win). The file is removed on
 *   shutdown only if it is still the one this server created. Paths longer than `sun_path` allows (107
 *   bytes + NUL) are a `RangeError`, and so is a shorter path whose directory name leaves no room for
 *   the temporary name (directory + 15 bytes); a leading `"\0"` makes an abstract socket (no file).
 * - **Peer failure.** A client killed mid-frame is just a closed connection: its half frame is freed,
 *   its handlers see `ctx.signal` abort, and the server keeps serving everyone else.
 *
 * ## Limits
 *
 * - Only the client sends requests (servers send notifications); method names are 1–255 UTF-8 bytes;
 *   payloads up to `maxFrameSize`.
 * - Peer credentials: `serve({ path, peerCredentials: true }, …)` reads each client's pid, uid and gid
 *   with `SO_PEERCRED` (`ctx.connection.peer`). `Deno.UnixConn` exposes no fd, so that server runs on
 *   a `node:net` transport (loaded only then); both transports sit behind one
 *   small interface (`uds/transport.ts`), which is also the way to Node and Bun. Every connection also
 *   has `remoteAddr` (host and port for TCP).
 *
 * ## Passing descriptors: `UnixSocket` and the native transport
 *
 * `Deno.connect` and `node:net` read the socket themselves and drop ancillary data, so no JavaScript
 * library could pass an open file descriptor to an unrelated process. `UnixSocket` (and
 * `UnixListener`) own their socket through FFI (`socket`, `accept4`, `sendmsg`/`recvmsg` with
 * `SCM_RIGHTS`, non-blocking, close-on-exec, waits on the library's one poll loop) and do, on Deno,
 * Node.js and Bun, with Python's `socket.send_fds`/`recv_fds` and C's `sendmsg` at the other end:
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { SharedMemory } from "@ipc/linux/shm";
 * import { UnixSocket } from "@ipc/linux/uds";
 *
 * const [a, b] = UnixSocket.pair(); // or UnixListener.listen(path) + UnixSocket.connect(path)
 * using shm = SharedMemory.anonymous(4096); // memfd: no name, sealed against shrinking
 * shm.write(new TextEncoder().encode("no name in /dev/shm"));
 * await a.send(new TextEncoder().encode("memory"), { fds: [shm] });
 * const message = await b.receive(); // { data, fds }: each fd closes itself unless taken
 * using seen = SharedMemory.fromFd(message!.fds[0]!.take()); // checks type, size and seal first
 * assert.equal(new TextDecoder().decode(seen.read(0, 19)), "no name in /dev/shm");
 * a.close();
 * b.close();
 * ```
 *
 * - Received descriptors are `ReceivedFd`s: closed on `close()`/`using` (or, as a safety net, when
 *   garbage-collected) unless `take()`n. A message with more than `maxFds` (default 253, Linux's
 *   `SCM_MAX_FD`) is an `InvalidData` error, and the descriptors that did arrive are closed.
 * - `SharedMemory.anonymous`/`fromFd`, `Channel.anonymous`/`fromFd`: memory with nothing to unlink or
 *   sweep; `fromFd` refuses what is not a regular file, too small, or (by default) not sealed against
 *   shrinking, since whoever can truncate it could crash the mapper with SIGBUS. `PidFd.fromFd` adopts
 *   a passed pidfd.
 * - `serve({ path, transport: "native" })` / `connect({ path, transport: "native" })` run the framed
 *   protocol over `UnixSocket`; when both ends do, they negotiate the `FDS` feature
 *   ([PROTOCOL.md §6](https://github.com/ipc-linux/ipc/blob/main/protocol/PROTOCOL.md)): `client.request(m, p, { fds })`, `req.fds` in handlers,
 *   `return { payload, fds }` from a handler, `client.requestWithFds` for replies that carry some.
 *   Without `FDS`, sending descriptors is `NotSupported` before anything is written.
 * - Socket hand-off: `server.fd` goes to the next server process, which `serve({ fd })`s on it while
 *   the old one drains with `shutdown({ keepSocketFile: true })`
 *   ([examples/uds_handoff.ts](https://github.com/ipc-linux/ipc/blob/main/examples/uds_handoff.ts): a client hammering the path throughout sees
 *   no failed request).
 * - The default transport stays `Deno.listen`/`node:net` (see "Waiting for answers" below).
 *
 * ## Message sockets, socket activation and spinning: `UnixDatagram`, seqpacket, `listenFds`
 *
 * What `Deno.connect`/`Deno.listenDatagram` cannot do (no connected datagram sockets, and Deno's
 * `"unixpacket"` is really `SOCK_DGRAM`), with Python's `socket` module and C at the other end:
 *
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnixDatagram } from "@ipc/linux/uds";
 *
 * await using a = await UnixDatagram.bind(`\0readme-a-${Deno.pid}`); // or a path: 0o600, stale-file rules
 * await using b = await UnixDatagram.bind(`\0readme-b-${Deno.pid}`);
 * await a.sendTo(b.path!, new TextEncoder().encode("ping"), { fds: [] });
 * const { data, from } = await b.receiveFrom(); // one whole datagram and its sender
 * assert.equal(new TextDecoder().decode(data), "ping");
 * assert.equal(from, a.path);
 * ```
 *
 * - `UnixDatagram`: `bind(path | "\0name")`, `unbound()`, `pair()`, `connect(path)` + `send`,
 *   `sendTo`/`receiveFrom` (`{ data, fds, from }`), descriptors allowed. A socket file gets `mode`
 *   (0o600) before it exists (`fchmod` on the unbound socket, so no umask window) and follows the
 *   stream rules: a stale file is replaced, a live socket or another file never, the file is removed
 *   on close only while it is still ours.
 * - Seqpacket: `UnixListener.listen(path, { type: "seqpacket" })`,
 *   `UnixSocket.connect(path,
 *   { type: "seqpacket" })`, `UnixSocket.pair({ type: "seqpacket" })`:
 *   each `send` is one message, each `receive` one whole message (up to 16 MiB with `maxBytes`).
 * - Never a silent truncation: a message longer than `maxBytes` (default 256 KiB on message sockets)
 *   is read with `MSG_TRUNC` (the kernel reports its real length), dropped, and reported as
 *   `InvalidData` with its length; its first bytes are in the error's `data` and its descriptors are
 *   closed. An empty seqpacket message reads as end of stream (the kernel reports both alike), so
 *   `UnixSocket.send` refuses to send one (RangeError); one from another program still reads as `null`.
 * - The framed protocol over seqpacket, one frame per packet:
 *   `serve({ path, transport: "native", type: "seqpacket" })` and the same in `connect`
 *   ([PROTOCOL.md §6a](https://github.com/ipc-linux/ipc/blob/main/protocol/PROTOCOL.md): no handshake change; frames are limited to one packet,
 *   the socket's send buffer, which each end announces as its `maxFrameSize`).
 * - Socket activation (systemd `.socket` units, or any launcher following `sd_listen_fds`):
 *   `listenFds()` returns the inherited sockets (fd 3…, names from `LISTEN_FDNAMES`, type and
 *   listening state read with `getsockopt`) when `LISTEN_PID` is this process, and removes the three
 *   variables from the environment; `serve({ activation: true })` or `serve({ activation: "api" })`
 *   serves a stream or seqpacket one. Clients that connected before the server started are served once
 *   it has (the kernel queues them in the listen backlog).
 * - Waiting for answers on the native transport: after each write the connection expects an answer
 *   and waits for it on the JavaScript thread, `spin` µs retrying a non-blocking read (default 0,
 *   CPU spent) then up to `syncWait` µs asleep in `ppoll` (default 200, rounded past the scheduler
 *   tick, as `MessageQueue`'s; no CPU), watching the process's other parked native connections too.
 *   An answer within that is read with no thread hop; the event loop waits meanwhile (up to
 *   `syncWait` + one tick when nothing comes; an eighth, unrounded, after repeated misses).
 *   `deno run -A bench/latency_bench.ts` (64 B round trips, ratios of p50 in one run; the last
 *   full run's figures are in the README's Benchmarks table): with `spin: 50`, 1.3–1.4× a C
 *   ping-pong spinning as long (the JS floor of the same loop on FFI: 1.1–1.2×); without spin,
 *   0.79× a raw `Deno.connect` ping-pong when this VM wakes a sleeping CPU fast, and on its floor
 *   (a synchronous FFI ping-pong asleep in `ppoll`: 1.05–1.4×) when waking one is slow
 *   (bench/README.md). Not measured better on every row of every bench, so the default stays
 *   `Deno.connect`/`node:net`.
 *
 * @example Request and response over a Unix socket
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, serve } from "@ipc/linux/uds";
 *
 * const dir = await Deno.makeTempDir();
 * const path = `${dir}/app.sock`;
 * {
 *   await using _server = await serve({ path }, (req) => `hello ${req.text()}`);
 *   await using client = await connect({ path });
 *   const reply = await client.request("greet", "world");
 *   assert.equal(new TextDecoder().decode(reply), "hello world");
 * }
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export { serve, Server } from "./server.ts";
export type {
  ResponseBody,
  ResponseWithFds,
  ServerNotification,
  ServerRequest,
} from "./handler.ts";
export type {
  ClientState,
  Handler,
  NotificationHandler,
  ReconnectOptions,
  RequestContext,
  ServeOptions,
  ShutdownOptions,
} from "./types.ts";
export { ServerConnection } from "./server_connection.ts";
export { Client } from "./client.ts";
export type { ClientEventMap, NotifyOptions, ReplyWithFds, RequestOptions } from "./client.ts";
export { connect } from "./connect.ts";
export type { ConnectOptions } from "./connect.ts";
export { NotificationEvent } from "./notification_event.ts";
export { ConnectionClosedError } from "./errors.ts";
export type { ClientStats, ServerStats } from "./stats.ts";
export type { Address, AddressOptions } from "./transport.ts";
export type { PeerCredentials } from "./transport.ts";
export { UnixSocket } from "./unix_socket.ts";
export type {
  SocketMessage,
  SocketType,
  UnixConnectOptions,
  UnixReceiveOptions,
  UnixSendOptions,
} from "./unix_socket.ts";
export { UnixListener } from "./unix_listener.ts";
export { UnixDatagram } from "./unix_datagram.ts";
export { type ActivatedSocket, listenFds } from "./listen_fds.ts";
export type {
  Datagram,
  DatagramReceiveOptions,
  DatagramSendOptions,
  UnixDatagramOptions,
} from "./unix_datagram.ts";
export type { UnixAcceptOptions, UnixListenOptions } from "./unix_listener.ts";
export { type FdLike, ReceivedFd } from "./received_fd.ts";
export { ErrorCode, RemoteError } from "../protocol/mod.ts";
export type { ConnectionState } from "../protocol/mod.ts";
