// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Native Unix sockets through the C library: the socket symbols (loaded
 * lazily, on first use), and `sendmsg`/`recvmsg` with `SCM_RIGHTS` over one
 * process-wide native scratch region. Every call here is synchronous on the
 * calling thread (errno is exact) and non-blocking: "would block" comes back
 * as {@linkcode WOULD_BLOCK}, for the caller to wait for readiness on the
 * shared poll loop (poller.ts) and retry.
 *
 * `msghdr` holds addresses, so the message header, its iovec, the control
 * buffer and a bounce buffer for data live in memory that never moves: one
 * private anonymous mapping, made once. The calls are synchronous and the
 * JavaScript thread makes one at a time, so one region serves every socket.
 *
 * @module
 */
import { realBuffer, realLength } from "./bytes.ts";
import type { FunctionsOf, Pointer, SymbolTable } from "./_backend.ts";
import { backend, check, libc, loadLibrary } from "./libc.ts";
import { errnoError } from "./errno.ts";
import {
  MAP_ANONYMOUS,
  MAP_FAILED,
  MAP_PRIVATE,
  PROT_READ,
  PROT_WRITE,
  SO_PEERCRED,
  SOL_SOCKET,
} from "./constants.ts";
import { decodeUcred, UCRED_SIZE } from "./struct.ts";
import {
  controlSpace,
  type DecodedRights,
  decodeRights,
  EAGAIN,
  EINTR,
  encodeIovec,
  encodeMsghdr,
  encodeRights,
  MSG_CMSG_CLOEXEC,
  MSG_DONTWAIT,
  MSG_FLAGS_OFFSET,
  MSG_NOSIGNAL,
  SCM_MAX_FD,
} from "./_socket_struct.ts";

const SOCKET_TABLE = {
  /** int socket(int domain, int type, int protocol); */
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  /** int socketpair(int domain, int type, int protocol, int sv[2]); */
  socketpair: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  /** int bind(int fd, const struct sockaddr *addr, socklen_t len); */
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  /** int listen(int fd, int backlog); */
  listen: { parameters: ["i32", "i32"], result: "i32" },
  /** int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags); */
  accept4: { parameters: ["i32", "buffer", "buffer", "i32"], result: "i32" },
  /** int connect(int fd, const struct sockaddr *addr, socklen_t len); */
  connect: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  /** ssize_t sendmsg(int fd, const struct msghdr *msg, int flags); — read as i32 (≤ 64 KiB) */
  sendmsg: { parameters: ["i32", "pointer", "i32"], result: "i32" },
  /** ssize_t recvmsg(int fd, struct msghdr *msg, int flags); — read as i32 (≤ 64 KiB) */
  recvmsg: { parameters: ["i32", "pointer", "i32"], result: "i32" },
  /** ssize_t send(int fd, const void *buf, size_t len, int flags); — read as i32 (len < 2 GiB) */
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "i32" },
  /** int setsockopt(int fd, int level, int name, const void *val, socklen_t len); */
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  /** int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout, const sigset_t *mask); — sync, short timeouts */
  ppoll: { parameters: ["buffer", "u64", "buffer", "pointer"], result: "i32" },
  /** int shutdown(int fd, int how); */
  shutdown: { parameters: ["i32", "i32"], result: "i32" },
  /** int getsockname(int fd, struct sockaddr *addr, socklen_t *len); */
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  /** int memfd_create(const char *name, unsigned int flags); */
  memfd_create: { parameters: ["buffer", "u32"], result: "i32" },
  /** int fcntl(int fd, int cmd, int arg); — F_GETFD, F_ADD_SEALS, F_GET_SEALS, F_DUPFD_CLOEXEC */
  fcntl: { parameters: ["i32", "i32", "i32"], result: "i32" },
  /** int pipe2(int fds[2], int flags); */
  pipe2: { parameters: ["buffer", "i32"], result: "i32" },
} as const satisfies SymbolTable;

/** The bound socket functions. */
export type SocketLib = FunctionsOf<typeof SOCKET_TABLE>;

let cached: SocketLib | undefined;

/** The socket functions of the C library, loaded on first call. */
export function socketLib(): SocketLib {
  return cached ??= loadLibrary("libc.so.6", SOCKET_TABLE);
}

/** Returned by the calls below instead of throwing EAGAIN. */
export const WOULD_BLOCK = -1;

/** The largest data chunk one `sendmsg`/`recvmsg` here moves. */
export const CHUNK = 64 * 1024;

