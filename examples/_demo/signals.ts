// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Demo part: signals between real processes. A child Deno process shuts down
 * gracefully on SIGTERM (cleanup once, exit code 143), and a child started
 * with SIGRTMIN+1 blocked reads a realtime signal's value and sender pid.
 */

/** One line of the demo's table. */
export type DemoRow = { mechanism: string; what: string; result: string };

import { sendSignal, signalNumber } from "../../signals/mod.ts";
import { denoScript, spawnScript } from "./child.ts";

const MOD = JSON.stringify(new URL("../../signals/mod.ts", import.meta.url).href);

const SHUTDOWN_CHILD = `
import { onShutdown } from ${MOD};
let cleanups = 0;
const keepAlive = setInterval(() => {}, 1000);
onShutdown(async (signal) => {
  cleanups++;
  await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(keepAlive);
  console.log("cleanup " + signal + " x" + cleanups);
}, { timeout: 2000 });
console.log("ready");
`;

const QUEUE_CHILD = `
import { SignalQueue } from ${MOD};
using queue = SignalQueue.open("SIGRTMIN+1");
console.log("ready");
const info = await queue.receive({ signal: AbortSignal.timeout(5000) });
console.log(JSON.stringify({ signal: info.signal, value: info.value, pid: info.pid }));
`;

const BLOCK_THEN_EXEC = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, " +
  "[int(sys.argv[1])]); os.execvp(sys.argv[2], sys.argv[2:])";

/** A child process whose stdout is read line by line; killed on dispose. */
class Child implements AsyncDisposable {
  readonly process: Deno.ChildProcess;
  #reader: ReadableStreamDefaultReader<string>;
  #buffered = "";

  /** Runs `command args`, which runs Deno on `code` (see {@linkcode spawnScript}). */
  constructor(command: string, args: string[], code: string) {
    this.process = spawnScript(command, args, code, { stdout: "piped", stderr: "inherit" });
    this.#reader = this.process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  }

  async line(): Promise<string> {
    for (;;) {
      const nl = this.#buffered.indexOf("\n");
      if (nl >= 0) {
        const line = this.#buffered.slice(0, nl);
        this.#buffered = this.#buffered.slice(nl + 1);
        return line;
      }
      const { value, done } = await this.#reader.read();
      if (done) throw new Error("child ended early");
      this.#buffered += value;
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.process.kill("SIGKILL");
    } catch {
      // already exited
    }
    await this.#reader.cancel().catch(() => {});
    await this.process.status;
  }
}

async function hasPython(): Promise<boolean> {
  try {
    return (await new Deno.Command("python3", { args: ["-c", ""] }).output()).success;
  } catch {
    return false;
  }
}

/** Run the part; returns rows for the tour's table. */
export async function demo(): Promise<DemoRow[]> {
  const rows: DemoRow[] = [];
  {
    await using child = new Child(Deno.execPath(), denoScript([]), SHUTDOWN_CHILD);
    await child.line(); // ready
    sendSignal(child.process.pid, "SIGTERM");
    const cleanup = await child.line();
    const { code } = await child.process.status;
    rows.push({
      mechanism: "signals",
      what: "graceful shutdown of a child on SIGTERM",
      result: `${cleanup}, exit code ${code}`,
    });
  }
  if (!(await hasPython())) {
    rows.push({
      mechanism: "signals",
      what: "realtime signal with a value",
      result: "skipped (no python3)",
    });
    return rows;
  }
  {
    const rt1 = signalNumber("SIGRTMIN+1");
    await using child = new Child("python3", [
      "-c",
      BLOCK_THEN_EXEC,
      String(rt1),
      Deno.execPath(),
      ...denoScript(["--allow-ffi"]),
    ], QUEUE_CHILD);
    await child.line(); // ready
    sendSignal(child.process.pid, "SIGRTMIN+1", { value: 42 });
    const info = JSON.parse(await child.line());
    rows.push({
      mechanism: "signals",
      what: "sigqueue SIGRTMIN+1 to a child (SignalQueue)",
      result: `${info.signal} value ${info.value} from pid ${info.pid}` +
        (info.pid === Deno.pid ? " (matches)" : " (MISMATCH)"),
    });
  }
  return rows;
}

if (import.meta.main) {
  for (const row of await demo()) console.log(`${row.mechanism}\t${row.what}\t${row.result}`);
}
