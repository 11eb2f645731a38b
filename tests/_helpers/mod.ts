// Copyright 2026 the @ipc/linux authors. MIT license.
/** Test harness: real peer processes, unique names, cleanup, fd-leak checks. */
export * from "./fds.ts";
export * from "./names.ts";
export * from "./peer.ts";
export * from "./scope.ts";

// The C library stays loaded for the life of the process by design. Load it
// while the test modules are evaluated, so the resource sanitizer of the first
// test that touches FFI does not count it as a leak.
import { libc } from "../../_ffi/libc.ts";
import { socketLib } from "../../_ffi/socket.ts";
libc();
socketLib();
