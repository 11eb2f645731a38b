// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Constants and struct layouts of Unix sockets and descriptor passing (Linux,
 * LP64: x86_64 and aarch64 share them): `sockaddr_un`, `msghdr`, `iovec`,
 * `cmsghdr` with `SCM_RIGHTS`, memfd and file-seal flags. Checked against the
 * C library by tests/fixtures/socket_layout.c.
 *
 * The control-message decoder is a pure function over bytes, so it can be
 * fuzzed without a socket.
 *
 * @module
 */

// socket(2), socket(7), unix(7)
export const AF_UNIX = 1;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_SEQPACKET = 5;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const SO_TYPE = 3;
export const SO_ERROR = 4;
export const SO_ACCEPTCONN = 30;
export const SCM_RIGHTS = 1;
/** The most descriptors one message may carry (include/net/scm.h). */
export const SCM_MAX_FD = 253;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
/** The listen(2) backlog the kernel caps to net.core.somaxconn. */
export const SOMAXCONN = 4096;

// send(2), recv(2)
export const MSG_CTRUNC = 0x8;
export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;
export const MSG_NOSIGNAL = 0x4000;
export const MSG_CMSG_CLOEXEC = 0x40000000;

// errno values of sockets
export const EINPROGRESS = 115;
export const EAGAIN = 11;
export const EINTR = 4;

// memfd_create(2), fcntl(2) file seals
export const MFD_CLOEXEC = 0x1;
export const MFD_ALLOW_SEALING = 0x2;
export const F_GETFD = 1;
export const F_ADD_SEALS = 1033;
export const F_GET_SEALS = 1034;
export const F_SEAL_SEAL = 0x1;
export const F_SEAL_SHRINK = 0x2;
export const F_SEAL_GROW = 0x4;
export const F_SEAL_WRITE = 0x8;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Size of `struct sockaddr_un` { sa_family_t sun_family; char sun_path[108]; }. */
export const SOCKADDR_UN_SIZE = 110;
/** Offset of `sun_path`. */
export const SUN_PATH_OFFSET = 2;

/**
 * Encode a `struct sockaddr_un` for `bind`/`connect`: a filesystem path
 * (NUL-terminated), or an abstract name starting with `"\0"` (no terminator,
 * its length is the name's). Returns the struct and the address length.
 *
 * @throws {RangeError} When the path does not fit in `sun_path`.
 */
export function encodeSockaddrUn(path: string): { addr: Uint8Array; length: number } {
  const bytes = new TextEncoder().encode(path);
  const abstract = bytes[0] === 0;
  const room = SOCKADDR_UN_SIZE - SUN_PATH_OFFSET - (abstract ? 0 : 1);
  if (bytes.length === 0 || bytes.length > room) {
    throw new RangeError(
      `Cannot use socket path ${JSON.stringify(path)}: ${bytes.length} bytes, ` +
        `sun_path holds 1..${room}`,
    );
  }
  const addr = new Uint8Array(new ArrayBuffer(SOCKADDR_UN_SIZE));
  view(addr).setUint16(0, AF_UNIX, true);
  addr.set(bytes, SUN_PATH_OFFSET);
  return { addr, length: SUN_PATH_OFFSET + bytes.length + (abstract ? 0 : 1) };
}

/** Size of `struct msghdr`. */
export const MSGHDR_SIZE = 56;
/** Size of `struct iovec` { void *iov_base; size_t iov_len; }. */
export const IOVEC_SIZE = 16;
/** Offset of `msg_flags` in `struct msghdr`. */
export const MSG_FLAGS_OFFSET = 48;

/**
 * Encode a `struct msghdr` with one iovec, no name, and a control buffer
 * (addresses) at byte `at` of `v` (a view made once: this runs per call).
 */
export function encodeMsghdr(
  v: DataView,
  at: number,
  iov: bigint,
  control: bigint,
  controlLength: number,
): void {
  v.setBigUint64(at, 0n, true); // msg_name
  v.setUint32(at + 8, 0, true); // msg_namelen
  v.setUint32(at + 12, 0, true);
  v.setBigUint64(at + 16, iov, true); // msg_iov
  v.setBigUint64(at + 24, 1n, true); // msg_iovlen
  v.setBigUint64(at + 32, controlLength === 0 ? 0n : control, true); // msg_control
  v.setBigUint64(at + 40, BigInt(controlLength), true); // msg_controllen
  v.setInt32(at + MSG_FLAGS_OFFSET, 0, true); // msg_flags
  v.setInt32(at + 52, 0, true);
}

/** Encode a `struct iovec` at byte `at` of `v`. */
export function encodeIovec(v: DataView, at: number, base: bigint, length: number): void {
  v.setBigUint64(at, base, true);
  v.setBigUint64(at + 8, BigInt(length), true);
}