const IOV_AT = 64;
/** `msg_control` in `struct msghdr`. */
const MSG_CONTROL_OFFSET = 32;
/** `msg_controllen` in `struct msghdr` (a size_t: the kernel's value fits its low half). */
const MSG_CONTROLLEN_OFFSET = 40;
const CONTROL_AT = 128;
const CONTROL_MAX = controlSpace(SCM_MAX_FD);
const DATA_AT = 4096;
const REGION = DATA_AT + CHUNK;

interface Scratch {
  pointer: Pointer;
  /** The control part's address (a `bigint`, made once: `msg_control` is rewritten per call). */
  controlAddress: bigint;
  control: Uint8Array;
  data: Uint8Array;
  /** Over the header part of the region (the msghdr and iovec fields each call rewrites). */
  words: DataView;
}

let region: Scratch | undefined;

/**
 * A private anonymous mapping of `size` bytes that lives as long as the
 * process: the scratch area of synchronous socket calls (their message
 * headers point into it, so they need a fixed address). `what` names it in
 * the error.
 */
export function scratchRegion(
  size: number,
  what: string,
): { pointer: Pointer; address: bigint; bytes: Uint8Array } {
  const b = backend();
  const pointer = libc().mmap(
    null,
    BigInt(size),
    PROT_READ | PROT_WRITE,
    MAP_PRIVATE | MAP_ANONYMOUS,
    -1,
    0n,
  );
  const address = b.address(pointer);
  if (address === MAP_FAILED) throw errnoError(b.errno(), "mmap", what);
  return { pointer, address, bytes: new Uint8Array(b.view(pointer, size)) };
}

function scratch(): Scratch {
  if (region) return region;
  const { pointer, address, bytes } = scratchRegion(REGION, "socket scratch");
  const words = new DataView(bytes.buffer, bytes.byteOffset, DATA_AT);
  const controlAddress = address + BigInt(CONTROL_AT);
  // The addresses never change: written once here, only the lengths per call.
  encodeIovec(words, IOV_AT, address + BigInt(DATA_AT), 0);
  encodeMsghdr(words, 0, address + BigInt(IOV_AT), controlAddress, 0);
  return region = {
    pointer,
    controlAddress,
    control: bytes.subarray(CONTROL_AT, CONTROL_AT + CONTROL_MAX),
    data: bytes.subarray(DATA_AT),
    words,
  };
}

/**
 * Set the message header's data length (`length` bytes) and control length
 * (`controlLength` bytes, 0: none); the addresses were written with the
 * region. Nothing is allocated: this runs on every spin iteration. The
 * lengths are size_t fields whose high halves stay 0 (both are < 4 GiB).
 */
function prepare(s: Scratch, length: number, controlLength: number): void {
  const w = s.words;
  w.setUint32(IOV_AT + 8, length, true); // iov_len
  w.setBigUint64(MSG_CONTROL_OFFSET, controlLength === 0 ? 0n : s.controlAddress, true);
  w.setUint32(MSG_CONTROLLEN_OFFSET, controlLength, true);
  w.setInt32(MSG_FLAGS_OFFSET, 0, true);
}

/** Throw the errno error of a failed call unless it is EAGAIN (then {@linkcode WOULD_BLOCK}). */
function settle(result: number, call: string, object?: string | number): number {
  if (result >= 0) return result;
  const errno = backend().errno();
  if (errno === EAGAIN || errno === EINTR) return WOULD_BLOCK;
  throw errnoError(errno, call, object);
}

/**
 * Send up to {@linkcode CHUNK} bytes of `data` with `fds` attached to the
 * first byte (one `SCM_RIGHTS` message). Returns the bytes sent or
 * {@linkcode WOULD_BLOCK}.
 */
export function sendRights(fd: number, data: Uint8Array, fds: readonly number[]): number {
  const s = scratch();
  const real = realLength(data); // never a length the caller's object claims (_ffi/bytes.ts)
  const length = Math.min(real, CHUNK);
  s.data.set(length === real ? data : data.subarray(0, length));
  const controlLength = fds.length === 0 ? 0 : encodeRights(s.control, fds, SOL_SOCKET);
  prepare(s, length, controlLength);
  const n = socketLib().sendmsg(fd, s.pointer, MSG_NOSIGNAL | MSG_DONTWAIT);
  return settle(n, "sendmsg", fd);
}

/**
 * Send plain bytes (no descriptors): the first `length` of `data` (all of
 * it by default; never more than it really has). Returns the bytes sent or
 * {@linkcode WOULD_BLOCK}.
 */
