#!/usr/bin/env -S deno run -A
// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * `ipc`: inspect and poke this machine's IPC objects from a shell.
 *
 * Run it with `deno run -A jsr:@ipc/linux/cli <command>`, or install it as
 * `ipc` with `deno install -g -A -n ipc jsr:@ipc/linux/cli`.
 *
 * ```text
 * ipc ls                                list shm segments, semaphores and queues
 * ipc rm shm:/frames mq:/jobs           unlink objects
 * ipc sweep [--dry-run]                 remove this library's objects whose owner died
 * ipc mq send|recv|stat <name> …        use a message queue
 * ipc shm cat <name>                    dump a segment
 * ipc call <socket> <method> [payload]  call a @ipc/linux server
 * ipc signal <pid> <signal> [value]     send a signal, optionally with a value
 * ```
 *
 * Requires `--allow-ffi` (and `--allow-read`, `--allow-write`, `--allow-net`
 * for `call`). NOTE: This API is only available on Linux.
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
import { type Output, processOutput, UsageError } from "./_args.ts";
import { ls, LS_HELP, rm, RM_HELP, shm, SHM_HELP, SWEEP_HELP, sweepCommand } from "./_objects.ts";
import { call, CALL_HELP } from "./_call.ts";
import { mq, MQ_HELP } from "./_mq.ts";
import { signal, SIGNAL_HELP } from "./_signal.ts";

export type { Output } from "./_args.ts";

const HELP = `ipc — inspect and use POSIX IPC objects (@ipc/linux)

Usage: ipc <command> [arguments] [--help]

Commands:
  ls                                list shm segments, semaphores and queues
  rm <kind>:<name>...               unlink objects (kind: shm, sem, mq)
  sweep [--dry-run]                 remove this library's objects whose owner died
  mq send|recv|stat <name> …        use a message queue
  shm cat <name>                    write a segment's bytes to stdout
  call <socket> <method> [payload]  call a @ipc/linux server (path or host:port)
  signal <pid> <signal> [value]     send a signal (with a value: sigqueue)

Exit codes: 0 done, 1 failed, 2 usage error, 3 timed out, 4 the server
answered with an error (call).`;

type Command = (args: string[], io: Output) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  ls: { run: ls, help: LS_HELP },
  rm: { run: rm, help: RM_HELP },
  sweep: { run: sweepCommand, help: SWEEP_HELP },
  mq: { run: mq, help: MQ_HELP },
  shm: { run: shm, help: SHM_HELP },
  call: { run: call, help: CALL_HELP },
  signal: { run: signal, help: SIGNAL_HELP },
};

/**
 * Run the `ipc` command line with `args`; returns the exit code (0 done,
 * 1 failed, 2 usage error, 3 timed out). Never exits the process itself.
 *
 * @param args The arguments after the program name.
 * @param io Where to write output; defaults to stdout and stderr.
 * @returns The exit code.
 *
 * @example Send a message through a queue and read it back
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "@ipc/linux/cli";
 *
 * const name = `/cli_doc_${Deno.pid}`;
 * const out: string[] = [];
 * const io = { out: (l: string) => out.push(l), err: () => {}, bytes: () => {} };
 * assert.equal(await main(["mq", "send", name, "hi", "--create", "--priority", "3"], io), 0);
 * assert.equal(await main(["mq", "recv", name], io), 0);
 * assert.equal(await main(["rm", `mq:${name}`], io), 0);
 * assert.deepEqual(out, ["3 hi", `removed mq:${name}`]);
 * ```
 */
export async function main(args: string[], io: Output = processOutput): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    // Asked for: help on stdout; no command at all: a usage error, on stderr.
    if (name === undefined) {
      io.err(HELP);
      return 2;
    }
    io.out(HELP);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.err(`ipc: unknown command ${JSON.stringify(name)}\n\n${HELP}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    // The library refuses bad arguments with TypeError/RangeError before any
    // system call: on the command line those are usage errors too.
    if (err instanceof UsageError || err instanceof RangeError || err instanceof TypeError) {
      io.err(`ipc ${name}: ${err.message}\n\n${command.help}`);
      return 2;
    }
    if (err instanceof DOMException && err.name === "TimeoutError") {
      io.err(`ipc ${name}: timed out`);
      return 3;
    }
    io.err(`ipc ${name}: ${(err as Error)?.message ?? err}`);
    return 1;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
