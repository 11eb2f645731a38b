// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Whole messages on Unix `SOCK_SEQPACKET` and `SOCK_DGRAM` sockets:
 * `sendmsg` with an optional destination address and `SCM_RIGHTS`, and
 * `recvmsg` that returns the sender's address and the message's REAL length
 * (`MSG_TRUNC` in the flags: Linux ≥ 3.4 reports the full length of a
 * seqpacket or datagram message even when the buffer was shorter), so a
 * message that did not fit is never mistaken for a whole one.
 *
 * Like socket.ts, every call is synchronous and non-blocking (errno is
 * exact); "would block" is {@linkcode WOULD_BLOCK}. The message header, its
 * iovec, the address, the control buffer and a data area live in one private
 * anonymous mapping made on first use; a message larger than the data area is
 * read into (or sent from) an off-heap buffer of its own.
 *
 * @module
 */
import { realBuffer, realLength } from "./bytes.ts";
import type { Pointer } from "./_backend.ts";
import { backend, check } from "./libc.ts";
import { errnoError } from "./errno.ts";
import { SOL_SOCKET } from "./constants.ts";
import {
  controlSpace,
  decodeControlLength,
  type DecodedRights,
  decodeRights,
  EAGAIN,
  EINTR,
  encodeRights,
  MSG_CMSG_CLOEXEC,
  MSG_DONTWAIT,
  MSG_FLAGS_OFFSET,
  MSG_NOSIGNAL,
  MSG_TRUNC,
  MSGHDR_SIZE,
  SCM_MAX_FD,
  SOCKADDR_UN_SIZE,
  SUN_PATH_OFFSET,
} from "./_socket_struct.ts";
import { scratchRegion, socketLib, WOULD_BLOCK } from "./socket.ts";

export { WOULD_BLOCK };

/** Bytes of the data area in the scratch mapping (larger messages use their own buffer). */
export const MESSAGE_AREA = 256 * 1024;

const IOV_AT = 64;
const NAME_AT = 128;
const CONTROL_AT = 256;
const CONTROL_MAX = controlSpace(SCM_MAX_FD);
const DATA_AT = 4096;
const MSG_PEEK = 0x2;

interface Region {
  address: bigint;
  pointer: Pointer;
  view: DataView;
  name: Uint8Array;
  control: Uint8Array;
  msghdr: Uint8Array;
  data: Uint8Array;
}

let region: Region | undefined;

function scratch(): Region {
  if (region) return region;
  const { pointer, address, bytes } = scratchRegion(DATA_AT + MESSAGE_AREA, "message scratch");
  const buffer = bytes.buffer;
  return region = {
    address,
    pointer,
    view: new DataView(buffer),
    name: bytes.subarray(NAME_AT, NAME_AT + SOCKADDR_UN_SIZE),
    control: bytes.subarray(CONTROL_AT, CONTROL_AT + CONTROL_MAX),
    msghdr: bytes.subarray(0, MSGHDR_SIZE),
    data: bytes.subarray(DATA_AT),
  };
}

/** Fill the msghdr: name (length 0: none), one iovec at `data`, control. */
function prepare(
  r: Region,
  nameLength: number,
  data: bigint,
  length: number,
  control: number,
): void {
  const v = r.view;
  v.setBigUint64(0, nameLength === 0 ? 0n : r.address + BigInt(NAME_AT), true);
  v.setUint32(8, nameLength, true);
  v.setUint32(12, 0, true);
  v.setBigUint64(16, r.address + BigInt(IOV_AT), true);
  v.setBigUint64(24, 1n, true);
  v.setBigUint64(32, control === 0 ? 0n : r.address + BigInt(CONTROL_AT), true);
  v.setBigUint64(40, BigInt(control), true);
  v.setInt32(MSG_FLAGS_OFFSET, 0, true);
  v.setInt32(52, 0, true);
  v.setBigUint64(IOV_AT, data, true);
  v.setBigUint64(IOV_AT + 8, BigInt(length), true);
}

function fail(result: number, call: string, object?: string | number): number {
  if (result >= 0) return result;
  const errno = backend().errno();
  if (errno === EAGAIN || errno === EINTR) return WOULD_BLOCK;
  throw errnoError(errno, call, object);
}

/** An off-heap copy's address (Deno/Node/Bun keep off-heap stores in place). */
function addressOf(bytes: Uint8Array): bigint {
  realBuffer(bytes); // an on-heap typed array moves to a fixed backing store
  return backend().address(backend().pointerOf(bytes));
}

/**
 * Send `data` as ONE message (all or nothing), `fds` attached, to `to` (an
 * encoded `sockaddr_un`) or to the connected peer. Returns the length sent
 * or {@linkcode WOULD_BLOCK}.
 *
 * @throws {Deno.errors.*} EMSGSIZE when the message exceeds the socket's send buffer, etc.
 */
export function sendMessage(
  fd: number,
  data: Uint8Array,
  fds: readonly number[],
  to?: { addr: Uint8Array; length: number },
  object?: string,
): number {
  const r = scratch();
  const length = realLength(data); // never a length the caller's object claims (_ffi/bytes.ts)
  let at: bigint;
  if (length <= MESSAGE_AREA) {
    r.data.set(data);
    at = r.address + BigInt(DATA_AT);
  } else {
    at = addressOf(data);
  }
  if (to) r.name.set(to.addr.subarray(0, to.length));
  const control = fds.length === 0 ? 0 : encodeRights(r.control, fds, SOL_SOCKET);
  prepare(r, to ? to.length : 0, at, length, control);
  const n = socketLib().sendmsg(fd, r.pointer, MSG_NOSIGNAL | MSG_DONTWAIT);
  return fail(n, "sendmsg", object ?? fd);
}

