// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * Real peer processes for tests: a Deno fixture (via `Deno.execPath()`), a C
 * program compiled with the machine's `cc`, or a Python 3 script. A peer
 * talks through stdin/stdout lines and is always reaped on dispose.
 */
import { fileURLToPath as fromFileUrl } from "node:url";

const FIXTURES = fromFileUrl(new URL("../fixtures/", import.meta.url));
const BUILD = fromFileUrl(new URL("../../.build/c/", import.meta.url));

/** Options for a peer process. */
export interface PeerOptions {
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Working directory. */
  cwd?: string;
}

/** A running child process that speaks in lines. */
export class Peer implements AsyncDisposable {
  readonly process: Deno.ChildProcess;
  readonly pid: number;
  #lines: string[] = [];
  #waiters: Array<() => void> = [];
  #stdoutDone = false;
  #stderr = "";
  #reading: Promise<void>;
  #stdin: WritableStreamDefaultWriter<Uint8Array>;
  readonly #label: string;

  constructor(command: string, args: string[], options: PeerOptions = {}) {
    this.#label = [command, ...args].join(" ");
    this.process = new Deno.Command(command, {
      args,
      env: options.env,
      cwd: options.cwd,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.pid = this.process.pid;
    this.#stdin = this.process.stdin.getWriter();
    this.#reading = Promise.all([this.#readStdout(), this.#readStderr()]).then(() => {});
  }

  async #readStdout(): Promise<void> {
    let buffered = "";
    for await (const chunk of this.process.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        this.#lines.push(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
      this.#notify();
    }
    if (buffered) this.#lines.push(buffered);
    this.#stdoutDone = true;
    this.#notify();
  }

  async #readStderr(): Promise<void> {
    for await (const chunk of this.process.stderr.pipeThrough(new TextDecoderStream())) {
      this.#stderr += chunk;
    }
  }

  #notify(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Everything the peer wrote to stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** The next stdout line; rejects if the peer ends first or after `timeoutMs`. */
  async line(timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.#lines.length === 0) {
      if (this.#stdoutDone) {
        throw new Error(`peer ended without a line: ${this.#label}\nstderr: ${this.#stderr}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line from peer in ${timeoutMs} ms: ${this.#label}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
    return this.#lines.shift()!;
  }

  /** Skip lines until one includes `text`; return it. */
  async expect(text: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = await this.line(Math.max(1, deadline - Date.now()));
      if (line.includes(text)) return line;
    }
  }

  /** Write one line to the peer's stdin. */
  async send(line: string): Promise<void> {
    await this.#stdin.write(new TextEncoder().encode(line + "\n"));
  }

  /** Close the peer's stdin (many peers exit on EOF). */
  async closeStdin(): Promise<void> {
    await this.#stdin.close().catch(() => {});
  }

  /** Send a signal if the peer still runs. */
  kill(signal: Deno.Signal = "SIGTERM"): void {
    try {
      this.process.kill(signal);
    } catch {
      // already exited
    }
  }

  /** Wait for exit; returns the status once all output is read. */
  async status(): Promise<Deno.CommandStatus> {
    const status = await this.process.status;
    await this.#reading;
    return status;
  }

  /** Kill (if running) and reap the peer, closing every pipe. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.closeStdin();
    this.kill("SIGKILL");
    await this.status();
  }
}

/** Start a Deno fixture from tests/fixtures/ with all permissions. */
export function spawnDeno(fixture: string, args: string[] = [], options?: PeerOptions): Peer {
  return new Peer(
    Deno.execPath(),
    ["run", "-A", "--unstable-net", FIXTURES + fixture, ...args],
    options,
  );
}

/** Start a Python 3 script from tests/fixtures/. */
export function spawnPython(script: string, args: string[] = [], options?: PeerOptions): Peer {
  return new Peer("python3", ["-u", FIXTURES + script, ...args], options);
}

/**
 * Start `tests/fixtures/<script>` with python3 as uid and gid 65534 (nobody,
 * through `setpriv`): another user's process, for the hostile tests.
 */
export async function spawnPythonAsNobody(script: string, args: string[] = []): Promise<Peer> {
  const python = (await run("python3", ["-c", "import sys; print(sys.executable)"])).stdout.trim();
  return spawnProgram("setpriv", [
    "--reuid=65534",
    "--regid=65534",
    "--clear-groups",
    python,
    "-u",
    FIXTURES + script,
    ...args,
  ]);
}

/** Start any program (e.g. one from {@linkcode buildC}). */
export function spawnProgram(path: string, args: string[] = [], options?: PeerOptions): Peer {
  return new Peer(path, args, options);
}

/** The output of a finished command. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command to completion and collect its output. */
export async function run(
  command: string,
  args: string[],
  options: PeerOptions = {},
): Promise<RunResult> {
  const out = await new Deno.Command(command, {
    args,
    env: options.env,
    cwd: options.cwd,
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** Run a Deno fixture to completion with the given permission flags. */
export function runDeno(
  fixture: string,
  args: string[] = [],
  options: PeerOptions & { flags?: string[] } = {},
): Promise<RunResult> {
  const flags = options.flags ?? ["-A", "--unstable-net"];
  return run(Deno.execPath(), ["run", ...flags, FIXTURES + fixture, ...args], options);
}

/**
 * Compile a C program from tests/fixtures/ (or bench/c/ via an absolute
 * path) with the machine's `cc`, cached by content hash under .build/c/.
 * Links -lrt and -lpthread. Returns the executable's path.
 */
export async function buildC(source: string, extraFlags: string[] = []): Promise<string> {
  const path = source.startsWith("/") ? source : FIXTURES + source;
  const text = await Deno.readFile(path);
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new Uint8Array([...text, ...new TextEncoder().encode(extraFlags.join(" "))]),
  );
  const hash = [...new Uint8Array(digest).slice(0, 8)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  const name = path.split("/").pop()!.replace(/\.c$/, "");
  const exe = `${BUILD}${name}-${hash}`;
  try {
    await Deno.stat(exe);
    return exe;
  } catch {
    // not built yet
  }
  await Deno.mkdir(BUILD, { recursive: true });
  const tmp = `${exe}.${Deno.pid}.tmp`;
  const result = await run("cc", [
    "-O2",
    "-Wall",
    "-o",
    tmp,
    path,
    ...extraFlags,
    "-lrt",
    "-lpthread",
  ]);
  if (result.code !== 0) throw new Error(`cc failed for ${path}:\n${result.stderr}`);
  await Deno.rename(tmp, exe); // atomic: parallel builds never see half a binary
  return exe;
}
