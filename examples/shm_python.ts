// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Exchange data with Python through shared memory. Deno creates a segment
 * named like Python's own (`psm_…`, no slash needed), writes a greeting;
 * a Python process attaches with `multiprocessing.shared_memory`, reads it
 * and writes an answer back, which Deno then reads.
 *
 * Run: `deno run --allow-ffi --allow-run examples/shm_python.ts` (needs python3)
 *
 * Permissions: exactly these: the segment (FFI), starting python3.
 *
 * @module
 */
import { SharedMemory } from "@ipc/linux/shm";
import { onShutdown } from "@ipc/linux/signals";

const PYTHON = `
import sys
from multiprocessing import resource_tracker, shared_memory
shm = shared_memory.SharedMemory(name=sys.argv[1])
# Python 3.11 tracks attached segments too and would unlink this one at exit.
resource_tracker.unregister(shm._name, "shared_memory")
greeting = bytes(shm.buf[:64]).rstrip(b"\\0").decode()
print(f"python: read {greeting!r} from {shm.size} bytes")
answer = b"hello from python"
shm.buf[64:64 + len(answer)] = answer
shm.close()
`;

const name = `psm_example_${Deno.pid}`;
// Ctrl-C (or SIGTERM): unlink the name too; onShutdown then exits 130 (143).
using _stop = onShutdown(() => SharedMemory.unlink(name));
using shm = SharedMemory.create(name, { size: 128, unlinkOnClose: true });
shm.write(new TextEncoder().encode("hello from deno"));
const out = await new Deno.Command("python3", { args: ["-c", PYTHON, name] }).output();
if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
console.log(new TextDecoder().decode(out.stdout).trimEnd());
console.log(`deno: read ${JSON.stringify(new TextDecoder().decode(shm.read(64, 17)))} back`);
