// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * A stream of messages from a worker process over a shared-memory Channel.
 * The parent creates the channel; the worker attaches, sends 100,000 small
 * records and ends the stream; the parent iterates until the end and checks
 * that every record arrived once and in order.
 *
 * Run: `deno run --allow-ffi --allow-run examples/shm_channel.ts`
 *
 * Permissions: exactly these: the channel (FFI), starting the worker; the worker gets `--allow-
 * ffi` only.
 *
 * @module
 */
import { Channel } from "@ipc/linux/shm";
import { onShutdown } from "@ipc/linux/signals";

const COUNT = 100_000;

if (Deno.args[0]! === "--worker") {
  using ch = Channel.open(Deno.args[1]!);
  const record = new Uint8Array(16);
  const view = new DataView(record.buffer);
  for (let i = 0; i < COUNT; i++) {
    view.setUint32(0, i, true);
    view.setFloat64(8, i * 0.5, true);
    await ch.send(record);
  }
  ch.end(); // the parent's for-await loop stops after the last record
} else {
  const name = `/example_channel_${Deno.pid}`;
  // Ctrl-C (or SIGTERM): unlink the name too; onShutdown then exits 130 (143).
  using _stop = onShutdown(() => Channel.unlink(name));
  using ch = Channel.create(name, { capacity: 1 << 16, unlinkOnClose: true });
  const worker = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-ffi", import.meta.filename!, "--worker", name],
  }).spawn();
  const started = performance.now();
  let expected = 0;
  for await (const record of ch) {
    const index = new DataView(record.buffer).getUint32(0, true);
    if (index !== expected++) throw new Error(`record ${index} out of order`);
  }
  const ms = performance.now() - started;
  await worker.status;
  console.log(`received ${expected} records in order`);
  console.log(`(${Math.round(expected / ms)}k records/s including the worker's start-up)`);
}
