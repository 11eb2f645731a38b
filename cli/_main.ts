// Copyright 2026 the @ipc/linux authors. MIT license.
/** The `ipc` command line: the command table and {@linkcode main}. */
import { UsageError, usageOf } from "./_args.ts";
import { exit, type Output, processOutput, programArgs } from "./_host.ts";
import {
  inspect,
  INSPECT_HELP,
  ls,
  LS_HELP,
  rm,
  RM_HELP,
  shm,
  SHM_HELP,
  SWEEP_HELP,
  sweepCommand,
} from "./_objects.ts";
import { call, CALL_HELP } from "./_call.ts";
import { mq, MQ_HELP } from "./_mq.ts";
import { signal, SIGNAL_HELP } from "./_signal.ts";
import { VERSION } from "./_version.ts";

const USAGE = `Usage: ipc <command> [arguments] [--json] [--help]
       ipc --version`;

const HELP = `ipc — inspect and use this machine's IPC objects (@ipc/linux ${VERSION})

${USAGE}

Commands:
  ls [--kind K] [--prefix P] [--all]  list the IPC objects of every kind
  inspect [<kind>:]<name>           everything known about one object
  rm <kind>:<name>...               unlink objects (e.g. mq:/jobs, msqid:<id>)
  sweep [--dry-run]                 remove objects of this library's dead owners
  mq send|recv|stat <name> …        use a message queue
  shm cat <name>                    write a segment's bytes to stdout
  call <socket> <method> [payload]  call a @ipc/linux server (path or host:port)
  signal <pid> <signal> [value]     send a signal (with a value: sigqueue)

--json (ls, inspect, sweep, mq recv, mq stat) prints JSON instead of text.
Colours only on a terminal, and never when NO_COLOR is set.

Exit codes: 0 done, 1 failed (ls, inspect: some object could not be read),
2 usage error, 3 timed out, 4 the server answered with an error (call).`;

type Command = (args: string[], io: Output) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  ls: { run: ls, help: LS_HELP },
  inspect: { run: inspect, help: INSPECT_HELP },
  rm: { run: rm, help: RM_HELP },
  sweep: { run: sweepCommand, help: SWEEP_HELP },
  mq: { run: mq, help: MQ_HELP },
  shm: { run: shm, help: SHM_HELP },
  call: { run: call, help: CALL_HELP },
  signal: { run: signal, help: SIGNAL_HELP },
};

/**
 * Run the `ipc` command line with `args`; returns the exit code (0 done,
 * 1 failed, 2 usage error, 3 timed out, 4 the server answered with an
 * error). Never exits the process itself.
 *
 * Requires `--allow-ffi` permission; `call` also needs `--allow-read`,
 * `--allow-write` and `--allow-net`. NOTE: This API is only available on Linux.
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
 * assert.equal(await main(["mq", "recv", name, "--json"], io), 0);
 * assert.equal(await main(["rm", `mq:${name}`], io), 0);
 * assert.deepEqual(out, ['{"priority":3,"text":"hi"}', `removed mq:${name}`]);
 * ```
 */
export async function main(args: string[], io: Output = processOutput()): Promise<number> {
  const [name, ...rest] = args;
  if (name === "--version" || name === "-V") {
    io.out(VERSION);
    return 0;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    io.out(HELP);
    return 0;
  }
  if (name === undefined) {
    io.err(`${USAGE}\nRun "ipc --help" for the commands.`);
    return 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    io.err(
      `ipc: unknown command ${JSON.stringify(name)}\n${USAGE}\nRun "ipc --help" for the commands.`,
    );
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    // The library refuses bad arguments with TypeError/RangeError before any
    // system call: on the command line those are usage errors too.
    if (err instanceof UsageError || err instanceof RangeError || err instanceof TypeError) {
      io.err(
        `ipc ${name}: ${err.message}\n${usageOf(command.help)}\nRun "ipc ${name} --help" for more.`,
      );
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

/** Run the command line with the process's arguments and exit with its code. */
export async function run(): Promise<never> {
  exit(await main(programArgs()));
}