/** The `msg_controllen` the kernel wrote back into a `struct msghdr`. */
export function decodeControlLength(msghdr: Uint8Array): number {
  return Number(view(msghdr).getBigUint64(40, true));
}

/** Size of `struct cmsghdr` { size_t cmsg_len; int cmsg_level; int cmsg_type; }. */
export const CMSGHDR_SIZE = 16;

/** `CMSG_ALIGN`: control messages are aligned to `size_t`. */
export function cmsgAlign(n: number): number {
  return (n + 7) & ~7;
}

/** `CMSG_LEN(n)`: the `cmsg_len` of a message with `n` data bytes. */
export function cmsgLen(n: number): number {
  return CMSGHDR_SIZE + n;
}

/** `CMSG_SPACE(n)`: the room a message with `n` data bytes takes. */
export function cmsgSpace(n: number): number {
  return CMSGHDR_SIZE + cmsgAlign(n);
}

/**
 * The control buffer a receive of at most `maxFds` descriptors passes: their
 * `SCM_RIGHTS` message plus room for one `SCM_CREDENTIALS` message (a 12-byte
 * `struct ucred`). The kernel adds the credentials to EVERY message once
 * `SO_PASSCRED` is set (an inherited socket may have it: systemd's
 * `PassCredentials=`); without that room every message would come back
 * `MSG_CTRUNC`, and the descriptors of one with `maxFds` would be cut off.
 */
export function controlSpace(maxFds: number): number {
  return cmsgSpace(maxFds * 4) + cmsgSpace(12);
}

/**
 * Encode one `SCM_RIGHTS` control message carrying `fds` into `out`;
 * returns the control length (`CMSG_SPACE`).
 */
export function encodeRights(out: Uint8Array, fds: readonly number[], solSocket: number): number {
  const v = view(out);
  const space = cmsgSpace(fds.length * 4);
  out.fill(0, 0, space);
  v.setBigUint64(0, BigInt(cmsgLen(fds.length * 4)), true);
  v.setInt32(8, solSocket, true);
  v.setInt32(12, SCM_RIGHTS, true);
  for (let i = 0; i < fds.length; i++) v.setInt32(CMSGHDR_SIZE + i * 4, fds[i]!, true);
  return space;
}

/** What {@linkcode decodeRights} found in a control buffer. */
export interface DecodedRights {
  /** Descriptors of every well-formed `SCM_RIGHTS` message, in order. */
  fds: number[];
  /** Why decoding stopped early (a malformed header or length), if it did. */
  malformed?: string;
}

/**
 * Decode the descriptors of the `SCM_RIGHTS` messages in the first `length`
 * bytes of a control buffer (`CMSG_FIRSTHDR`/`CMSG_NXTHDR` semantics).
 * Messages of other levels or types are skipped; a header that is cut off,
 * or a `cmsg_len` shorter than a header or past the end, stops decoding with
 * `malformed` set (the descriptors decoded so far are still returned so the
 * caller can close them). Never throws for any input.
 *
 * @param control The control buffer.
 * @param length How many of its bytes the kernel filled (`msg_controllen`).
 * @param solSocket `SOL_SOCKET` (1 on Linux).
 */
export function decodeRights(control: Uint8Array, length: number, solSocket = 1): DecodedRights {
  const fds: number[] = [];
  const end = Math.max(
    0,
    Math.min(Number.isFinite(length) ? Math.floor(length) : 0, control.length),
  );
  const v = view(control);
  let at = 0;
  while (at + CMSGHDR_SIZE <= end) {
    const len = v.getBigUint64(at, true);
    if (len < BigInt(CMSGHDR_SIZE)) {
      return { fds, malformed: `cmsg_len ${len} at ${at} is shorter than a header` };
    }
    if (len > BigInt(end - at)) {
      return { fds, malformed: `cmsg_len ${len} at ${at} runs past the end (${end})` };
    }
    const n = Number(len);
    if (v.getInt32(at + 8, true) === solSocket && v.getInt32(at + 12, true) === SCM_RIGHTS) {
      const count = Math.floor((n - CMSGHDR_SIZE) / 4);
      for (let i = 0; i < count; i++) fds.push(v.getInt32(at + CMSGHDR_SIZE + i * 4, true));
    }
    at += cmsgAlign(n);
  }
  if (at < end) {
    // Fewer bytes left than a header: a cut-off message (the kernel pads to
    // CMSG_SPACE, so a well-formed buffer ends exactly on a message).
    return { fds, malformed: `${end - at} stray bytes after the last message` };
  }
  return { fds };
}
