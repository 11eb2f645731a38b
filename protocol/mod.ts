// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * @ipc/linux/protocol — under construction; see the issue tracker.
 *
 * @module
 */
export {};