export function sendBytes(fd: number, data: Uint8Array, length?: number): number {
  realBuffer(data); // an on-heap typed array moves to a fixed backing store
  const real = realLength(data);
  // A bigint length, not a number: Deno's fast FFI call takes a usize as a
  // bigint, and a number costs ~0.15 µs more per call (measured).
  const size = BigInt(length === undefined || length > real ? real : length);
  const n = socketLib().send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  return settle(n, "send", fd);
}

/** What one {@linkcode receiveRights} call got. */
export interface Received extends DecodedRights {
  /** The bytes received (a copy); empty at end-of-stream. */
  data: Uint8Array;
  /** `msg_flags` (MSG_CTRUNC, MSG_TRUNC, …). */
  flags: number;
}

/**
 * Receive up to `maxBytes` (≤ {@linkcode CHUNK}) bytes and at most `maxFds`
 * descriptors (close-on-exec). Returns {@linkcode WOULD_BLOCK} when nothing
 * is there yet.
 */
export function receiveRights(
  fd: number,
  maxBytes: number,
  maxFds: number,
): Received | typeof WOULD_BLOCK {
  const s = scratch();
  const length = Math.min(maxBytes, CHUNK);
  prepare(s, length, controlSpace(maxFds));
  const n = settle(
    socketLib().recvmsg(fd, s.pointer, MSG_CMSG_CLOEXEC | MSG_DONTWAIT),
    "recvmsg",
    fd,
  );
  if (n === WOULD_BLOCK) return WOULD_BLOCK;
  const flags = s.words.getInt32(MSG_FLAGS_OFFSET, true);
  const controlLength = s.words.getUint32(MSG_CONTROLLEN_OFFSET, true);
  if (controlLength === 0) return { fds: [], data: s.data.slice(0, n), flags };
  const decoded = decodeRights(s.control, controlLength, SOL_SOCKET);
  return { ...decoded, data: s.data.slice(0, n), flags };
}

/** What the last {@linkcode receiveInto} got besides the bytes (reused: read it at once). */
export const lastReceive: { flags: number; fds: number[]; malformed: string | undefined } = {
  flags: 0,
  fds: [],
  malformed: undefined,
};

const NO_FDS: number[] = [];

/**
 * The lean receive of a spinning reader: up to `target.length` bytes (≤
 * {@linkcode CHUNK}) copied into `target` (nothing allocated when no
 * descriptor came), with at most `maxFds` descriptors (close-on-exec).
 * Returns the byte count (0: end of stream, unless descriptors came) or
 * {@linkcode WOULD_BLOCK}; `msg_flags`, the descriptors and malformed
 * control data are in {@linkcode lastReceive} until the next call.
 */
export function receiveInto(fd: number, target: Uint8Array, maxFds: number): number {
  const s = scratch();
  const w = s.words;
  prepare(s, Math.min(target.length, CHUNK), controlSpace(maxFds));
  const n = socketLib().recvmsg(fd, s.pointer, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
  if (n < 0) return settle(n, "recvmsg", fd);
  lastReceive.flags = w.getInt32(MSG_FLAGS_OFFSET, true);
  const got = w.getUint32(MSG_CONTROLLEN_OFFSET, true);
  if (got === 0) {
    lastReceive.fds = NO_FDS;
    lastReceive.malformed = undefined;
  } else {
    const decoded = decodeRights(s.control, got, SOL_SOCKET);
    lastReceive.fds = decoded.fds;
    lastReceive.malformed = decoded.malformed;
  }
  if (n > 0) target.set(n === s.data.length ? s.data : head(s, n));
  return n;
}

/** Views of the scratch data's first `n` bytes, n < HEADS, made once each. */
const HEADS = 1024;
const heads: Uint8Array[] = new Array(HEADS);

/** The scratch data's first `n` bytes (a view made per receive costs ~25 ns). */
function head(s: Scratch, n: number): Uint8Array {
  return n < HEADS ? heads[n] ??= s.data.subarray(0, n) : s.data.subarray(0, n);
}

/** Close a descriptor, ignoring errors (cleanup paths). */
export function closeFd(fd: number): void {
  if (fd >= 0) libc().close(fd);
}

/** The credentials of the process at the other end of Unix socket `fd` (`SO_PEERCRED`). */
export function peerCredentials(fd: number): { pid: number; uid: number; gid: number } {
  const out = new Uint8Array(new ArrayBuffer(UCRED_SIZE));
  const len = new Uint32Array([UCRED_SIZE]);
  check(
    libc().getsockopt(fd, SOL_SOCKET, SO_PEERCRED, out, new Uint8Array(len.buffer)),
    "getsockopt",
    "SO_PEERCRED",
  );
  return decodeUcred(out);
}