/** One message as {@linkcode receiveMessage} got it. */
export interface ReceivedMessage extends DecodedRights {
  /** The bytes that fit (a copy; at most the buffer's size). */
  data: Uint8Array;
  /** The message's real length: larger than `data.length` when it did not fit. */
  length: number;
  /** `msg_flags` (MSG_TRUNC, MSG_CTRUNC). */
  flags: number;
  /** The sender's address: a path, an abstract name (`"\0…"`), or `""` (unbound). */
  from: string;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decode the `sun_path` of a `sockaddr_un` of `length` bytes; `""` for none,
 * and for a name that is not UTF-8: no string names it (a decoding with
 * U+FFFD in place of its bad bytes would name another socket, and a reply
 * sent there would go to whoever is bound at that name).
 */
export function decodeSunPath(addr: Uint8Array, length: number): string {
  if (length <= SUN_PATH_OFFSET) return "";
  let name = addr.subarray(SUN_PATH_OFFSET, Math.min(length, addr.length));
  if (name[0] !== 0) {
    const nul = name.indexOf(0);
    if (nul >= 0) name = name.subarray(0, nul);
  }
  try {
    return UTF8.decode(name);
  } catch {
    return "";
  }
}

/**
 * Receive ONE message: up to `maxBytes` bytes, `maxFds` descriptors
 * (close-on-exec), and the sender's address. The message is consumed even
 * when it did not fit (`length > maxBytes`, `MSG_TRUNC` in `flags`): the
 * caller reports that as an error. {@linkcode WOULD_BLOCK} when none waits.
 */
export function receiveMessage(
  fd: number,
  maxBytes: number,
  maxFds: number,
): ReceivedMessage | typeof WOULD_BLOCK {
  const r = scratch();
  let own: Uint8Array | undefined;
  let at = r.address + BigInt(DATA_AT);
  let room = maxBytes;
  if (maxBytes > MESSAGE_AREA) {
    // Learn the next message's length first (MSG_PEEK, no data, no control:
    // a peek with a control buffer would install duplicate descriptors).
    prepare(r, 0, at, 0, 0);
    const peeked = fail(
      socketLib().recvmsg(fd, r.pointer, MSG_DONTWAIT | MSG_TRUNC | MSG_PEEK),
      "recvmsg",
      fd,
    );
    if (peeked === WOULD_BLOCK) return WOULD_BLOCK;
    if (peeked > MESSAGE_AREA) {
      own = new Uint8Array(new ArrayBuffer(Math.min(peeked, maxBytes)));
      at = addressOf(own);
      room = own.length;
    } else {
      room = MESSAGE_AREA;
    }
  }
  r.name.fill(0, 0, 4);
  prepare(r, SOCKADDR_UN_SIZE, at, room, controlSpace(maxFds));
  // The message read may not be the one peeked at (another process reading
  // the same socket took that one first; a peek offset): the rest of up to
  // maxBytes goes into a second iovec, so it is never cut short.
  if (room < maxBytes) spillInto(r, maxBytes - room);
  const n = fail(
    socketLib().recvmsg(fd, r.pointer, MSG_CMSG_CLOEXEC | MSG_DONTWAIT | MSG_TRUNC),
    "recvmsg",
    fd,
  );
  if (n === WOULD_BLOCK) return WOULD_BLOCK;
  const flags = r.view.getInt32(MSG_FLAGS_OFFSET, true);
  const nameLength = r.view.getUint32(8, true);
  const decoded = decodeRights(r.control, decodeControlLength(r.msghdr), SOL_SOCKET);
  const from = decodeSunPath(r.name, nameLength);
  const first = own ?? r.data.subarray(0, room);
  if (n <= room || room === maxBytes) {
    const kept = Math.min(n, room);
    const data = own ? own.subarray(0, kept) : first.slice(0, kept);
    return { ...decoded, data, length: n, flags, from };
  }
  const data = new Uint8Array(Math.min(n, maxBytes));
  data.set(first);
  data.set(spill!.bytes.subarray(0, data.length - room), room);
  return { ...decoded, data, length: n, flags, from };
}

/**
 * A second receive area: `MAX_SPILL` bytes of address space mapped on
 * first use; only the pages a message lands in are ever backed.
 */
let spill: { address: bigint; bytes: Uint8Array } | undefined;
const MAX_SPILL = 16 * 1024 * 1024;

/** Add a second iovec of `length` bytes (≤ 16 MiB) over the spill area to the prepared header. */
function spillInto(r: Region, length: number): void {
  spill ??= scratchRegion(MAX_SPILL, "message spill");
  r.view.setBigUint64(24, 2n, true); // msg_iovlen
  r.view.setBigUint64(IOV_AT + 16, spill.address, true);
  r.view.setBigUint64(IOV_AT + 24, BigInt(Math.min(length, MAX_SPILL)), true);
}

/** Set an integer socket option at SOL_SOCKET (e.g. SO_SNDBUF). */
export function setSocketOption(fd: number, option: number, value: number): void {
  const bytes = new Uint8Array(new Int32Array([value]).buffer);
  check(socketLib().setsockopt(fd, SOL_SOCKET, option, bytes, 4), "setsockopt", option);
}
