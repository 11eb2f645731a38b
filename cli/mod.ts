#!/usr/bin/env -S deno run -A
// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * `ipc`: inspect and use this machine's IPC objects from a shell, on Deno,
 * Node.js and Bun.
 *
 * ```text
 * ipc ls [--kind K] [--prefix P] [--all] [--json]   list the IPC objects of every kind
 * ipc inspect [<kind>:]<name> [--json]               everything known about one object
 * ipc rm shm:/frames mq:/jobs                        unlink objects
 * ipc sweep [--dry-run] [--json]                     remove objects of this library's dead owners
 * ipc mq send|recv|stat <name> … [--json]            use a message queue
 * ipc shm cat <name>                                 dump a segment
 * ipc call <socket> <method> [payload]               call a @ipc/linux server
 * ipc signal <pid> <signal> [value]                  send a signal, optionally with a value
 * ipc --version
 * ```
 *
 * Run it with `deno run -A <path or URL of this package>/cli/mod.ts <command>`
 * (in a clone: `deno install -g -A -n ipc cli/mod.ts` puts `ipc` on the PATH);
 * from the npm package, `npx ipc <command>` (Node.js) or
 * `bun node_modules/@ipc/linux/cli/bin.js <command>` (Bun).
 *
 * Permissions on Deno: `--allow-ffi` for every command (files in /dev/shm,
 * /dev/mqueue and /proc are read through libc); `call` also needs
 * `--allow-read`, `--allow-write` and `--allow-net`. `-A` covers both.
 * An object `ls` cannot read (another user's, mode 0600) is listed with the
 * reason, and the exit code is 1.
 *
 * Exit codes: 0 done; 1 failed, or (`ls`, `inspect`) some object could not be
 * read; 2 usage error (the short usage is printed on stderr); 3 timed out;
 * 4 the server answered with an error (`call`). Colours are used only when
 * stdout is a terminal and `NO_COLOR` is not set.
 *
 * NOTE: This API is only available on Linux.
 *
 * @example Run a command and capture its output
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "@ipc/linux/cli";
 *
 * const lines: string[] = [];
 * const code = await main(["--help"], { out: (l) => lines.push(l), err: () => {}, bytes: () => {} });
 * assert.equal(code, 0);
 * assert.match(lines.join("\n"), /Usage: ipc <command>/);
 * ```
 *
 * @module
 */
import { isMain } from "./_host.ts";
import { run } from "./_main.ts";

export { main } from "./_main.ts";
export type { Output } from "./_host.ts";

if (isMain(import.meta)) await run();
