// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A named semaphore as a lock between processes. Three worker processes
 * each increment a counter in shared memory 1,000 times, taking the lock
 * around each read-modify-write; the total is exact. Waiting for the lock
 * never blocks a worker's event loop.
 *
 * Run: `deno run --allow-ffi --allow-run examples/shm_semaphore.ts`
 *
 * Permissions: exactly these: the lock and the segment (FFI), starting the workers; they get
 * `--allow-ffi` only.
 *
 * @module
 */
import { Semaphore, SharedMemory } from "@ipc/linux/shm";
import { onShutdown } from "@ipc/linux/signals";

const ROUNDS = 1000;

if (Deno.args[0]! === "--worker") {
  const [, name] = Deno.args as [string, string];
  using lock = Semaphore.open(name);
  using shm = SharedMemory.open(name);
  const counter = new DataView(shm.bytes.buffer);
  for (let i = 0; i < ROUNDS; i++) {
    await lock.wait();
    try {
      const value = counter.getUint32(0, true); // not atomic: the lock makes it safe
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 0)); // let others contend
      counter.setUint32(0, value + 1, true);
    } finally {
      lock.post();
    }
  }
} else {
  const name = `example_lock_${Deno.pid}`;
  // Ctrl-C (or SIGTERM): unlink the names too; onShutdown then exits 130 (143).
  using _stop = onShutdown(() => {
    Semaphore.unlink(name);
    SharedMemory.unlink(name);
  });
  using lock = Semaphore.open(name, {
    create: true,
    exclusive: true,
    value: 1,
    unlinkOnClose: true,
  });
  using shm = SharedMemory.create(name, { size: 4, unlinkOnClose: true });
  const workers = [1, 2, 3].map(() =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-ffi", import.meta.filename!, "--worker", name],
    })
      .spawn().status
  );
  await Promise.all(workers);
  const total = new DataView(shm.bytes.buffer).getUint32(0, true);
  console.log(`counter = ${total} (expected ${3 * ROUNDS}), lock value ${lock.value}`);
}
