// Copyright 2026 the @ipc/linux authors. MIT license.
/**
 * The built npm package, installed the way a user installs it (npm pack →
 * npm install) into a scratch project with Node.js and Bun, once per test
 * process. Fixtures in tests/fixtures/npm_*.mjs run there and import
 * "@ipc/linux/…" like any user.
 */
import { fileURLToPath } from "node:url";
import { buildNpm } from "../../scripts/build_npm.ts";
import { Peer, type PeerOptions, run, type RunResult } from "./peer.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PROJECT = `${ROOT}.build/npm-test/`;
const FIXTURES = `${ROOT}tests/fixtures/`;
/** The Bun release the conformance tests install from npm. */
export const BUN_VERSION = "1.4.5";

let ready: Promise<string> | undefined;

async function sh(cmd: string, args: string[], cwd: string): Promise<string> {
  const out = await run(cmd, args, { cwd });
  if (out.code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${out.stdout}${out.stderr}`);
  }
  return out.stdout;
}

/** Folders and files whose content goes into the npm package. */
const SOURCES = ["_ffi", "protocol", "uds", "mq", "shm", "signals", "cli"];

/** A digest of every source the package is built from. */
async function sourceDigest(): Promise<string> {
  const parts: string[] = [];
  const files = ["deno.json", "mod.ts", "README.npm.md", "LICENSE", "scripts/build_npm.ts"];
  for (const dir of SOURCES) {
    for (const e of Deno.readDirSync(`${ROOT}${dir}`)) if (e.isFile) files.push(`${dir}/${e.name}`);
  }
  for (const f of files.sort()) parts.push(f, await Deno.readTextFile(`${ROOT}${f}`));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\0")));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function install(): Promise<string> {
  // Test files run in separate isolates: build once per change of the
  // sources, not once per file.
  const digest = await sourceDigest();
  const stamp = `${PROJECT}.sources`;
  if (await Deno.readTextFile(stamp).catch(() => "") === digest) return PROJECT;
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const out = await buildNpm(config.version);
  await Deno.remove(PROJECT, { recursive: true }).catch(() => {});
  await Deno.mkdir(PROJECT, { recursive: true });
  const tarball = (await sh("npm", ["pack", "--silent", "--pack-destination", PROJECT], out)).trim()
    .split("\n").pop()!;
  await Deno.writeTextFile(
    `${PROJECT}package.json`,
    JSON.stringify({ private: true, type: "module" }),
  );
  await sh("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    `./${tarball}`,
    `bun@${BUN_VERSION}`,
  ], PROJECT);
  await Deno.writeTextFile(stamp, digest);
  return PROJECT;
}

/** Build, pack and install the npm package (once per source change); returns the project dir. */
export function npmProject(): Promise<string> {
  return ready ??= install();
}

/** The module the npm fixtures share (their descriptor snapshots), placed next to them. */
const FDS_MODULE = "npm_fds.mjs";

/** Copy a fixture into the project, so it imports "@ipc/linux/…" exactly like a user's file. */
export async function place(fixture: string): Promise<string> {
  const dir = await npmProject();
  await Deno.copyFile(FIXTURES + FDS_MODULE, dir + FDS_MODULE);
  await Deno.copyFile(FIXTURES + fixture, dir + fixture);
  return dir + fixture;
}

/** Path of the Bun binary installed in the project. */
export async function bunPath(): Promise<string> {
  return `${await npmProject()}node_modules/.bin/bun`;
}

/** Run a fixture (tests/fixtures/npm_*.mjs) to completion under "node" or "bun". */
export async function runRuntime(
  runtime: "node" | "bun",
  fixture: string,
  args: string[] = [],
): Promise<RunResult> {
  const script = await place(fixture);
  const exe = runtime === "node" ? "node" : await bunPath();
  return run(exe, [script, ...args], { cwd: PROJECT });
}

/** Start a fixture as a long-running peer under "node" or "bun". */
export async function spawnRuntime(
  runtime: "node" | "bun",
  fixture: string,
  args: string[] = [],
  options: PeerOptions = {},
): Promise<Peer> {
  const script = await place(fixture);
  const exe = runtime === "node" ? "node" : await bunPath();
  return new Peer(exe, [script, ...args], { cwd: PROJECT, ...options });
}
