// Copyright 2026 the @ipc/linux authors. MIT license.
/** `ipc call <socket> <method> [payload]`. */
import { RemoteError } from "../protocol/mod.ts";
import { connect } from "../uds/mod.ts";
import { expect, help, parse, timeoutMs } from "./_args.ts";
import type { Output } from "./_host.ts";

/** Help for `ipc call`. */
export const CALL_HELP = `Usage:
  ipc call <socket> <method> [payload] [--timeout MS] [--raw]

Connect to a @ipc/linux server (a Unix socket path, or host:port for TCP),
send one request and print the reply as UTF-8 text (--raw: the bytes as-is).

Exit codes: 0 replied, 1 failed (connection refused, no such socket), 2 usage
error, 3 timed out, 4 the server answered with an error (code and message on
stderr).`;

function address(target: string): { path: string } | { hostname: string; port: number } {
  const tcp = /^([^/]+):(\d+)$/.exec(target);
  return tcp ? { hostname: tcp[1]!, port: Number(tcp[2]) } : { path: target };
}

/** Run `ipc call …`; returns the exit code. */
export async function call(args: string[], io: Output): Promise<number> {
  const { positional, flags } = parse(args, { raw: "boolean", timeout: "string" });
  if (flags.help) return help(io, CALL_HELP);
  const [target, method, payload = ""] = expect(
    positional,
    "call",
    ["<socket>", "<method>"],
    ["[payload]"],
  );
  const timeout = timeoutMs(flags.timeout, 10_000);
  const signal = AbortSignal.timeout(timeout);
  await using client = await connect({ ...address(target), signal });
  try {
    const reply = await client.request(method, payload, { signal });
    if (flags.raw) io.bytes(reply);
    else io.out(new TextDecoder().decode(reply));
    return 0;
  } catch (err) {
    if (!(err instanceof RemoteError)) throw err;
    io.err(`ipc call: ${err.codeName} (${err.code}): ${err.message}`);
    return 4;
  }
}
