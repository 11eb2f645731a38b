// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Share a block of memory with another process, zero-copy. The parent
 * creates a segment (its memory is reserved now, so a full /dev/shm fails
 * here rather than with a SIGBUS later) and fills it; a reader process
 * attaches read-only, sums the bytes and tries to write, which throws
 * instead of crashing. The segment is unlinked when the parent closes it.
 *
 * Run: `deno run --allow-ffi --allow-run examples/shm_shared_memory.ts`
 *
 * Permissions: exactly these: the segment (FFI), starting the reader; it gets `--allow-ffi` only.
 *
 * @module
 */
import { SharedMemory } from "@ipc/linux/shm";
import { onShutdown } from "@ipc/linux/signals";

if (Deno.args[0]! === "--reader") {
  using shm = SharedMemory.open(Deno.args[1]!, { readOnly: true });
  let sum = 0;
  for (const byte of shm.read()) sum += byte;
  console.log(`reader: ${shm.size} bytes, sum ${sum}`);
  try {
    shm.write(new Uint8Array([1]));
  } catch (err) {
    console.log(`reader: write refused: ${(err as Error).name}`);
  }
} else {
  const name = `example_frame_${Deno.pid}`;
  // Ctrl-C (or SIGTERM): unlink the name too; onShutdown then exits 130 (143).
  using _stop = onShutdown(() => SharedMemory.unlink(name));
  using shm = SharedMemory.create(name, { size: 1000, unlinkOnClose: true });
  shm.bytes.fill(3); // 1000 × 3
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-ffi", import.meta.filename!, "--reader", name],
  }).output();
  console.log(new TextDecoder().decode(out.stdout).trimEnd());
  console.log(`writer: expected sum ${1000 * 3}`);
}
