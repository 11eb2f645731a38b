// Copyright 2026 the @ipc/linux authors. MIT license.
/** Test harness: real peer processes, unique names, cleanup, fd-leak checks. */
export * from "./fds.ts";
export * from "./names.ts";
export * from "./peer.ts";
export * from "./scope.ts";
