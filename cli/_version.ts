// Copyright 2026 the @ipc/linux authors. MIT license.
/** The package version `ipc --version` prints; tests/cli checks it equals deno.json's. */
export const VERSION = "0.1.0";
