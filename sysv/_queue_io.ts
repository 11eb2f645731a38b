// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Private: the system calls on a System V message queue, one attempt each:
 * `msgsnd` and `msgrcv` with IPC_NOWAIT, `msgctl`, and the checks that guard
 * them (a message's size against the queue's `msg_qbytes`; the checks made
 * before any call are sysv/_queue_checks.ts's).
 *
 * @module
 */
import { realLength } from "../_ffi/bytes.ts";
import { backend, libc } from "../_ffi/mod.ts";
import {
  IPC_NOWAIT,
  IPC_SET,
  MTYPE_SIZE,
  OFFSETS,
  readInt,
  readLong,
  writeLong,
} from "../_ffi/_sysv_struct.ts";
import {
  baseStat,
  closedError,
  KIND_NAME,
  label,
  statDs,
  sysvError,
  time,
  unsafeTypeError,
} from "./_common.ts";
import { wide } from "../_ffi/wide.ts";
import type { SysvMessage, SysvQueueStat, SysvReceived, SysvTryReceiveOptions } from "./types.ts";
import { messageBytes, type ReceiveRequest, ReceiveRequests } from "./_queue_checks.ts";

const EAGAIN = 11;
const ENOMSG = 42;
const E2BIG = 7;
const EINTR = 4;
/** A waiting send re-reads msg_qbytes after this many failed tries (a power of 2). */
const STALE_LIMIT_TRIES = 64;
/** The high 32 bits of 2^53: a message type with high bits at least this is not a safe integer. */
const UNSAFE_HIGH = 0x20_0000;

function msgctl(id: number, cmd: number, buf: Uint8Array | null = null): number {
  return libc().msgctl(id, cmd, buf);
}

/** One message queue id and the calls on it. */
export class QueueIo {
  readonly id: number;
  readonly key: number;
  readonly object: string;
  closed = false;
  #send = new Uint8Array(MTYPE_SIZE + 64);
  /** The last send's length, and it as a BigInt (see {@linkcode wide}): reused while lengths repeat. */
  #sendLength = -1;
  #wideSendLength = 0n;
  #sendType: Uint32Array = new Uint32Array(this.#send.buffer, 0, 2);
  #receive: Uint8Array | undefined;
  #receiveType: Uint32Array = new Uint32Array(2);
  /** The queue's msg_qbytes when last read (0: not yet). */
  #limit = 0;
  /** Failed sends since the handle opened: every STALE_LIMIT_TRIES-th reads the limit again. */
  #failedTries = 0;
  readonly #requests: ReceiveRequests = new ReceiveRequests();
  /** The view of the last message's bytes in the receive buffer (reused while lengths repeat). */
  #taken: Uint8Array = new Uint8Array(0);

  constructor(id: number, key: number) {
    this.id = id;
    this.key = key;
    this.object = label(key, id);
  }

  /** Throw BadResource when closed. */
  check(action: string): void {
    if (this.closed) throw closedError("msg", action, this.object);
  }

  /** Check a send and build its `struct msgbuf` (type, then the bytes). */
  message(type: unknown, data: unknown): number {
    this.check("send to");
    const bytes = messageBytes(type, data);
    const length = realLength(bytes); // never a length the caller's object claims (_ffi/bytes.ts)
    if (this.#send.length < MTYPE_SIZE + length) {
      this.#send = new Uint8Array(MTYPE_SIZE + Math.max(length, this.#send.length * 2));
      this.#sendType = new Uint32Array(this.#send.buffer, 0, 2);
    }
    // mtype as two 32-bit halves (little-endian): no BigInt on the hot path
    this.#sendType[0] = (type as number) >>> 0;
    this.#sendType[1] = Math.floor((type as number) / 0x1_0000_0000);
    this.#send.set(bytes, MTYPE_SIZE);
    return length;
  }

  /**
   * One `msgsnd` of the message built by {@linkcode QueueIo.prototype.message};
   * false when the queue is full. A message that can never fit (larger than
   * the queue's `msg_qbytes`) is a RangeError instead of an endless wait.
   * `flags` 0 blocks (until a signal ends the call: see `_ffi/interrupt.ts`).
   */
  trySend(length: number, flags: number = IPC_NOWAIT): boolean {
    this.check("send to");
    if (length !== this.#sendLength) this.#wideSendLength = wide(this.#sendLength = length);
    const r = libc().msgsnd(this.id, this.#send, this.#wideSendLength, flags);
    if (r === 0) return true;
    const errno = backend().errno();
    if (errno !== EAGAIN && errno !== EINTR) throw sysvError(errno, "msgsnd", this.object);
    // fits once there is room: no stat needed, but every STALE_LIMIT_TRIES-th
    // failed try reads it again (a peer may lower msg_qbytes while this waits)
    const fits = length <= this.#limit && this.#limit > 0; // 0: not read yet, or admits nothing
    if (fits && (++this.#failedTries & (STALE_LIMIT_TRIES - 1)) !== 0) return false;
    const limit = this.#limit = this.#readLimit();
    // msg_qbytes also bounds the message count: 0 admits none, not even an empty one
    if (length > limit || limit === 0) {
      throw new RangeError(
        `Cannot send: message of ${length} bytes does not fit the queue's limit ` +
          `msg_qbytes ${limit} (${KIND_NAME.msg} ${this.object}): it could never be sent`,
      );
    }
    return false;
  }

  /**
   * Check receive options (before any syscall). With `buffer` (the
   * `…Into` calls) the buffer's length is the largest size accepted.
   */
  request(o: SysvTryReceiveOptions | undefined, buffer?: Uint8Array): ReceiveRequest {
    return this.#requests.request(o, buffer);
  }

  /**
   * One `msgrcv`; undefined when no message matches (or, for a blocking
   * request, when a signal ended the wait: EINTR, nothing taken).
   */
  tryReceive(req: ReceiveRequest): SysvMessage | undefined {
    const n = this.#take(req);
    if (n < 0) return undefined;
    return { type: this.#takenType(n), data: this.#receive!.slice(MTYPE_SIZE, MTYPE_SIZE + n) };
  }

  /**
   * {@linkcode QueueIo.prototype.tryReceive} into the caller's `buffer`
   * (at least `req.maxSize` bytes): no allocation per message.
   */
  tryReceiveInto(req: ReceiveRequest, buffer: Uint8Array): SysvReceived | undefined {
    const n = this.#take(req);
    if (n < 0) return undefined;
    const type = this.#takenType(n);
    buffer.set(this.#bytes(n));
    return { type, length: n };
  }

  /** The `n` bytes of the message just taken, as a view kept while lengths repeat (no allocation). */
  #bytes(n: number): Uint8Array {
    const taken = this.#taken;
    if (taken.length === n && taken.buffer === this.#receive!.buffer) return taken;
    return this.#taken = this.#receive!.subarray(MTYPE_SIZE, MTYPE_SIZE + n);
  }

  /**
   * The type (≥ 1) of the message just taken, of `n` bytes; one beyond
   * Number.MAX_SAFE_INTEGER (any C long can be sent) throws, carrying it.
   */
  #takenType(n: number): number {
    const high = this.#receiveType[1]!;
    if (high >= UNSAFE_HIGH) {
      const type = (BigInt(high) << 32n) | BigInt(this.#receiveType[0]!);
      throw unsafeTypeError(this.object, type, this.#receive!.slice(MTYPE_SIZE, MTYPE_SIZE + n));
    }
    return this.#receiveType[0]! + high * 0x1_0000_0000;
  }

  /** One `msgrcv` into the receive buffer: the message's length, or -1 when none was taken. */
  #take(req: ReceiveRequest): number {
    this.check("receive from");
    const size = MTYPE_SIZE + req.maxSize;
    if (this.#receive === undefined || this.#receive.length < size) {
      this.#receive = new Uint8Array(Math.max(size, MTYPE_SIZE + 64));
      this.#receiveType = new Uint32Array(this.#receive.buffer, 0, 2);
    }
    const n = libc().msgrcv(this.id, this.#receive, req.wideSize, req.wideType, req.flags);
    if (n >= 0) return n;
    const errno = backend().errno();
    if (errno === ENOMSG || errno === EAGAIN || errno === EINTR) return -1;
    if (errno === E2BIG) {
      throw sysvError(
        errno,
        "msgrcv",
        this.object,
        req.into
          ? `the message is longer than the buffer (${req.maxSize} bytes) and stays on the ` +
            "queue (pass a larger buffer, or noError: true to truncate it)"
          : `the message is longer than maxSize ${req.maxSize} and stays on the queue ` +
            "(pass a larger maxSize, or noError: true to truncate it)",
      );
    }
    throw sysvError(errno, "msgrcv", this.object);
  }

  /** msg_qbytes, or no limit where this user may send but not read (EACCES, mode 0622), as in C. */
  #readLimit(): number {
    try {
      return this.stat().maxBytes;
    } catch (err) {
      if ((err as { code?: string }).code === "EACCES") return Number.MAX_SAFE_INTEGER;
      throw err;
    }
  }

  /** IPC_STAT, decoded. */
  stat(): SysvQueueStat {
    const ds = statDs(this.id, msgctl, "msgctl", this.object);
    return {
      ...baseStat(ds, this.id, OFFSETS.msg_ctime),
      messages: readLong(ds, OFFSETS.msg_qnum),
      bytes: readLong(ds, OFFSETS.msg_cbytes),
      maxBytes: readLong(ds, OFFSETS.msg_qbytes),
      lastSendPid: readInt(ds, OFFSETS.msg_lspid),
      lastReceivePid: readInt(ds, OFFSETS.msg_lrpid),
      lastSend: time(readLong(ds, OFFSETS.msg_stime)),
      lastReceive: time(readLong(ds, OFFSETS.msg_rtime)),
    };
  }

  /** Set `msg_qbytes` (IPC_SET keeps the owner and mode it reads first). */
  setMaxBytes(bytes: number): void {
    const ds = statDs(this.id, msgctl, "msgctl", this.object);
    writeLong(ds, OFFSETS.msg_qbytes, bytes);
    if (msgctl(this.id, IPC_SET, ds) !== 0) {
      throw sysvError(
        backend().errno(),
        "msgctl",
        this.object,
        `could not set msg_qbytes to ${bytes} (above /proc/sys/kernel/msgmnb needs CAP_SYS_RESOURCE)`,
      );
    }
  }
}

/** msgctl bound as the shared helpers take it. */
export { msgctl };
