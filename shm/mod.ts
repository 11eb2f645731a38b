// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * POSIX shared memory, named semaphores and a cross-process message channel.
 *
 * - {@linkcode SharedMemory}: a named block of memory mapped by several
 *   processes (Deno, C, Python's `multiprocessing.shared_memory`), with its
 *   memory reserved at creation, exact sizes, read-only attach, and views
 *   that cannot crash the process after close.
 * - {@linkcode Semaphore}: POSIX named semaphores; waiting never blocks the
 *   event loop.
 * - {@linkcode Channel}: a fast ring of messages between processes.
 * - {@linkcode list} / {@linkcode sweep}: find and remove objects whose owner
 *   process died.
 *
 * Requires `--allow-ffi` permission. NOTE: This API is only available on Linux.
 *
 * POSIX shared memory (`shm_open` + `mmap`), POSIX named semaphores (`sem_open`) and `Channel`, a fast
 * message ring between processes built on them. The objects are ordinary POSIX objects in `/dev/shm`:
 * C programs, Python's `multiprocessing.shared_memory` and `posix_ipc` open the same names.
 *
 * Run the stories in `examples/`: `shm_shared_memory.ts`, `shm_python.ts`, `shm_channel.ts`,
 * `shm_semaphore.ts`, `shm_sweep.ts` (`deno run --allow-ffi --allow-run examples/shm_channel.ts`).
 *
 * ## Guarantees
 *
 * - **Names** are given with or without the leading `/`: `SharedMemory.open("psm_abc")` opens what
 *   Python's `SharedMemory(name="psm_abc")` made. A name with another `/`, a NUL, or too long is a
 *   `TypeError`/`RangeError` before any syscall (semaphore names: 251 bytes, as glibc adds `sem.`).
 * - **No SIGBUS on a full /dev/shm.** `create` and `resize` reserve the memory with `posix_fallocate`;
 *   when /dev/shm cannot hold it the call throws an error with `code: "ENOSPC"` and leaves no name
 *   behind.
 * - **Exact sizes.** An attacher sees the size the creator asked for (`fstat`), never a page-rounded
 *   one.
 * - **No crash after close.** `close()` detaches the one ArrayBuffer that views the mapping before
 *   `munmap`, so every `Uint8Array` handed out becomes empty: stale reads give `undefined`, never a
 *   segfault. Methods on a closed object throw `BadResource`.
 * - **Read-only attach is enforced.** `open(name, { readOnly: true })` maps `PROT_READ`; `write()`
 *   throws `PermissionDenied` before touching memory, and `bytes` is refused (a raw write to read-only
 *   memory would kill the process): use `read()`/`readInto()`.
 * - **Resize** (`resize(newSize)`) is for the creator and only grows: shrinking would make attached
 *   processes crash on the tail. Attachers see the new size when they reopen.
 * - **Lifetime.** `unlinkOnClose` unlinks the name when the creator closes; an attacher never unlinks.
 *   Python 3.11's `resource_tracker` unlinks segments it _attached_ to at exit: in Python call
 *   `resource_tracker.unregister(shm._name, "shared_memory")` after attaching (`track=False` does this
 *   on 3.13+).
 * - **Nothing found in /dev/shm is trusted.** /dev/shm is world-writable: another user can create any
 *   name first. Opening an _existing_ object (`SharedMemory.open`, `Channel.open`, `Semaphore.open`,
 *   including `Semaphore.open(name, { create: true })` when the name exists) opens it with
 *   `O_NOFOLLOW` and checks that very descriptor with `fstat` before mapping anything:
 *   - it must be a **regular file**: a symbolic link, directory, FIFO, socket or device in its place
 *     is `Deno.errors.InvalidData` naming the object and what it holds;
 *   - it must have the **size its kind needs** and, where the kind has a layout, that layout: a
 *     semaphore file is at least 32 bytes and holds a process-shared glibc `sem_t` (value ≤ 2^31 − 1,
 *     the shared flag set; it is then mapped by the library itself, as `sem_open` would); a channel is
 *     at least its 512-byte header, with the magic, layout version 2, a power-of-two capacity, a
 *     valid record size and a size matching the header. Anything else is `InvalidData` naming the object and what is wrong
 *     with it (e.g. its size 0 is smaller than the 32 bytes a semaphore needs), never a SIGBUS or an
 *     abort. Plain shared memory may have any size; a zero-size object maps nothing, its `bytes` is
 *     empty and `read`/`write` throw `RangeError`;
 *   - it must be **owned by this process's effective uid**, or the open throws
 *     `Deno.errors.PermissionDenied` naming the owner's uid and this process's. Pass
 *     `allowOtherOwner: true` (default `false`) to share an object with another user on purpose.
 *     Message queues apply the same owner rule (`fstat` on the queue descriptor; see `@ipc/linux/mq`).
 *
 *   Tested against a real process for each kind: objects chowned to another uid, empty files, text and
 *   random bytes, a foreign layout version, directories and symbolic links in their place; on Deno,
 *   Node.js and Bun. **Shrinking under a mapping:** a process that may _write_ an object can
 *   `ftruncate` it while others map it; touching the lost pages then kills them with SIGBUS (the
 *   kernel's behaviour for a shrunk shared file). When a process of another uid may write an attached
 *   `SharedMemory` (another owner, or group/other write bits in its mode), its `read`, `readInto` and
 *   `write` copy through the descriptor (`pread`/`pwrite`, one system call each) and throw
 *   `InvalidData` on a shrunk object instead (tested). **What remains:** the raw `bytes` view, a
 *   Channel and a semaphore still die of SIGBUS if a process allowed to write them shrinks them — by
 *   default only this uid (mode 0o600 and the owner check), which could kill the process anyway. A process that may write a semaphore can also
 *   overwrite its `sem_t`; glibc aborts on a garbled one, so `post`, `tryWait` and each 100 ms slice of
 *   `wait` check it first and throw `InvalidData` (a slice already sleeping in glibc is not covered). Keep
 *   those defaults for anything another user may touch; sealed memfds (`F_SEAL_SHRINK`, passed over a
 *   socket) will remove this.
 * - **No native memory growth per object.** `deno task soak` opens and closes each kind 10,000 times
 *   after a 10,000-cycle warm-up, in a process that runs as an application would (no forced garbage
 *   collection between readings), and fails if its private memory (`RssAnon`) grows by 5 MiB or more;
 *   a second window of 10,000 shows whether growth goes on. Last run (first / second window): Channel
 *   (create + open + one message + close both) +2.2 / +0.1 MiB, SharedMemory +2.7 / +0.6 MiB,
 *   Semaphore +2.9 / +0.2 MiB; VmRSS +3.9 / +0.2 MiB for Channel. Before the fix a Channel's V8
 *   objects kept native memory alive: +30.7 MiB in the first window (RSS 77 → 95 MiB over the first
 *   3,000 cycles in the issue).
 * - **Semaphores** (`Semaphore.open(name, { create, exclusive, value, mode })`, `wait({ signal })`,
 *   `tryWait()`, `post()`, `value`, `unlink`) interoperate with C `sem_post`/`sem_wait` both ways.
 *   `wait` runs `sem_timedwait` on a worker thread in slices of at most 100 ms, at most one per
 *   Semaphore object and four per process (one on Node.js, whose libuv pool is small); further waiters
 *   poll with a backoff up to 20 ms. An aborted wait consumes nothing.
 *
 * ## Channel
 *
 * A ring buffer of length-prefixed messages in one shared-memory object. `send`/`trySend`,
 * `receive`/`tryReceive`, `receiveInto`/`tryReceiveInto`,
 * `receiveView`/`tryReceiveView`/`releaseView`, `trySendBatch`/`tryReceiveBatch`, async iteration,
 * `end()`. Messages may be up to half the capacity minus 4 bytes (`maxMessageSize`), or all of one
 * size (`recordSize`, below).
 *
 * - **Roles.** One producer and one consumer at a time; the first handle to send (or receive) takes
 *   the role, a second live one gets `Busy`, and the role of a dead process is taken over. Create with
 *   `multiProducer: true` to let several processes send (each message then takes a lock: a
 *   compare-and-swap).
 * - **Waiting** spins for `spin` µs (default 50 µs; after the first 5 µs it yields the CPU between
 *   checks), then sleeps on a shared futex. One worker thread (`futex_waitv`, Linux ≥ 5.16) serves
 *   every sleeping channel of the process, so the event loop stays free and thread use is bounded. The
 *   other side issues `FUTEX_WAKE` only when a sleeper has flagged itself.
 * - **Peer failure.** A waiting receiver re-checks at least every 200 ms whether the last producer
 *   process is alive. Once it is gone, the consumer still reads every complete message (a message
 *   becomes visible only when whole), then `receive` rejects with `ConnectionReset` ("peer gone
 *   (producer pid N exited)"). A sender blocked on a full ring learns the same way that the consumer
 *   died. A clean finish is `end()`: `receive` then rejects with `BrokenPipe` after the last message
 *   and `for await` stops.
 * - **Zero-copy receive.** `tryReceiveView()`/`receiveView()` return a view into the ring instead of a
 *   copy. It stays valid until the next receive, `releaseView()` or `close()`; only then may the
 *   producer reuse the space, so copy what you keep (`view.slice()`). After `close()` the view is
 *   empty (never a crash). If the process dies holding a view, the next consumer gets that message
 *   again. Use it to read part of a message or to pass it to something that copies anyway; to read
 *   every byte, `receiveInto` is as fast or faster.
 * - **Attach check.** The header records a magic, a layout version, the capacity and the creator's
 *   total size; `Channel.open` refuses anything else with `InvalidData`. Each frame is checked against
 *   what the producer published before it is read: a length another process garbled is
 *   `InvalidData` on every receive (the head stays; the messages before it were delivered).
 *
 * - **Fixed-size records.** `Channel.create(name, { recordSize: 64 })` (a power of two from 8 to half
 *   the capacity; stored in the header, so `Channel.open` learns it: `recordSize`) makes a ring of
 *   records stored back to back with no prefix, each on whole slots (64-byte records start a cache
 *   line). `trySendRecords(data, count?)` and `tryReceiveRecords(buffer)` move a batch in one copy
 *   (two where the ring wraps) and one publication, with no allocation; the per-message calls and
 *   `trySendBatch`/`tryReceiveBatch` work too, and a message of another length is a `RangeError`.
 *   `Channel.open(name, { recordSize })` (and `fromFd`) refuses a channel of another kind with
 *   `InvalidData`. Length-prefixed messages stay the default.
 *
 * Layout (version 2, little-endian 32-bit words; byte offsets; documented for other languages in
 * `docs/shm.md`): 0 magic `0x4c435049`, 4 version, 8 header size (512), 12 capacity (power of two), 16
 * flags (bit 0: multi-producer), 20 creator pid, 24 total size, 28 state (bit 0: ended), 32 record
 * size (0: length-prefixed messages); 64 tail; 128 head; 192 consumer-waiting flag, 196 consumer
 * epoch (futex); 256 producer-waiting flag, 260 producer epoch (futex); 320 producer token, 324
 * producer pid, 328 consumer token, 332 consumer pid, 336 multi-producer lock. The ring starts at 512.
 * A message is a 4-byte length and the payload, padded to 4 bytes; a length of `0xffffffff` means
 * "continue at the start of the ring"; with a record size, records follow each other with no length.
 * Tail and head are free-running byte counters.
 *
 * ## Leftovers: `list` and `sweep`
 *
 * Shared memory, channels and semaphores made by this library record the creator's pid in the extended
 * attribute `user.ipc_linux.owner` of their file in /dev/shm (tmpfs supports user xattrs since Linux
 * 6.6; elsewhere no owner is recorded). `list()` reports them with `ownerPid` and `ownerAlive`;
 * `list({ all: true })` adds foreign objects (no owner); `sweep()` unlinks those whose owner is dead
 * (`dryRun`, `prefix` to narrow). Processes that still map a swept object keep it; only the name goes.
 * A recorded pid can be reused by a new process, in which case the object is kept (never wrongly
 * removed). Message queues have no place for an owner record (the mqueue file system has no extended
 * attributes), so they are listed only with `all: true`, never swept, and only when /dev/mqueue is
 * mounted; otherwise `list({ kinds: ["queue"] })` throws `NotSupported` with the mount command.
 *
 * @example A channel between two handles
 * ```ts
 * import assert from "node:assert/strict";
 * import { Channel } from "@ipc/linux/shm";
 *
 * using ch = Channel.create(`doc_mod_${Deno.pid}`, { capacity: 4096, unlinkOnClose: true });
 * ch.trySend(new Uint8Array([1, 2, 3]));
 * assert.deepEqual(ch.tryReceive(), new Uint8Array([1, 2, 3]));
 * ```
 *
 * @module
 */
export * from "./shared_memory.ts";
export * from "./semaphore.ts";
export * from "./channel.ts";
export * from "./sweep.ts";
export type { AnonymousOptions, FromFdOptions } from "./_anonymous.ts";
export type {
  ChannelAnonymousOptions,
  ChannelCreateOptions,
  ChannelFromFdOptions,
  ChannelOpenOptions,
  ChannelStats,
  ChannelTryOptions,
  ChannelWaitOptions,
  SemaphoreOpenOptions,
  SemaphoreWaitOptions,
  SharedMemoryCreateOptions,
  SharedMemoryOpenOptions,
} from "./types.ts";
